"""The handhaving rules as properties (Hypothesis) and the shipped verordening's table."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from trede.benefits.handhaving import rules
from trede.casework.policy.presets import PRESETS
from trede.utils.dates import add_months

SHIPPED = PRESETS["leidschendam_voorburg"]["config"]["handhaving"]
POLICY = rules.policy_from(SHIPPED)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)
blame = st.sampled_from(rules.VERWIJTBAARHEID)
step = st.fixed_dictionaries({"percentage": st.integers(1, 100), "months": st.integers(1, 12)})


@st.composite
def policies(draw):
    """A valid verordening: steps that never get lighter, caps at or above every step."""
    config = copy.deepcopy(SHIPPED)
    max_pct = draw(st.integers(1, 100))
    max_months = draw(st.integers(1, 12))
    categories = []
    for n in range(draw(st.integers(1, 4))):
        pcts = sorted(draw(st.lists(st.integers(1, max_pct), min_size=1, max_size=4)))
        months = sorted(draw(st.lists(st.integers(1, max_months), min_size=len(pcts), max_size=len(pcts))))
        categories.append(
            {
                "code": str(n + 1),
                "name": f"cat {n}",
                "steps": [{"percentage": p, "months": m} for p, m in zip(pcts, months, strict=True)],
            }
        )
    config |= {
        "categories": categories,
        "max_percentage": max_pct,
        "max_months": max_months,
        "recidive_months": draw(st.integers(1, 60)),
        "verminderd_pct": draw(st.integers(0, 100)),
    }
    assert rules.config_problems({"handhaving": config}) == []
    return rules.policy_from(config)


def test_the_shipped_verordening_is_usable_and_reads_as_its_table():
    assert rules.config_problems({"handhaving": SHIPPED}) == []
    table = {
        (c.code, n): (rules.maatregel(POLICY, category=c.code, offence=n, verwijtbaarheid="verwijtbaar"))
        for c in POLICY.categories
        for n in (1, 2, 3, 4)
    }
    assert (table[("1", 1)].percentage, table[("1", 1)].months) == (Decimal("20.00"), 1)
    assert (table[("1", 3)].percentage, table[("1", 3)].months) == (Decimal("100.00"), 1)
    assert (table[("3", 3)].percentage, table[("3", 3)].months) == (Decimal("100.00"), 3)
    assert table[("3", 4)].step == 3  # beyond the last step: the last step


@settings(deadline=None)
@given(policy=policies(), offence=st.integers(1, 10), verwijt=blame, data=st.data())
def test_a_maatregel_never_exceeds_the_verordenings_maximum(policy, offence, verwijt, data):
    cat = data.draw(st.sampled_from(policy.categories))
    m = rules.maatregel(policy, category=cat.code, offence=offence, verwijtbaarheid=verwijt)
    if verwijt == rules.GEEN:
        assert m is None
        return
    assert Decimal(0) <= m.percentage <= policy.max_percentage
    assert 1 <= m.months <= policy.max_months
    assert 1 <= m.step <= len(cat.steps)


@settings(deadline=None)
@given(
    policy=policies(),
    offence=st.integers(1, 10),
    verwijt=st.sampled_from(["verwijtbaar", "verminderd"]),
    data=st.data(),
)
def test_recidive_raises_the_step_and_never_lightens_the_maatregel(policy, offence, verwijt, data):
    cat = data.draw(st.sampled_from(policy.categories))
    now = rules.maatregel(policy, category=cat.code, offence=offence, verwijtbaarheid=verwijt)
    later = rules.maatregel(policy, category=cat.code, offence=offence + 1, verwijtbaarheid=verwijt)
    assert later.step == min(now.step + 1, len(cat.steps))
    assert later.percentage >= now.percentage and later.months >= now.months
    full = rules.maatregel(policy, category=cat.code, offence=offence, verwijtbaarheid="verwijtbaar")
    reduced = rules.maatregel(policy, category=cat.code, offence=offence, verwijtbaarheid="verminderd")
    assert reduced.percentage <= full.percentage


@settings(deadline=None)
@given(on=days, earlier=st.lists(days, max_size=8), months=st.integers(1, 60))
def test_offence_number_counts_the_earlier_ones_within_the_period(on, earlier, months):
    n = rules.offence_number(earlier, on=on, months=months)
    # Oracle: walk back month by month from `on`.
    start = add_months(on, -months)
    assert n == 1 + len([d for d in earlier if start <= d and d < on])
    assert rules.offence_number([*earlier, on + timedelta(days=1), on], on=on, months=months) == n


@settings(deadline=None)
@given(benadeling=money, earlier=st.integers(0, 3))
def test_a_waarschuwing_only_where_the_rules_allow_it(benadeling, earlier):
    warn = rules.waarschuwing_instead_of_boete(POLICY, benadeling=benadeling, earlier_in_lookback=earlier)
    assert warn == (benadeling <= Decimal(150) and earlier == 0)
    boete = rules.decide(
        POLICY,
        kind="boete",
        obligation="inlichtingen",
        verwijtbaarheid="verwijtbaar",
        dringende_redenen=False,
        benadeling=benadeling,
        earlier_in_lookback=earlier,
    )
    waarschuwing = rules.decide(
        POLICY,
        kind="waarschuwing",
        obligation="inlichtingen",
        verwijtbaarheid="verwijtbaar",
        dringende_redenen=False,
        benadeling=benadeling,
        earlier_in_lookback=earlier,
    )
    # Exactly one of the two may be taken (a boete needs an amount above 0).
    assert bool(waarschuwing.refusal) == (not warn)
    if warn:
        assert boete.refusal and "waarschuwing in plaats van een boete" in boete.refusal
    elif benadeling > 0:
        assert not boete.refusal and boete.legal_ground.startswith("art. 18a")


@settings(deadline=None)
@given(benadeling=money, verwijt=blame)
def test_a_boete_is_a_share_of_the_benadelingsbedrag_never_more(benadeling, verwijt):
    amount = rules.boete_amount(POLICY, benadeling=benadeling, verwijtbaarheid=verwijt)
    assert Decimal(0) <= amount <= benadeling
    expected = {
        "opzet": 1,
        "grove_schuld": Decimal("0.75"),
        "verwijtbaar": Decimal("0.5"),
        "verminderd": Decimal("0.25"),
        "geen": 0,
    }
    assert abs(amount - benadeling * Decimal(expected[verwijt])) <= Decimal("0.005")


@settings(deadline=None)
@given(day=days, weeks=st.integers(1, 26))
def test_the_bezwaar_deadline_is_the_decision_date_plus_the_term(day, weeks):
    deadline = rules.bezwaar_deadline(day, weeks)
    assert (deadline - day).days == 7 * weeks
    assert deadline.weekday() == day.weekday()
    assert rules.bezwaar_deadline(date(2026, 12, 3), POLICY.bezwaar_weeks) == date(2027, 1, 14)


@settings(deadline=None)
@given(
    kind=st.sampled_from(rules.KINDS),
    obligation=st.sampled_from([rules.ARBEID, rules.INLICHTINGEN]),
    verwijt=blame,
    dringend=st.booleans(),
)
def test_no_maatregel_or_boete_without_blame_or_with_dringende_redenen(kind, obligation, verwijt, dringend):
    outcome = rules.decide(
        POLICY,
        kind=kind,
        obligation=obligation,
        verwijtbaarheid=verwijt,
        dringende_redenen=dringend,
        category="1",
        benadeling=Decimal(500),
        tegenprestatie_months=3,
    )
    if (
        kind not in rules.KINDS_BY_OBLIGATION[obligation]
        or kind in (rules.MAATREGEL, rules.BOETE)
        and (verwijt == rules.GEEN or dringend)
    ):
        assert outcome.refusal
    if not outcome.refusal:
        assert outcome.legal_ground


def test_config_problems_name_what_is_wrong_in_dutch():
    bad = copy.deepcopy(SHIPPED)
    bad["categories"][0]["steps"][1]["percentage"] = 10  # lighter on recidive
    bad["max_percentage"] = 60  # below category 3's 100 %
    bad["bezwaar_weeks"] = 0
    problems = rules.config_problems({"handhaving": bad})
    assert any("niet lichter" in p for p in problems)
    assert any("boven het hoogste percentage" in p for p in problems)
    assert any("bezwaartermijn" in p for p in problems)
    assert rules.config_problems({}) == []  # a preset without the section uses the default
