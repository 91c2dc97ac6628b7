"""Factories of providers, instruments, contracts and trajectories (with lifecycle traits)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from trede.clients.tests.factories import ClientFactory

from ..models import Contract, Instrument, Provider, Trajectory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("provider_id",)

    provider_id = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Re-integratiebedrijf {n}")
    kind = "reintegratiebedrijf"


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        django_get_or_create = ("instrument_code",)

    instrument_code = factory.Sequence(lambda n: f"I{n:03d}")
    name = factory.Sequence(lambda n: f"Instrument {n}")
    type = "werkervaringsplaats"
    funding = "reintegratiebudget"
    goal = "Werkritme opdoen."

    class Params:
        work_criterion = factory.Trait(
            success_kind="werkuren", success_hours_per_week=Decimal("20"), success_months=6
        )


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    provider = factory.SubFactory(ProviderFactory)
    start_date = date(2024, 1, 1)
    price_model = "gemengd"
    instalment_eur = Decimal("400.00")
    instalments = 6
    result_fee_eur = Decimal("1500.00")
    repayment = "aandeel"
    repayment_pct = Decimal("50")
    funding = "reintegratiebudget"
    budget_line = "trajecten"

    @factory.post_generation
    def instruments(self, create, extracted, **kwargs):
        if create and extracted:
            self.instruments.set(extracted)


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory

    trajectory_id = factory.Sequence(lambda n: f"T{n:05d}")
    client = factory.SubFactory(ClientFactory)
    instrument = factory.SubFactory(InstrumentFactory)
    provider = factory.SubFactory(ProviderFactory)
    referral_date = date(2024, 2, 1)

    class Params:
        started = factory.Trait(start_date=date(2024, 3, 1))
        succeeded = factory.Trait(start_date=date(2024, 3, 1), end_date=date(2024, 9, 1), result="geslaagd")
        failed = factory.Trait(
            start_date=date(2024, 3, 1), end_date=date(2024, 5, 15), result="niet_geslaagd"
        )
