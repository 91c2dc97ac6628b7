"""The premium rules (pure): spells, sustained outflow to work, the duration threshold, and
the parts earned, with Hypothesis properties over any benefit history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from trede.casework.policy.presets import PRESETS
from trede.finance.premiums import rules
from trede.finance.premiums.rules import BenefitRow, due_parts, spells, sustained
from trede.utils.dates import add_months

SCHEME = rules.schemes_from_config(PRESETS["hof_van_twente"]["config"])[0]


def _b(i, start, end=None, reason="", regulation="pw"):
    return BenefitRow(f"U{i}", start, end, reason if end else "", regulation)


def test_the_shipped_scheme_is_seed_004():
    assert SCHEME.code == "uitstroompremie" and SCHEME.total == Decimal(750)
    assert [(p.after_months, p.amount) for p in SCHEME.parts] == [(3, Decimal(375)), (6, Decimal(375))]
    assert SCHEME.min_benefit_months == 12 and set(SCHEME.regulations) == {"pw", "ioaw", "ioaz"}
    assert (SCHEME.funding, SCHEME.line) == ("reintegratiebudget", "uitstroompremie")
    assert "seed 004" in SCHEME.source
    assert rules.config_problems(PRESETS["hof_van_twente"]["config"]) == []


def test_touching_benefits_form_one_spell_and_the_last_ending_gives_the_reason():
    out = spells(
        [
            _b(1, date(2020, 1, 1), date(2020, 6, 1), "overig", "ioaw"),
            _b(2, date(2020, 6, 1), date(2021, 3, 1), "werk"),
            _b(3, date(2022, 1, 1)),
        ]
    )
    assert [(s.start, s.end, s.end_reason) for s in out] == [
        (date(2020, 1, 1), date(2021, 3, 1), "werk"),
        (date(2022, 1, 1), None, ""),
    ]


def test_two_parts_after_three_and_six_months_of_sustained_outflow():
    benefits = [_b(1, date(2020, 1, 1), date(2021, 3, 1), "werk")]
    assert due_parts(benefits, SCHEME, as_of=date(2021, 5, 31)) == []
    (one,) = due_parts(benefits, SCHEME, as_of=date(2021, 6, 1))
    assert (one.part, one.due_date, one.amount, one.benefit_id) == (1, date(2021, 6, 1), Decimal(375), "U1")
    both = due_parts(benefits, SCHEME, as_of=date(2021, 9, 1))
    assert [(d.part, d.due_date) for d in both] == [(1, date(2021, 6, 1)), (2, date(2021, 9, 1))]


def test_exactly_twelve_months_is_not_more_than_a_year():
    assert (
        due_parts([_b(1, date(2020, 1, 1), date(2021, 1, 1), "werk")], SCHEME, as_of=date(2022, 1, 1)) == []
    )
    assert (
        len(due_parts([_b(1, date(2020, 1, 1), date(2021, 1, 2), "werk")], SCHEME, as_of=date(2022, 1, 1)))
        == 2
    )


def test_a_new_benefit_before_the_part_is_due_breaks_it():
    out = [_b(1, date(2020, 1, 1), date(2021, 3, 1), "werk")]
    back_in_month_5 = out + [_b(2, date(2021, 8, 1))]
    assert [d.part for d in due_parts(back_in_month_5, SCHEME, as_of=date(2022, 1, 1))] == [1]
    back_in_month_2 = out + [_b(2, date(2021, 5, 1), date(2021, 7, 1), "werk")]
    # Back within 3 months: this outflow earns nothing; the second one is too short.
    assert due_parts(back_in_month_2, SCHEME, as_of=date(2023, 1, 1)) == []
    # Back exactly on the due date: sustained until then (as the effects engine counts it).
    assert [d.part for d in due_parts(out + [_b(2, date(2021, 6, 1))], SCHEME, as_of=date(2022, 1, 1))] == [1]


def test_other_reasons_other_regulations_and_early_outflow_earn_nothing():
    assert (
        due_parts([_b(1, date(2019, 1, 1), date(2021, 3, 1), "verhuizing")], SCHEME, as_of=date(2022, 1, 1))
        == []
    )
    assert (
        due_parts([_b(1, date(2019, 1, 1), date(2021, 3, 1), "werk", "bbz")], SCHEME, as_of=date(2022, 1, 1))
        == []
    )
    assert (
        due_parts([_b(1, date(2015, 1, 1), date(2017, 12, 31), "werk")], SCHEME, as_of=date(2022, 1, 1)) == []
    )


def test_only_the_first_outflow_that_counts_earns_the_premium():
    history = [
        _b(1, date(2018, 1, 1), date(2019, 6, 1), "werk"),  # counts: sustained for 4 months
        _b(2, date(2019, 10, 15), date(2021, 1, 1), "werk"),  # a second long spell and outflow
    ]
    got = due_parts(history, SCHEME, as_of=date(2022, 1, 1))
    assert [(d.part, d.outflow_date) for d in got] == [(1, date(2019, 6, 1))]


def test_config_problems_in_dutch():
    config = {
        "premiums": {
            "outflow_from": "gisteren",
            "schemes": [dict(PRESETS["hof_van_twente"]["config"]["premiums"]["schemes"][0], total_eur=700)],
        }
    }
    problems = rules.config_problems(config)
    assert any("datum" in p for p in problems) and any("totaal" in p for p in problems)
    assert rules.config_problems({}) == ["Premies: de instellingen ontbreken."]


# --------------------------------------------------------------------------- properties

DAY0 = date(2016, 1, 1)


@st.composite
def histories(draw):
    """Any benefit history of one person: overlapping, touching, gaps, any reasons."""
    n = draw(st.integers(0, 6))
    rows = []
    for i in range(n):
        start = DAY0 + timedelta(days=draw(st.integers(0, 3000)))
        length = draw(st.one_of(st.none(), st.integers(1, 1500)))
        end = None if length is None else start + timedelta(days=length)
        reason = draw(st.sampled_from(["werk", "werk", "overig", "verhuizing"]))
        regulation = draw(st.sampled_from(["pw", "pw", "ioaw", "ioaz", "bbz"]))
        rows.append(_b(i, start, end, reason, regulation))
    return rows


@st.composite
def schemes(draw):
    n = draw(st.integers(1, 4))
    months = sorted(draw(st.sets(st.integers(1, 24), min_size=n, max_size=n)))
    amounts = [draw(st.integers(0, 2000)) for _ in months]
    return rules.Scheme(
        code="s",
        name="S",
        trigger="uitstroom_werk",
        min_benefit_months=draw(st.integers(0, 36)),
        regulations=("pw", "ioaw", "ioaz"),
        parts=tuple(
            rules.Part(i + 1, m, Decimal(a)) for i, (m, a) in enumerate(zip(months, amounts, strict=True))
        ),
        total=Decimal(sum(amounts)),
        funding="reintegratiebudget",
        line="x",
        outflow_from=DAY0 + timedelta(days=draw(st.integers(0, 1000))),
    )


AS_OF = st.builds(lambda d: DAY0 + timedelta(days=d), st.integers(0, 4500))


@settings(max_examples=300, deadline=None)
@given(histories(), schemes(), AS_OF)
def test_each_part_at_most_once_in_order_and_never_before_the_earlier_part(history, scheme, as_of):
    got = due_parts(history, scheme, as_of=as_of)
    numbers = [d.part for d in got]
    # Parts 1..k: never twice, never a later part without every earlier one.
    assert numbers == list(range(1, len(got) + 1))
    assert all(a.due_date < b.due_date for a, b in zip(got, got[1:], strict=False))
    assert len({d.outflow_date for d in got}) <= 1  # all from the one outflow that counts
    assert all(d.due_date <= as_of for d in got)


@settings(max_examples=300, deadline=None)
@given(histories(), schemes(), AS_OF)
def test_nobody_under_the_duration_threshold_or_without_sustained_work_outflow(history, scheme, as_of):
    spell_list = spells(b for b in history if b.regulation in scheme.regulations)
    by_end = {s.end: (i, s) for i, s in enumerate(spell_list) if s.end is not None}
    for d in due_parts(history, scheme, as_of=as_of):
        index, spell = by_end[d.outflow_date]
        assert spell.end_reason == "werk"
        assert spell.end > add_months(spell.start, scheme.min_benefit_months)
        assert spell.end >= scheme.outflow_from
        assert sustained(spell_list, index, scheme.part(d.part).after_months)
        assert d.amount == scheme.part(d.part).amount


@settings(max_examples=200, deadline=None)
@given(histories(), schemes())
def test_the_parts_sum_to_the_scheme_total_once_all_are_due(history, scheme):
    far = date(2040, 1, 1)
    got = due_parts(history, scheme, as_of=far)
    if len(got) == len(scheme.parts):
        assert sum(d.amount for d in got) == scheme.total
    # Adding time never takes a part away (the data stay the same).
    earlier = due_parts(history, scheme, as_of=date(2025, 1, 1))
    assert [d.part for d in earlier] == [d.part for d in got][: len(earlier)]


@given(schemes())
def test_a_valid_scheme_config_sums_to_its_total(scheme):
    raw = {
        "code": scheme.code,
        "name": scheme.name,
        "trigger": scheme.trigger,
        "min_benefit_months": scheme.min_benefit_months,
        "regulations": list(scheme.regulations),
        "parts": [{"after_months": p.after_months, "amount_eur": int(p.amount)} for p in scheme.parts],
        "total_eur": int(scheme.total),
        "funding": scheme.funding,
        "line": scheme.line,
    }
    config = {"premiums": {"outflow_from": scheme.outflow_from.isoformat(), "schemes": [raw]}}
    assert rules.config_problems(config) == []
    (back,) = rules.schemes_from_config(config)
    assert sum(p.amount for p in back.parts) == back.total
    raw["total_eur"] += 1
    assert rules.config_problems(config) != []
