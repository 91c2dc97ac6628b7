"""Handhaving: the enforcement workflow of the consulent inkomen (issue 12 point 1).

A signal (a missed appointment, a refused offer, undeclared income) becomes a case
(`Handhavingszaak`); the client is heard (`Horen`) before any decision; the decision
(`Besluit`) is a waarschuwing, a boete, a maatregel or a tegenprestatie with its legal
ground, computed from the municipality's maatregelenverordening and boete rules in the
policy preset (`rules.py`, pure); where the preset asks for four eyes a colleague
approves it; a final decision writes a `Measure` (so measures.csv exports it) and its
bezwaar term runs on the worklist.
"""
