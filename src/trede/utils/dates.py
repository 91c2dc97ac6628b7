"""Calendar arithmetic used across the apps: completed years and months, adding months.

Pure functions on `datetime.date`. The SQL forms of the same rules (for aggregates in the
database) are in `trede.monitor.sql`.
"""

from __future__ import annotations

import calendar
from datetime import date


def completed_years(start: date, day: date) -> int:
    """Whole years from `start` to `day` (a 29 February anniversary completes on 1 March)."""
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


def age_on(birth_date: date | None, day: date) -> int | None:
    """A person's age on `day` in completed years; None when the birth date is unknown."""
    return None if birth_date is None else completed_years(birth_date, day)


def months_between(start: date, end: date) -> int:
    """Completed months from start to end."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
