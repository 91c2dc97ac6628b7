"""Rechtmatigheidsonderzoek: the periodic check that a benefit is still right (issue 12 point 3).

The service level of the client's group sets how often (the preset's
`rechtmatigheid_months`, Steenwijkerland seed 002 §3-4: yearly or every two years); the
consulent inkomen registers each onderzoek held; due and overdue ones are the inkomen
worklist, and the teamleider sees per consultant how many are on time.
"""
