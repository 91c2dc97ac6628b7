"""An approved claim is paid: finance Payment rows in the approval's transaction, counted by
`trede budget report` and `trede instruments report` without change (decision 38, 47)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from trede.accounts.models import Role
from trede.casework.tests.factories_plans import UserFactory
from trede.finance.models import Payment
from trede.finance.selectors import budget_report_json
from trede.finance.services import claim_payments_book
from trede.instruments.claims import selectors, services
from trede.instruments.models import Claim
from trede.instruments.reporting import instrument_report_json
from trede.instruments.tests.factories import (
    ContractFactory,
    InstrumentFactory,
    ProviderFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 12, 1)


@pytest.fixture
def setup():
    provider = ProviderFactory(provider_id="P9")
    wep = InstrumentFactory(instrument_code="WEP9")
    contract = ContractFactory(
        provider=provider, instruments=[wep], start_date=date(2024, 1, 1), budget_line="jobcoaching"
    )
    ok = TrajectoryFactory(trajectory_id="T-OK", provider=provider, instrument=wep, succeeded=True)
    bad = TrajectoryFactory(trajectory_id="T-NO", provider=provider, instrument=wep, failed=True)
    return {
        "provider": provider,
        "contract": contract,
        "ok": ok,
        "bad": bad,
        "staff": UserFactory(role=Role.AANBIEDER, provider=provider),
        "a": UserFactory(role=Role.CONTRACTMANAGER, username="cm_a"),
        "b": UserFactory(role=Role.TEAMLEIDER, username="tl_b"),
    }


def _approved(s, claim):
    services.claim_check(user=s["a"], claim=claim)
    return services.claim_approve(user=s["b"], claim=claim)


def _declared(s):
    keys = [d.key_text for d in selectors.due_lines([s["provider"].pk], as_of=AS_OF)]
    return services.claim_submit(user=s["staff"], keys=keys, as_of=AS_OF)


def test_approval_books_one_payment_per_line_on_the_contracts_line(setup):
    claim = _declared(setup)
    assert not Payment.objects.exists()
    _approved(setup, claim)
    lines = list(claim.lines.order_by("pk"))
    payments = list(Payment.objects.order_by("payment_id"))
    assert len(payments) == len(lines) == 10  # T-OK: 6 + result; T-NO: 3 started months
    assert {p.payment_id for p in payments} == {f"TREDE-DECL-{line.pk}" for line in lines}
    today = timezone.localdate()
    for p in payments:
        assert (p.kind, p.funding, p.line, p.date) == ("traject", "reintegratiebudget", "jobcoaching", today)
        assert p.client_id == p.trajectory.client_id
    assert sum(p.amount_eur for p in payments) == claim.total_eur


def test_a_recovery_is_a_negative_payment_and_a_retry_books_nothing_twice(setup):
    _approved(setup, _declared(setup))
    recovery = services.recoveries_create(user=setup["a"], provider=setup["provider"], as_of=AS_OF)
    services.claim_check(user=setup["b"], claim=recovery)
    cm2 = UserFactory(role=Role.CONTRACTMANAGER, username="cm_2")
    services.claim_approve(user=cm2, claim=recovery)
    line = recovery.lines.get()
    payment = Payment.objects.get(payment_id=f"TREDE-DECL-{line.pk}")
    assert payment.amount_eur == line.amount_eur < 0 and payment.trajectory_id == "T-NO"
    before = Payment.objects.count()
    assert claim_payments_book(recovery, day=date(2030, 1, 1)) == 1
    assert Payment.objects.count() == before
    assert Payment.objects.get(payment_id=payment.payment_id).date == payment.date


def test_a_refused_approval_books_nothing(setup):
    claim = _declared(setup)
    services.claim_check(user=setup["a"], claim=claim)
    with pytest.raises(services.ClaimRefused):
        services.claim_approve(user=setup["a"], claim=claim)
    assert not Payment.objects.exists()
    assert Claim.objects.get(pk=claim.pk).status == "gecontroleerd"


def test_both_reports_count_trede_payments_without_change(setup):
    claim = _declared(setup)
    _approved(setup, claim)
    today = timezone.localdate()
    budget = budget_report_json(today.year, date(today.year + 1, 1, 1))
    line = next(row for row in budget["lines"] if row["line"] == "jobcoaching")
    assert line["spent_eur"] == float(claim.total_eur)
    assert budget["by_funding"]["reintegratiebudget"]["spent_eur"] == float(claim.total_eur)
    report = instrument_report_json(date(2024, 1, 1), date(2025, 1, 1), "instrument")
    (row,) = report["rows"]
    ok = sum(p.amount_eur for p in Payment.objects.filter(trajectory_id="T-OK"))
    no = sum(p.amount_eur for p in Payment.objects.filter(trajectory_id="T-NO"))
    assert row["cost_eur"] == float(ok + no) == float(claim.total_eur)
    assert row["cost_per_success_eur"] == float(ok + no)


def test_a_trajectory_paid_by_another_system_is_not_invoiced_again(setup):
    Payment.objects.create(
        payment_id="BET00000001",
        client=setup["ok"].client,
        date=date(2024, 3, 1),
        amount_eur=Decimal("1440.00"),
        kind="traject",
        funding="reintegratiebudget",
        line="trajecten",
        trajectory=setup["ok"],
    )
    due = selectors.due_lines([setup["provider"].pk], as_of=AS_OF)
    assert {d.trajectory.pk for d in due} == {"T-NO"}
    # Trede's own payments do not hide a trajectory's later lines.
    _approved(setup, _declared(setup))
    assert Payment.objects.filter(trajectory_id="T-NO", payment_id__startswith="TREDE-DECL-").exists()
