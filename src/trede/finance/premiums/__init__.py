"""Premiums as rules (issue 9 point 5): werkpremie/uitstroompremie schemes from the policy
preset, eligibility computed from benefits (`rules.py`, pure), listed for payment,
proposed, checked by one employee and approved by another, and paid once (a finance
`Payment` of kind `premie`)."""
