"""What the intake accepts as plausible input: one place for the forms and the services.

Not policy (the preset holds the municipality's rules); these are sanity limits, the same
for every municipality, so a typo (19990 for 1999, a pasted document) is refused in Dutch
instead of being stored or failing in the database.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError

from trede.utils.dates import age_on

EARLIEST_DATE = date(1900, 1, 1)
# A route decision may take effect a while after the conversation; a year ahead is the
# farthest a consultant plans an effective date, beyond that it is a typo.
FUTURE_HORIZON = timedelta(days=366)
# A melding can come from a school leaver (VSO/PRO, 16-17); younger is a wrong birth date.
MIN_APPLICANT_AGE = 16
MAX_APPLICANT_AGE = 120
NOTE_MAX_LENGTH = 2_000
REASON_MAX_LENGTH = 2_000
# A deviation from the policy's advice is counted and reviewed: "ok" is not a reason.
DEVIATION_REASON_MIN_LENGTH = 10


def _day(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def date_problem(value: date, *, label: str, today: date, future: timedelta | None = FUTURE_HORIZON) -> str:
    """Why a date is implausible ('' when it is fine); `future=None`: not after today."""
    if value < EARLIEST_DATE:
        return f"{label} kan niet voor 1900 liggen."
    if future is None and value > today:
        return f"{label} ligt in de toekomst."
    if future is not None and value > today + future:
        return f"{label} ligt te ver in de toekomst: uiterlijk {_day(today + future)}."
    return ""


def birth_date_problem(birth_date: date, *, on: date) -> str:
    """Why a birth date does not fit an applicant registered on `on` ('' when it does)."""
    if birth_date > on:
        return "De geboortedatum ligt na de datum van ontvangst."
    age = age_on(birth_date, on)
    if age < MIN_APPLICANT_AGE:
        return (
            f"De aanvrager is op de ontvangstdatum {age} jaar. Een melding of aanvraag kan vanaf "
            f"{MIN_APPLICANT_AGE} jaar; controleer de geboortedatum."
        )
    if age > MAX_APPLICANT_AGE:
        return "Controleer de geboortedatum: de aanvrager zou ouder zijn dan 120 jaar."
    return ""


def text_problem(value: str, *, label: str, max_length: int) -> str:
    if "\x00" in value:
        return f"{label} bevat een ongeldig teken."
    if len(value) > max_length:
        return f"{label} is te lang: ten hoogste {max_length:,} tekens.".replace(",", ".")
    return ""


def refuse(problems: dict[str, str]) -> None:
    """Raise one ValidationError with every problem found (none: return)."""
    found = {field: message for field, message in problems.items() if message}
    if found:
        raise ValidationError(found)
