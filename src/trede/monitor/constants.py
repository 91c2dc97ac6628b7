"""Bands and codes of the core figures (docs/interchange.md)."""

from trede.benefits.constants import EndReason, Regulation
from trede.casework.constants import Category, ClientGroup
from trede.clients.constants import Household

AGE_BANDS = ("<=20", "21-30", "31-40", "41-50", "51-60", ">=61")
DURATION_BANDS = ("<1", "1-3", "3-5", ">=5")
HOUSEHOLDS = (*Household.values, "onbekend")
LADDER_STEPS = ("1", "2", "3", "4", "5", "6", "onbekend")
# The dashboard's breakdowns beyond the contract: the category and client group of the
# client's latest diagnosis that has one (as the ladder step), `onbekend` without.
CATEGORIES = (*Category.values, "onbekend")
CLIENT_GROUPS = (*ClientGroup.values, "onbekend")
END_REASONS = tuple(EndReason.values)
REGULATIONS = tuple(Regulation.values)
PERIODS = ("month", "quarter", "year")
DEFAULT_REGULATIONS = ("pw",)

# The forecast scenario without multipliers (`trede monitor forecast --scenario`).
BASIS = "basis"
