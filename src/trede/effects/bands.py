"""The segment bands of the panel, in a module without numpy or pandas, so pages and
commands that only label segments do not load the scientific stack."""

AGE_BANDS = ("<=20", "21-30", "31-40", "41-50", "51-60", ">=61")
DURATION_BANDS = ("<1", "1-3", "3-5", ">=5")
SEGMENT_DIMENSIONS = ("age_band", "duration_band", "ladder_step", "client_group", "statushouder")
