"""The money rules of prestatiefinanciering (`claims.billing`), without a database.

Properties, for any contract terms, any trajectory history (start, end, result) and any
days on which the provider claims what is due (and the municipality pays it):
- nothing is paid twice (every key once);
- recoveries never exceed what was paid for the trajectory;
- what was paid in the end equals the contract's rules (`contract_total`), computed
  independently of the order and moments of the claims.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from trede.instruments.claims.billing import (
    ContractTerms,
    TrajectoryEvents,
    contract_total,
    earned_positive,
    invoice_lines,
)

D = Decimal
START = date(2025, 1, 1)

money = st.one_of(st.none(), st.decimals(min_value=0, max_value=5000, places=2))


@st.composite
def terms(draw):
    repayment = draw(st.sampled_from(["geen", "bedrag", "aandeel"]))
    return ContractTerms(
        trajectory_fee=draw(money),
        instalment=draw(money),
        instalments=draw(st.integers(0, 12)),
        result_fee=draw(money),
        repayment=repayment,
        repayment_amount=draw(st.decimals(min_value=0, max_value=20000, places=2))
        if repayment == "bedrag"
        else None,
        repayment_pct=draw(st.decimals(min_value=0, max_value=100, places=2))
        if repayment == "aandeel"
        else None,
    )


@st.composite
def events(draw):
    started = draw(st.booleans())
    if not started:
        return TrajectoryEvents("T1")
    start = START + timedelta(days=draw(st.integers(0, 60)))
    ended = draw(st.booleans())
    if not ended:
        return TrajectoryEvents("T1", start_date=start)
    end = start + timedelta(days=draw(st.integers(0, 500)))
    result = draw(st.sampled_from(["geslaagd", "niet_geslaagd", "voortijdig_gestopt", "lopend", ""]))
    return TrajectoryEvents("T1", start_date=start, end_date=end, result=result)


def settle(terms_, events_, claim_days, final_day):
    """Claim and pay everything due on each claim day, then on the final day (twice, to
    see that a repeated claim adds nothing). Returns the paid lines by key."""
    paid: dict = {}
    for day in [*sorted(claim_days), final_day, final_day]:
        for line in invoice_lines(terms_, events_, day, settled=paid.keys(), paid=paid):
            assert line.key not in paid, f"twice: {line.key}"
            paid[line.key] = line.amount
    return paid


claim_days = st.lists(st.integers(0, 800).map(lambda n: START + timedelta(days=n)), max_size=8)


@settings(max_examples=300, deadline=None)
@given(terms(), events(), claim_days)
def test_nothing_paid_twice_and_the_sum_follows_the_contract(terms_, events_, days):
    final = START + timedelta(days=900)
    paid = settle(terms_, events_, days, final)
    assert len(paid) == len(set(paid))
    assert sum(paid.values(), D(0)) == contract_total(terms_, events_, final)


@settings(max_examples=300, deadline=None)
@given(terms(), events(), claim_days)
def test_recoveries_never_exceed_what_was_paid(terms_, events_, days):
    paid: dict = {}
    for day in [*sorted(days), START + timedelta(days=900)]:
        for line in invoice_lines(terms_, events_, day, settled=paid.keys(), paid=paid):
            paid[line.key] = line.amount
            positive = sum((v for k, v in paid.items() if k[1] != "terugvordering"), D(0))
            recovered = -sum((v for k, v in paid.items() if k[1] == "terugvordering"), D(0))
            assert D(0) <= recovered <= positive
            assert all(v < 0 for k, v in paid.items() if k[1] == "terugvordering")


@settings(max_examples=200, deadline=None)
@given(terms(), events(), st.integers(0, 900))
def test_a_line_on_an_open_claim_is_not_due_again(terms_, events_, offset):
    day = START + timedelta(days=offset)
    due = invoice_lines(terms_, events_, day)
    # On a claim (not yet approved): the same call due nothing of it again.
    again = invoice_lines(terms_, events_, day, settled={line.key for line in due})
    assert not again


def test_instalments_per_started_month_up_to_the_number_then_the_result_fee():
    t = ContractTerms(instalment=D("400"), instalments=6, result_fee=D("1500"))
    e = TrajectoryEvents("T1", start_date=date(2025, 1, 31))
    lines = invoice_lines(t, e, date(2025, 3, 30))
    # 31 Jan, 28 Feb (month 2 starts on the last day of February), 31 Mar not yet.
    assert [(line.kind, line.seq, line.due_date) for line in lines] == [
        ("termijn", 1, date(2025, 1, 31)),
        ("termijn", 2, date(2025, 2, 28)),
    ]
    done = TrajectoryEvents("T1", start_date=date(2025, 1, 31), end_date=date(2026, 1, 15), result="geslaagd")
    lines = invoice_lines(t, done, date(2026, 2, 1))
    assert [line.seq for line in lines if line.kind == "termijn"] == [1, 2, 3, 4, 5, 6]
    assert [line.amount for line in lines if line.kind == "resultaat"] == [D("1500.00")]


def test_a_failed_result_recovers_a_share_of_what_was_paid_and_tops_up_a_late_claim():
    t = ContractTerms(instalment=D("400"), instalments=6, repayment="aandeel", repayment_pct=D("50"))
    e = TrajectoryEvents(
        "T1", start_date=date(2025, 1, 1), end_date=date(2025, 3, 10), result="niet_geslaagd"
    )
    paid = {("T1", "termijn", 1): D("400.00"), ("T1", "termijn", 2): D("400.00")}
    lines = invoice_lines(t, e, date(2025, 4, 1), settled=paid.keys(), paid=paid)
    # Month 3 (from 1 March, before the end on 10 March) is still due; half of 800 is asked back.
    assert [(line.kind, line.seq, line.amount) for line in lines] == [
        ("termijn", 3, D("400.00")),
        ("terugvordering", 1, D("-400.00")),
    ]
    # Once month 3 is paid too, the recovery grows by half of it, in a second line.
    paid |= {("T1", "termijn", 3): D("400.00"), ("T1", "terugvordering", 1): D("-400.00")}
    lines = invoice_lines(t, e, date(2025, 5, 1), settled=paid.keys(), paid=paid)
    assert [(line.kind, line.seq, line.amount) for line in lines] == [("terugvordering", 2, D("-200.00"))]


def test_a_fixed_repayment_is_capped_at_what_was_paid():
    t = ContractTerms(trajectory_fee=D("750"), repayment="bedrag", repayment_amount=D("2000"))
    e = TrajectoryEvents(
        "T1", start_date=date(2025, 1, 1), end_date=date(2025, 2, 1), result="voortijdig_gestopt"
    )
    paid = {("T1", "trajectprijs", 0): D("750.00")}
    lines = invoice_lines(t, e, date(2025, 3, 1), settled=paid.keys(), paid=paid)
    assert [(line.kind, line.amount) for line in lines] == [("terugvordering", D("-750.00"))]


def test_no_show_earns_nothing():
    t = ContractTerms(trajectory_fee=D("750"), instalment=D("400"), instalments=3, result_fee=D("1000"))
    assert earned_positive(t, TrajectoryEvents("T1"), date(2030, 1, 1)) == []
