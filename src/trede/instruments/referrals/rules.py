"""Referral rules without the database: the progress-report schedule, which reports are
overdue, and the meldingsplicht for the result (thresholds from the policy preset's
`referrals` settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from trede.utils.dates import add_months

# The preset's settings when a stored preset predates them (the shipped values).
DEFAULTS = {"report_interval_weeks": 8, "report_grace_days": 14, "result_report_days": 30}


@dataclass(frozen=True)
class ReferralSettings:
    report_interval_weeks: int
    report_grace_days: int
    result_report_days: int

    @classmethod
    def of(cls, config: dict) -> ReferralSettings:
        values = {**DEFAULTS, **(config.get("referrals") or {})}
        return cls(**{key: int(values[key]) for key in DEFAULTS})


def report_due_dates(start: date, until: date, interval_weeks: int) -> list[date]:
    """The due dates of progress reports n = 1, 2, …: start + n × interval, up to and
    including `until` (the end, or for a running trajectory the day asked about)."""
    step = timedelta(weeks=interval_weeks)
    dates = []
    due = start + step
    while due <= until:
        dates.append(due)
        due += step
    return dates


def next_report(start: date, interval_weeks: int, reported: set[int]) -> tuple[int, date]:
    """The first report number not yet reported, with its due date (it may lie ahead)."""
    number = 1
    while number in reported:
        number += 1
    return number, start + timedelta(weeks=interval_weeks * number)


def overdue_reports(
    *,
    start: date | None,
    end: date | None,
    today: date,
    settings: ReferralSettings,
    reported: set[int],
) -> list[tuple[int, date]]:
    """(number, due date) of each report that was due while the trajectory ran (before its
    end), was not reported, and whose grace period has passed by `today`."""
    if start is None:
        return []
    last = min(end, today) if end is not None else today
    grace = timedelta(days=settings.report_grace_days)
    return [
        (number, due)
        for number, due in enumerate(report_due_dates(start, last, settings.report_interval_weeks), start=1)
        if number not in reported and due + grace < today and (end is None or due < end)
    ]


def result_report_overdue(
    *,
    start: date | None,
    planned_end: date | None,
    end_reported: bool,
    today: date,
    settings: ReferralSettings,
) -> date | None:
    """The day the meldingsplicht was broken (planned end + result_report_days), when a
    started trajectory has no end report by then; else None."""
    if start is None or planned_end is None or end_reported:
        return None
    deadline = planned_end + timedelta(days=settings.result_report_days)
    return deadline if today > deadline else None


def latest_planned_end(today: date, max_duration_months: int | None) -> date | None:
    """The latest planned end a referral made today may have (the instrument's maximum
    duration); None: no maximum."""
    if not max_duration_months:
        return None
    return add_months(today, max_duration_months)
