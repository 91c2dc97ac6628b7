"""Factories for the plan, worklist, caseload and preset tests."""

from __future__ import annotations

from datetime import date

import factory

from trede.accounts.models import Role, User
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.intake.models import RouteDecision
from trede.casework.plans.models import Plan, PlanAction
from trede.casework.tests.factories import ConsultantFactory
from trede.clients.tests.factories import ClientFactory
from trede.employers.models import Placement
from trede.instruments.models import Trajectory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    role = Role.CONSULENT_WERK
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    # Tests log in with force_login; hashing a real password costs about a second each.
    password = "!geen-wachtwoord"


class ConsultantUserFactory(ConsultantFactory):
    """A consultant with a login (role consulent werk)."""

    user = factory.SubFactory(UserFactory, role=Role.CONSULENT_WERK)


class ClientOnBenefitFactory(ClientFactory):
    """A client with a running Participatiewet benefit since `benefit_start`."""

    class Meta:
        skip_postgeneration_save = True

    class Params:
        benefit_start = date(2023, 1, 1)

    benefit = factory.RelatedFactory(
        BenefitFactory, factory_related_name="client", start_date=factory.SelfAttribute("..benefit_start")
    )


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    client = factory.SubFactory(ClientFactory)
    version = factory.Sequence(lambda n: n + 1)
    goals = "Binnen een half jaar werk in de zorg."
    status = "concept"


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(PlanFactory)
    description = "Cv bijwerken"
    owner = "klant"
    deadline = date(2024, 3, 1)


class RouteDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RouteDecision

    client = factory.SubFactory(ClientFactory)
    decided_on = date(2023, 1, 1)
    route = "re_integratie"
    category = "1B"
    client_group = "werken_en_ervaren"
    ladder_step = 4
    reason = "Diagnose besproken met de klant."


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory

    trajectory_id = factory.Sequence(lambda n: f"T{n:06d}")
    client = factory.SubFactory(ClientFactory)
    referral_date = date(2024, 1, 1)
    start_date = None
    result = ""


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    placement_id = factory.Sequence(lambda n: f"P{n:06d}")
    client = factory.SubFactory(ClientFactory)
    start_date = date(2023, 6, 1)
