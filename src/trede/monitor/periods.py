"""Calendar periods: labels and boundaries (`2015-01`, `2015-Q1`, `2015`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date


def period_start(day: date, period: str) -> date:
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown period {period!r}")


def next_period_start(start: date, period: str) -> date:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def label(start: date, period: str) -> str:
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}"


def periods_between(date_from: date, date_to: date, period: str) -> Iterator[tuple[str, date, date]]:
    """Every period overlapping [date_from, date_to), cut to that range."""
    start = period_start(date_from, period)
    while start < date_to:
        end = next_period_start(start, period)
        yield label(start, period), max(start, date_from), min(end, date_to)
        start = end


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def whole_years(date_from: date, date_to: date) -> list[int]:
    """Calendar years lying entirely inside [date_from, date_to)."""
    first = date_from.year if date_from == date(date_from.year, 1, 1) else date_from.year + 1
    return [y for y in range(first, date_to.year) if date(y + 1, 1, 1) <= date_to]
