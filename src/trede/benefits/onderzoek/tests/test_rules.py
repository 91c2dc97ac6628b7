"""The due-date rules against a day-by-day reference (Hypothesis)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from trede.benefits.onderzoek import rules

BASE = date(2018, 1, 1)
days = st.integers(min_value=0, max_value=2500).map(lambda n: BASE + timedelta(days=n))


@st.composite
def benefit_lists(draw):
    spans = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        start = draw(days)
        length = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=900)))
        spans.append((start, None if length is None else start + timedelta(days=length)))
    return spans


def reference_spell_start(benefits, on: date):
    """Walk back day by day while some benefit covers the day (end exclusive)."""

    def covered(day):
        return any(s <= day and (e is None or day < e) for s, e in benefits)

    if not covered(on):
        return None
    day = on
    while covered(day - timedelta(days=1)):
        day -= timedelta(days=1)
    return day


def reference_add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@settings(max_examples=150, deadline=None)
@given(benefits=benefit_lists(), on=days)
def test_spell_start_equals_walking_back_day_by_day(benefits, on):
    assert rules.spell_start(benefits, on) == reference_spell_start(benefits, on)


@settings(max_examples=150, deadline=None)
@given(
    spell_from=days,
    held=st.lists(days, max_size=4),
    months=st.sampled_from([12, 24]),
    today=days,
    soon=st.integers(min_value=0, max_value=90),
)
def test_next_due_counts_from_the_last_onderzoek_in_the_spell(spell_from, held, months, today, soon):
    due = rules.next_due(spell_from=spell_from, held=held, months=months, today=today, soon_days=soon)
    in_spell = [d for d in held if d >= spell_from]
    expected_from = max(in_spell) if in_spell else spell_from
    assert due.counted_from == expected_from and due.from_onderzoek == bool(in_spell)
    assert due.due_on == reference_add_months(expected_from, months)
    if due.due_on < today:
        assert due.status == rules.OVERDUE and due.days_late == (today - due.due_on).days > 0
    elif (due.due_on - today).days <= soon:
        assert due.status == rules.DUE_SOON and due.days_late == 0
    else:
        assert due.status == rules.LATER and due.days_late == 0


def test_an_onderzoek_of_an_earlier_benefit_does_not_count():
    due = rules.next_due(
        spell_from=date(2024, 3, 1), held=[date(2023, 6, 1)], months=12, today=date(2024, 4, 1), soon_days=42
    )
    assert due.counted_from == date(2024, 3, 1) and not due.from_onderzoek
    assert due.due_on == date(2025, 3, 1) and due.status == rules.LATER


def test_an_unknown_group_gets_the_shortest_interval():
    months = {"direct_werk": 12, "zorg": 24}
    assert rules.interval_months("zorg", months) == 24
    assert rules.interval_months("", months) == 12
