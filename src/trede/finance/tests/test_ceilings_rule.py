"""The ceiling rule and the BUIG vangnet as pure functions, with Hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from trede.casework.policy.presets import PRESETS
from trede.finance import ceilings
from trede.finance.buig import Vangnet, VangnetRule

TH = ceilings.Thresholds(Decimal(90), Decimal(100))
money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
ceiling_or_none = st.one_of(st.none(), money)
pcts = st.decimals(min_value=1, max_value=200, places=1)


def test_the_edges_of_the_rule():
    assert ceilings.status(Decimal(89), Decimal(100), TH) == ceilings.BINNEN
    assert ceilings.status(Decimal(90), Decimal(100), TH) == ceilings.WAARSCHUWING
    assert ceilings.status(Decimal("99.99"), Decimal(100), TH) == ceilings.WAARSCHUWING
    assert ceilings.status(Decimal(100), Decimal(100), TH) == ceilings.BLOKKADE
    assert ceilings.status(Decimal(5), None, TH) == ceilings.GEEN
    assert ceilings.status(Decimal(0), Decimal(0), TH) == ceilings.BLOKKADE
    # Reaching the ceiling exactly is allowed; beyond it is not; a fall never is refused.
    assert not ceilings.blocked(Decimal(99), Decimal(100), Decimal(100), TH)
    assert ceilings.blocked(Decimal(100), Decimal("100.01"), Decimal(100), TH)
    assert not ceilings.blocked(Decimal(150), Decimal(120), Decimal(100), TH)


def test_every_preset_warns_at_90_and_blocks_at_100_with_a_vangnet_source():
    for preset in PRESETS.values():
        assert preset["config"]["ceilings"] == {"warn_pct": 90, "block_pct": 100}
        assert preset["config"]["buig_vangnet"]["source"]


@given(use=money, ceiling=ceiling_or_none, warn=pcts, extra=pcts)
def test_status_is_monotone_in_the_use(use, ceiling, warn, extra):
    th = ceilings.Thresholds(warn, warn + extra)
    order = [ceilings.GEEN, ceilings.BINNEN, ceilings.WAARSCHUWING, ceilings.BLOKKADE]
    lower = ceilings.status(use, ceiling, th)
    higher = ceilings.status(use + 1, ceiling, th)
    assert order.index(lower) <= order.index(higher)
    assert (lower == ceilings.GEEN) == (ceiling is None)


@given(before=money, rise=money, ceiling=ceiling_or_none)
def test_blocked_exactly_when_a_rise_ends_beyond_the_block_level(before, rise, ceiling):
    after = before + rise
    refused = ceilings.blocked(before, after, ceiling, TH)
    if ceiling is None or rise == 0:
        assert not refused
    else:
        assert refused == (after > ceiling)
        # At the block level already, every rise is refused.
        if ceilings.status(before, ceiling, TH) == ceilings.BLOKKADE:
            assert refused
    # A fall is never refused.
    assert not ceilings.blocked(after, before, ceiling, TH)


@given(
    paid=st.dictionaries(st.sampled_from("abcdef"), money, max_size=6),
    expected=st.dictionaries(st.sampled_from("abcdefgh"), money, max_size=8),
    tid=st.sampled_from("abcdefgh"),
    amount=money,
)
def test_money_use_counts_paid_plus_what_running_trajectories_still_cost(paid, expected, tid, amount):
    use = ceilings.money_use(paid, expected)
    assert use >= sum(paid.values(), Decimal(0))
    assert use >= sum(max(v, paid.get(k, 0)) for k, v in expected.items())
    more = dict(paid)
    more[tid] = more.get(tid, Decimal(0)) + amount
    after = ceilings.money_use(more, expected)
    # Paying never lowers the use; paying what was still expected leaves it unchanged.
    assert after >= use
    remaining = max(expected.get(tid, Decimal(0)) - paid.get(tid, Decimal(0)), Decimal(0))
    if tid in expected and amount <= remaining:
        assert after == use
    else:
        assert after == use + amount - (remaining if tid in expected else 0)


RULE = VangnetRule(Decimal("7.5"), Decimal("12.5"), Decimal("0.5"))


def test_the_vangnet_at_its_edges():
    budget = Decimal(1_000_000)
    assert Vangnet(budget, Decimal(1_075_000), RULE).compensation == 0
    assert Vangnet(budget, Decimal(1_075_000), RULE).own_share == 75_000
    assert Vangnet(budget, Decimal(1_125_000), RULE).compensation == 25_000
    assert Vangnet(budget, Decimal(1_200_000), RULE).compensation == 25_000 + 75_000
    assert Vangnet(budget, Decimal(1_200_000), RULE).own_share == 100_000
    assert Vangnet(budget, Decimal(900_000), RULE).surplus == 100_000
    assert Vangnet(budget, Decimal(900_000), RULE).deficit == 0


@given(budget=money, expected=money, more=money)
def test_the_vangnet_never_pays_more_than_the_deficit_and_own_share_is_capped(budget, expected, more):
    v = Vangnet(budget, expected, RULE)
    assert 0 <= v.compensation <= v.deficit
    assert v.own_share >= 0
    # The municipality never bears more than its own risk plus half of the band.
    assert v.own_share <= v.threshold + (v.band_end - v.threshold) * Decimal("0.5") + Decimal("0.000001")
    w = Vangnet(budget, expected + more, RULE)
    assert w.compensation >= v.compensation and w.own_share >= v.own_share
    if not v.over_threshold:
        assert v.compensation == 0 and v.own_share == v.deficit
