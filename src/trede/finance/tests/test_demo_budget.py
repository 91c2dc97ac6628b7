"""The demo's money: the demo provider's trajectories are paid once (by Trede's approvals,
not also by the generator's payments.csv), and a contract manager finds a provider near
its ceiling and one that reached it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from trede.accounts.models import Role
from trede.casework.tests.factories_plans import UserFactory
from trede.finance import ceilings
from trede.finance.models import Payment
from trede.finance.selectors import ceiling_signals, contract_ceilings
from trede.instruments.demo import demo_catalogue_seed
from trede.instruments.models import ClaimLine
from trede.instruments.tests.factories import InstrumentFactory, ProviderFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


def _imported(trajectory, n):
    Payment.objects.create(
        payment_id=f"BET{n:08d}",
        client=trajectory.client,
        date=trajectory.start_date,
        amount_eur=Decimal("1440.00"),
        kind="traject",
        funding="reintegratiebudget",
        line="trajecten",
        trajectory=trajectory,
    )


def test_the_demo_pays_each_trajectory_once_and_shows_ceilings():
    provider, other = ProviderFactory(provider_id="PD"), ProviderFactory(provider_id="PO")
    wep = InstrumentFactory(instrument_code="WEPD", goal="", price_eur=2400)
    n = 0
    for who in (provider, other):
        for i in range(8):
            start = TODAY - timedelta(days=40 * i + 35)
            t = TrajectoryFactory(
                trajectory_id=f"T{who.pk}{i}",
                provider=who,
                instrument=wep,
                referral_date=start - timedelta(days=14),
                start_date=start,
                end_date=start + timedelta(days=120) if i > 3 else None,
                result=("geslaagd" if i % 2 else "niet_geslaagd") if i > 3 else "",
                cost_eur=Decimal("2400"),
            )
            n += 1
            _imported(t, n)
    UserFactory(username="aanbieder", role=Role.AANBIEDER, provider=provider)
    UserFactory(username="contractmanager", role=Role.CONTRACTMANAGER)
    UserFactory(username="teamleider", role=Role.TEAMLEIDER)
    demo_catalogue_seed(today=TODAY)
    # The demo provider: only Trede's own payments, one per approved line.
    own = Payment.objects.filter(trajectory__provider=provider)
    assert own.exists() and not own.exclude(payment_id__startswith="TREDE-DECL-").exists()
    approved = ClaimLine.objects.filter(claim__status="goedgekeurd", released=False).count()
    assert own.count() == approved > 0
    # Dated in the year the claim's lines were due (the demo approves years of work at once).
    for payment in own:
        line = ClaimLine.objects.get(pk=int(payment.payment_id.removeprefix("TREDE-DECL-")))
        latest = max(line.claim.lines.values_list("due_date", flat=True))
        assert payment.date == min(date(latest.year, 12, 31), TODAY)
    # The other provider invoices elsewhere: its imported payments stay, nothing is due in Trede.
    assert Payment.objects.filter(trajectory__provider=other, payment_id__startswith="BET").count() == 8
    assert not ClaimLine.objects.filter(trajectory__provider=other).exists()
    # Ceilings: the demo provider near 92 % of its money ceiling, the other at its volume ceiling.
    money = [f for f in contract_ceilings(as_of=TODAY) if f.measure == ceilings.GELD]
    assert [f.status for f in money] == [ceilings.WAARSCHUWING]
    assert Decimal(90) <= money[0].share < Decimal(95)
    signals = ceiling_signals(as_of=TODAY)
    assert [f.provider for f in signals.warn if f.contract_pk] == [str(provider)]
    assert [f.provider for f in signals.block if f.contract_pk] == [str(other)]
