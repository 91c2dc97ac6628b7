"""The demo's premiums: paid, checked, proposed and still earned parts, through the
services, once."""

from __future__ import annotations

from datetime import date

import pytest

from trede.accounts.models import Role
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import ConsultantFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.finance.models import Payment, PremiumPart
from trede.finance.premiums.demo import demo_premiums_seed

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def test_demo_premiums_in_every_state_once():
    team = ConsultantFactory(team="Demo")
    UserFactory(username="inkomen", role=Role.CONSULENT_INKOMEN, team="Demo")
    UserFactory(username="teamleider", role=Role.TEAMLEIDER, team="Demo")
    # Outflows: long ago (both parts paid), recent (parts earned in the last months).
    for i, end in enumerate(
        [
            date(2022, 3, 1),
            date(2023, 5, 1),
            date(2026, 5, 1),
            date(2026, 6, 1),
            date(2026, 7, 1),
            date(2026, 8, 1),
        ]
    ):
        client = ClientFactory(client_id=f"KD{i}", consultant=team)
        BenefitFactory(client=client, start_date=date(2019, 1, 1), end_date=end, end_reason="werk")
    counts = demo_premiums_seed(today=TODAY)
    # Earned by 3 August 2026 (120 days before): paid; of the five parts earned since, two
    # checked, two proposed, one left to propose.
    assert counts == {"betaald": 5, "gecontroleerd": 2, "voorgesteld": 2, "verdiend": 1}
    paid = Payment.objects.filter(kind="premie").order_by("date")
    assert paid.count() == 5 and paid.first().date == date(2022, 6, 15)
    assert demo_premiums_seed(today=TODAY) == {}
    assert PremiumPart.objects.count() == 9


def test_demo_werkpremie_months_are_paid_until_the_line_is_used_up():
    from trede.finance.models import Budget, PremiumStatus
    from trede.instruments.tests.factories import InstrumentFactory, TrajectoryFactory

    team = ConsultantFactory(team="Demo")
    UserFactory(username="inkomen", role=Role.CONSULENT_INKOMEN, team="Demo")
    UserFactory(username="teamleider", role=Role.TEAMLEIDER, team="Demo")
    client = ClientFactory(client_id="KDW", consultant=team)
    BenefitFactory(client=client, start_date=date(2019, 1, 1), end_date=None, end_reason="")
    # Volunteer work in February-July 2026. The demo municipality introduced the werkpremie
    # nine months before the demo's end (1 March 2026), so February earns nothing; the 2026
    # werkpremies budget pays three months.
    TrajectoryFactory(
        client=client,
        instrument=InstrumentFactory(instrument_code="VRWD", type="vrijwilligerswerk"),
        start_date=date(2026, 2, 1),
        end_date=date(2026, 8, 1),
    )
    Budget.objects.create(
        budget_id="BWD", year=2026, line="werkpremies", funding="reintegratiebudget", amount_eur=150
    )
    counts = demo_premiums_seed(today=TODAY)
    assert counts == {"betaald": 3, "gecontroleerd": 1, "voorgesteld": 0, "verdiend": 1}
    paid = PremiumPart.objects.filter(status=PremiumStatus.BETAALD).order_by("period")
    assert [p.period.month for p in paid] == [3, 4, 5]
    from trede.casework.policy.selectors import active_policy

    schemes = active_policy().config["premiums"]["schemes"]
    assert [s["months_from"] for s in schemes if s["trigger"] == "deelname_traject"] == ["2026-03-01"]
    assert [p.payment.line for p in paid] == ["werkpremies"] * 3
