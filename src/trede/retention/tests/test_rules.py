"""The expiry rule against a reference written differently (counting days in a year by
hand), on Hypothesis dates including 29 February."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.retention import rules

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
years = st.integers(min_value=1, max_value=30)
# The machine is shared: generation may be slow, never the property.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference_due(last: date, n: int) -> date:
    year = last.year + n
    day = min(last.day, calendar.monthrange(year, last.month)[1])
    return date(year, last.month, day)


@relaxed
@given(days, years, days, st.booleans())
def test_expired_exactly_from_the_anniversary(last, n, today, open_case):
    expected = (not open_case) and today >= reference_due(last, n)
    assert rules.is_expired(open_case=open_case, last_activity=last, years=n, today=today) is expected


@relaxed
@given(years, days)
def test_no_date_is_never_expired(n, today):
    assert not rules.is_expired(open_case=False, last_activity=None, years=n, today=today)


def test_leap_day():
    assert rules.due_on(date(2012, 2, 29), 10) == date(2022, 2, 28)
    assert rules.due_on(date(2012, 2, 29), 4) == date(2016, 2, 29)


@relaxed
@given(days, years)
def test_audit_cutoff_separates_expired_rows(today, n):
    cutoff = rules.audit_cutoff(today=today, years=n)
    before = cutoff - timedelta(days=1)
    assert reference_due(before, n) <= today  # the last day that goes has passed its period
    assert reference_due(cutoff, n) > today  # the first day that stays has not
