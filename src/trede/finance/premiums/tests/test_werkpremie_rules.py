"""The werkpremie as a rule (pure, decision 73): a calendar month counts when on at least
one of its days a trajectory of the scheme's types runs (interchange: start <= D < end,
the planned end while the end is empty) and a benefit runs; it is earned on the first of
the next month. Checked against an independent day-by-day reference under Hypothesis."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from trede.casework.policy.presets import PRESETS
from trede.finance.premiums import rules
from trede.finance.premiums.rules import BenefitRow, TrajectoryRow, due_parts

SCHEME = next(
    s for s in rules.schemes_from_config(PRESETS["hof_van_twente"]["config"]) if s.code == "werkpremie"
)
ON_BENEFIT = [BenefitRow("U1", date(2023, 1, 1), None)]


def _t(start, end=None, planned=None, kind="vrijwilligerswerk", tid="T1"):
    return TrajectoryRow(tid, start, end, planned, kind)


def _months(trajectories, benefits=ON_BENEFIT, as_of=date(2030, 1, 1), scheme=SCHEME):
    return [
        (d.period, d.due_date) for d in due_parts(benefits, scheme, as_of=as_of, trajectories=trajectories)
    ]


def test_the_shipped_werkpremie_is_seed_004_with_our_default_amount():
    assert (SCHEME.trigger, SCHEME.monthly_amount, SCHEME.funding, SCHEME.line) == (
        "deelname_traject",
        Decimal(50),
        "reintegratiebudget",
        "werkpremies",
    )
    assert {"vrijwilligerswerk", "werkervaringsplaats", "scholing"} <= set(SCHEME.instrument_types)
    assert "loonkostensubsidie" not in SCHEME.instrument_types and SCHEME.months_from == date(2018, 1, 1)
    assert rules.config_problems(PRESETS["hof_van_twente"]["config"]) == []


def test_a_month_counts_with_one_day_of_participation_and_is_earned_the_month_after():
    # 31 March to 1 May (end exclusive): March and April; not May.
    assert _months([_t(date(2024, 3, 31), date(2024, 5, 1))]) == [
        (date(2024, 3, 1), date(2024, 4, 1)),
        (date(2024, 4, 1), date(2024, 5, 1)),
    ]
    # Ending on 2 May: one day in May counts.
    assert [m for m, _ in _months([_t(date(2024, 4, 10), date(2024, 5, 2))])] == [
        date(2024, 4, 1),
        date(2024, 5, 1),
    ]
    # A month is earned once it is over: on 30 April only March.
    assert _months([_t(date(2024, 3, 31), date(2024, 5, 1))], as_of=date(2024, 4, 30)) == [
        (date(2024, 3, 1), date(2024, 4, 1))
    ]


def test_the_planned_end_while_the_end_is_empty_and_never_without_a_start():
    assert [m for m, _ in _months([_t(date(2024, 1, 15), planned=date(2024, 3, 1))])] == [
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]
    # The actual end wins over the planned one.
    assert [m for m, _ in _months([_t(date(2024, 1, 15), date(2024, 2, 1), date(2024, 6, 1))])] == [
        date(2024, 1, 1)
    ]
    # Without any end it runs on, up to the last month that is over.
    assert len(_months([_t(date(2024, 1, 15))], as_of=date(2024, 7, 1))) == 6
    assert _months([_t(None, planned=date(2024, 6, 1))]) == []  # a no-show


def test_only_the_schemes_types_only_on_benefit_and_only_from_the_first_month():
    assert _months([_t(date(2024, 1, 1), date(2024, 6, 1), kind="loonkostensubsidie")]) == []
    # The benefit ended on 1 March: January and February only.
    benefits = [BenefitRow("U1", date(2023, 1, 1), date(2024, 3, 1), "werk")]
    assert [m for m, _ in _months([_t(date(2024, 1, 1), date(2024, 6, 1))], benefits)] == [
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]
    bbz = [BenefitRow("U1", date(2023, 1, 1), None, regulation="bbz")]
    assert _months([_t(date(2024, 1, 1), date(2024, 6, 1))], bbz) == []  # not a regulation of the scheme
    late = rules.Scheme(**{**SCHEME.__dict__, "months_from": date(2024, 3, 15)})
    assert [m for m, _ in _months([_t(date(2024, 1, 1), date(2024, 5, 1))], scheme=late)] == [
        date(2024, 3, 1),
        date(2024, 4, 1),
    ]


def test_two_trajectories_in_one_month_are_one_month_named_by_the_first():
    out = due_parts(
        ON_BENEFIT,
        SCHEME,
        as_of=date(2025, 1, 1),
        trajectories=[
            _t(date(2024, 5, 20), date(2024, 7, 1), tid="T2", kind="scholing"),
            _t(date(2024, 5, 2), date(2024, 6, 1), tid="T1"),
        ],
    )
    assert [(d.period, d.trajectory_id, d.amount, d.part) for d in out] == [
        (date(2024, 5, 1), "T1", Decimal(50), 1),
        (date(2024, 6, 1), "T2", Decimal(50), 1),
    ]


def test_bad_settings_are_refused_in_dutch():
    config = PRESETS["hof_van_twente"]["config"]
    premiums = config["premiums"]
    bad = dict(
        premiums["schemes"][1], monthly_amount_eur=0, instrument_types=["paardrijden"], months_from="x"
    )
    problems = rules.config_problems({"premiums": {**premiums, "schemes": [premiums["schemes"][0], bad]}})
    assert problems == [
        "Werkpremie: geef het bedrag per maand in hele euro's (1 tot 10.000).",
        "Werkpremie: kies ten minste één soort traject die meetelt.",
        "Werkpremie: geef de eerste maand waarover de premie telt (JJJJ-MM-DD).",
    ]


# ----------------------------------------------------------------- the independent reference

DAY0 = date(2023, 11, 1)


def _reference(benefits, trajectories, scheme, as_of):
    """Day by day: every day a qualifying trajectory and a benefit run, its month, if the
    month is over on as_of and not before months_from."""
    months = set()
    day = DAY0
    while day < as_of:
        traj = any(
            t.instrument_type in scheme.instrument_types
            and t.start_date is not None
            and t.start_date <= day
            and (
                day < t.end_date if t.end_date else (day < t.planned_end_date if t.planned_end_date else True)
            )
            for t in trajectories
        )
        ben = any(
            b.regulation in scheme.regulations
            and b.start_date <= day
            and (b.end_date is None or day < b.end_date)
            for b in benefits
        )
        month = date(day.year, day.month, 1)
        next_first = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        if traj and ben and next_first <= as_of and day >= scheme.months_from.replace(day=1):
            months.add(month)
        day += timedelta(days=1)
    return sorted(months)


days = st.integers(0, 500)
trajectory = st.tuples(
    st.one_of(st.none(), days),
    st.one_of(st.none(), st.integers(0, 300)),
    st.one_of(st.none(), st.integers(0, 300)),
    st.sampled_from(["vrijwilligerswerk", "scholing", "loonkostensubsidie", "jobcoaching"]),
)
benefit = st.tuples(days, st.one_of(st.none(), st.integers(1, 400)), st.sampled_from(["pw", "ioaw", "bbz"]))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(trajectory, max_size=4),
    st.lists(benefit, max_size=3),
    st.integers(0, 560),
    st.integers(1, 500),
    st.integers(0, 200),
)
def test_months_and_amounts_match_a_day_by_day_reference(trajs, bens, as_of_day, amount, from_day):
    rows = []
    for i, (start, length, planned, kind) in enumerate(trajs):
        s = None if start is None else DAY0 + timedelta(days=start)
        end = None if s is None or length is None else s + timedelta(days=length)
        plan = None if s is None or planned is None else s + timedelta(days=planned)
        rows.append(TrajectoryRow(f"T{i}", s, end, plan, kind))
    benefits = [
        BenefitRow(
            f"U{i}", DAY0 + timedelta(days=s), None if n is None else DAY0 + timedelta(days=s + n), "", r
        )
        for i, (s, n, r) in enumerate(bens)
    ]
    scheme = rules.Scheme(
        **{
            **SCHEME.__dict__,
            "monthly_amount": Decimal(amount),
            "months_from": DAY0 + timedelta(days=from_day),
        }
    )
    as_of = DAY0 + timedelta(days=as_of_day)
    out = due_parts(benefits, scheme, as_of=as_of, trajectories=rows)
    assert [d.period for d in out] == _reference(benefits, rows, scheme, as_of)
    assert len({d.period for d in out}) == len(out)  # each month once
    assert sum((d.amount for d in out), Decimal(0)) == len(out) * Decimal(amount)
    for d in out:
        assert d.due_date == rules.next_month(d.period) <= as_of
        ran = next(t for t in rows if t.trajectory_id == d.trajectory_id)
        assert ran.instrument_type in scheme.instrument_types
