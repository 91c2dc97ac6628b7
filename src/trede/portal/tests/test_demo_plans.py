"""The demo's plans van aanpak: a caseload that is not all "geen plan"."""

from datetime import date

import pytest

from trede.casework.plans.models import Plan
from trede.casework.tests.factories_plans import (
    ClientOnBenefitFactory,
    ConsultantUserFactory,
    RouteDecisionFactory,
)
from trede.portal.demo_plans import demo_plans_seed

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 15)


def test_most_clients_on_a_work_route_get_a_signed_plan_some_a_concept_some_none():
    consultant = ConsultantUserFactory()
    clients = [ClientOnBenefitFactory(consultant=consultant) for _ in range(120)]
    for client in clients:
        RouteDecisionFactory(client=client, decided_on=date(2024, 1, 1), route="re_integratie", reason="demo")
    made = demo_plans_seed(today=TODAY, seed=1)
    assert sum(made.values()) == 120
    assert made["ondertekend"] > 70 and made["concept"] >= 5 and made["geen"] >= 5
    signed = Plan.objects.filter(status="ondertekend")
    assert signed.count() == made["ondertekend"]
    # Agreed by the caseload's own consultant: one identity.
    assert set(signed.values_list("consultant_agreed_by", flat=True)) == {consultant.user_id}
    # Idempotent: clients with a plan are left alone, so a second run adds nothing new for them.
    before = Plan.objects.count()
    again = demo_plans_seed(today=TODAY, seed=1)
    assert again["ondertekend"] == again["concept"] == 0 and Plan.objects.count() == before
