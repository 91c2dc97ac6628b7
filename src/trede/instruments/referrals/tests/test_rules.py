"""The schedule and due rules, as properties over any dates and preset settings."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.instruments.referrals.rules import (
    ReferralSettings,
    latest_planned_end,
    next_report,
    overdue_reports,
    report_due_dates,
    result_report_overdue,
)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
settings_st = st.builds(
    ReferralSettings,
    report_interval_weeks=st.integers(1, 26),
    report_grace_days=st.integers(0, 60),
    result_report_days=st.integers(0, 120),
)


def test_the_settings_come_from_the_preset():
    config = PRESETS[DEFAULT_PRESET]["config"]
    assert ReferralSettings.of(config) == ReferralSettings(8, 14, 30)
    changed = {**config, "referrals": {**config["referrals"], "report_interval_weeks": 4}}
    assert ReferralSettings.of(changed).report_interval_weeks == 4


@given(start=days, length=st.integers(0, 1500), weeks=st.integers(1, 26))
def test_due_dates_are_every_interval_after_the_start_up_to_the_end(start, length, weeks):
    until = start + timedelta(days=length)
    dates = report_due_dates(start, until, weeks)
    assert all(d == start + timedelta(weeks=weeks * n) for n, d in enumerate(dates, start=1))
    assert all(start < d <= until for d in dates)
    # Nothing missing: the next one lies after `until`.
    assert start + timedelta(weeks=weeks * (len(dates) + 1)) > until


@given(start=days, weeks=st.integers(1, 26), reported=st.sets(st.integers(1, 30), max_size=10))
def test_the_next_report_is_the_first_number_not_reported(start, weeks, reported):
    number, due = next_report(start, weeks, reported)
    assert number not in reported and all(n in reported for n in range(1, number))
    assert due == start + timedelta(weeks=weeks * number)


@given(
    start=days,
    length=st.one_of(st.none(), st.integers(0, 900)),
    offset=st.integers(0, 1200),
    settings=settings_st,
    reported=st.sets(st.integers(1, 40), max_size=15),
)
def test_overdue_reports_are_due_while_running_unreported_and_past_grace(
    start, length, offset, settings, reported
):
    end = start + timedelta(days=length) if length is not None else None
    today = start + timedelta(days=offset)
    overdue = overdue_reports(start=start, end=end, today=today, settings=settings, reported=reported)
    grace = timedelta(days=settings.report_grace_days)
    for number, due in overdue:
        assert number not in reported
        assert due == start + timedelta(weeks=settings.report_interval_weeks * number)
        assert due + grace < today
        assert end is None or due < end
    # Complete: every due date that qualifies is listed.
    last = min(end, today) if end else today
    expected = [
        (n, d)
        for n, d in enumerate(report_due_dates(start, last, settings.report_interval_weeks), start=1)
        if n not in reported and d + grace < today and (end is None or d < end)
    ]
    assert overdue == expected
    # Reporting them all clears the signal.
    assert (
        overdue_reports(
            start=start, end=end, today=today, settings=settings, reported=reported | {n for n, _d in overdue}
        )
        == []
    )


def test_no_reports_are_due_before_the_start_or_for_a_no_show():
    settings = ReferralSettings(8, 14, 30)
    assert (
        overdue_reports(start=None, end=None, today=date(2030, 1, 1), settings=settings, reported=set()) == []
    )
    start = date(2024, 1, 1)
    # Due 26 February; overdue from 12 March on (14 days' grace), not on it.
    assert (
        overdue_reports(start=start, end=None, today=date(2024, 3, 11), settings=settings, reported=set())
        == []
    )
    assert overdue_reports(
        start=start, end=None, today=date(2024, 3, 12), settings=settings, reported=set()
    ) == [(1, date(2024, 2, 26))]


@given(
    start=days,
    planned=st.integers(0, 700),
    offset=st.integers(0, 900),
    settings=settings_st,
    reported=st.booleans(),
)
def test_meldingsplicht_is_broken_only_without_an_end_report_past_the_deadline(
    start, planned, offset, settings, reported
):
    planned_end = start + timedelta(days=planned)
    today = start + timedelta(days=offset)
    since = result_report_overdue(
        start=start, planned_end=planned_end, end_reported=reported, today=today, settings=settings
    )
    deadline = planned_end + timedelta(days=settings.result_report_days)
    if reported or today <= deadline:
        assert since is None
    else:
        assert since == deadline
    assert (
        result_report_overdue(
            start=None, planned_end=planned_end, end_reported=False, today=today, settings=settings
        )
        is None
    )


def test_latest_planned_end_is_the_instruments_maximum_duration():
    assert latest_planned_end(date(2024, 1, 31), 6) == date(2024, 7, 31)
    assert latest_planned_end(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert latest_planned_end(date(2024, 1, 1), None) is None
