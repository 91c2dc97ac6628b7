"""When a record has passed its retention period (pure; no Django).

A client file is expired on day `today` when nothing in it is open (no running benefit,
trajectory, placement or other open case) and its last activity lies `years` whole years
or more before `today`: the period ends on the anniversary (29 February counts to
28 February), and from that day on the file may be destroyed. A file without any dated
activity is never expired by this rule (there is nothing to count from)."""

from __future__ import annotations

from datetime import date, timedelta


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def due_on(last_activity: date, years: int) -> date:
    """The first day on which a file whose last activity was `last_activity` may go."""
    return add_years(last_activity, years)


def is_expired(*, open_case: bool, last_activity: date | None, years: int, today: date) -> bool:
    if open_case or last_activity is None:
        return False
    return today >= due_on(last_activity, years)


def audit_cutoff(*, today: date, years: int) -> date:
    """Audit rows of a day before this one have passed their period (their own day plus
    `years` lies on or before today)."""
    # A row of day D may go when add_years(D, years) <= today; the first day that may not
    # go is the day after the last such D.
    cutoff = add_years(today, -years)
    while add_years(cutoff, years) <= today:
        cutoff += timedelta(days=1)
    return cutoff
