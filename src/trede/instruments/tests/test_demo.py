"""The demo's catalogue, contracts and claims: every claim state for the demo provider."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trede.accounts.models import Role
from trede.casework.tests.factories_plans import UserFactory
from trede.instruments.demo import demo_catalogue_seed
from trede.instruments.models import Claim, Contract
from trede.instruments.tests.factories import InstrumentFactory, ProviderFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_gives_contracts_and_claims_in_every_state_once():
    today = date(2026, 11, 30)
    provider = ProviderFactory(provider_id="PD")
    wep = InstrumentFactory(instrument_code="WEPD", goal="", price_eur=2400)
    for n in range(12):
        start = today - timedelta(days=40 * n + 35)
        TrajectoryFactory(
            trajectory_id=f"TD{n}",
            provider=provider,
            instrument=wep,
            referral_date=start - timedelta(days=14),
            start_date=start,
            end_date=start + timedelta(days=120) if n > 4 else None,
            result=("geslaagd" if n % 2 else "niet_geslaagd") if n > 4 else "",
        )
    UserFactory(username="aanbieder", role=Role.AANBIEDER, provider=provider)
    UserFactory(username="contractmanager", role=Role.CONTRACTMANAGER)
    UserFactory(username="teamleider", role=Role.TEAMLEIDER)
    result = demo_catalogue_seed(today=today)
    assert result["contracten"] == Contract.objects.count() == 1
    states = set(Claim.objects.values_list("status", flat=True))
    assert states == {"ingediend", "gecontroleerd", "goedgekeurd", "afgewezen"}
    assert Claim.objects.filter(kind="terugvordering").exists()
    assert demo_catalogue_seed(today=today) == {}


def test_demo_referrals_give_the_provider_participants_in_every_state_and_the_worklist_a_no_show():
    from trede.casework.contacts.selectors import worklist_for
    from trede.casework.tests.factories_plans import ClientOnBenefitFactory, ConsultantUserFactory
    from trede.instruments.demo import demo_referrals_seed
    from trede.instruments.models import Referral
    from trede.instruments.referrals import selectors
    from trede.instruments.referrals.rules import DEFAULTS, ReferralSettings

    today = date(2026, 12, 1)
    provider = ProviderFactory(provider_id="PD")
    wep = InstrumentFactory(instrument_code="WEPD", max_duration_months=6)
    Contract.objects.create(
        reference="C-D",
        provider=provider,
        start_date=date(2020, 1, 1),
        price_model="per_traject",
        trajectory_fee_eur=1000,
        funding="reintegratiebudget",
        budget_line="trajecten",
    ).instruments.set([wep])
    consultant = ConsultantUserFactory(user__username="consulent")
    for _n in range(8):
        ClientOnBenefitFactory(consultant=consultant)
    UserFactory(username="aanbieder", role=Role.AANBIEDER, provider=provider)
    counts = demo_referrals_seed(today=today)
    assert sum(counts.values()) == 7 and Referral.objects.count() == 7
    settings = ReferralSettings(**DEFAULTS)
    stages = {s.stage for s in selectors.participants_of(provider, today=today, settings=settings)}
    assert stages == {"verwezen", "intake", "niet_gestart", "loopt", "beoordelen"}
    signals = selectors.provider_signals(today=today, settings=settings)
    kinds = {sig.kind for row in signals for sig in row.signals}
    assert kinds == {"rapportage", "resultaat"}
    items = worklist_for(consultant=consultant, today=today)
    assert [i.action for i in items if i.kind == "no_show"] == ["referral"]
    assert demo_referrals_seed(today=today) == {}
