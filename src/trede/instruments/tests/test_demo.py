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
