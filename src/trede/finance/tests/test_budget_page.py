"""The budget page: lines from `budget_report` itself, BUIG with the vangnet, ceilings and
their signals, the download; only for contractmanager, beleid and teamleider."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.finance.models import Budget, Payment
from trede.finance.selectors import as_of_through, budget_report
from trede.instruments.tests.factories import (
    ContractFactory,
    InstrumentFactory,
    ProviderFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def money():
    today = timezone.localdate()
    year = today.year
    client = ClientFactory()
    Budget.objects.create(
        budget_id="B1", year=year, line="trajecten", funding="reintegratiebudget", amount_eur=10000
    )
    Budget.objects.create(budget_id="B2", year=year, line="uitkeringen", funding="buig", amount_eur=100000)
    Payment.objects.create(
        payment_id="P1",
        client=client,
        date=date(year, 1, 1),
        amount_eur=9500,
        kind="traject",
        funding="reintegratiebudget",
        line="trajecten",
    )
    Payment.objects.create(
        payment_id="P2",
        client=client,
        date=date(year, 1, 1),
        amount_eur=Decimal("110000"),
        kind="uitkering",
        funding="buig",
        line="uitkeringen",
    )
    Payment.objects.create(
        payment_id="P3",
        client=client,
        date=date(year, 1, 1),
        amount_eur=Decimal("1000"),
        kind="loonkostensubsidie",
        funding="buig",
        line="loonkostensubsidie",
    )
    provider = ProviderFactory(provider_id="PX", name="Werkbedrijf X")
    wep = InstrumentFactory(instrument_code="WX")
    ContractFactory(reference="C-X", provider=provider, instruments=[wep], volume_ceiling=1)
    TrajectoryFactory(provider=provider, instrument=wep)
    return {"today": today, "year": year}


@pytest.mark.parametrize("role", [Role.CONTRACTMANAGER, Role.BELEID, Role.TEAMLEIDER])
def test_the_page_shows_lines_buig_and_ceilings(client, money, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("finance:budget"))
    assert response.status_code == 200
    page = response.content.decode()
    report = budget_report(money["year"], as_of_through(money["today"]))
    assert [r["line"] for r in response.context["rows"]] == [g.line for g in report.lines]
    assert "€ 9.500,00" in page and "€ 10.000,00" in page
    # BUIG: 111.000 spent of 100.000 (no run-rate from a payment on 1 January after 91 days).
    buig = response.context["buig"]
    assert buig.benefits_spent == 110000 and buig.lks_spent == 1000 and buig.budget == 100000
    assert "Vangnetdrempel" in page and "€ 7.500,00" in page
    # Signals: the trajecten line at 95 %, the contract's volume ceiling reached.
    assert "Signalen: plafonds" in page and "begrotingsregel trajecten" in page
    assert "Werkbedrijf X, contract C-X (volumeplafond)" in page


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.AANBIEDER, Role.INWONER])
def test_others_may_not_see_it(client, money, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("finance:budget")).status_code in (403, 404)
    assert client.get(reverse("finance:budget_export")).status_code in (403, 404)


def test_a_wrong_year_is_a_dutch_message(client, money):
    client.force_login(UserFactory(role=Role.BELEID))
    response = client.get(reverse("finance:budget"), {"jaar": "twintig"})
    assert response.status_code == 400 and "Kies een jaar" in response.content.decode()


def test_a_past_year_forecasts_what_was_spent(client, money):
    client.force_login(UserFactory(role=Role.BELEID))
    response = client.get(reverse("finance:budget"), {"jaar": money["year"] - 1})
    assert response.status_code == 200 and "Het jaar is voorbij" in response.content.decode()


def test_the_download_is_the_table_and_is_audited(client, money):
    client.force_login(UserFactory(role=Role.CONTRACTMANAGER))
    response = client.get(reverse("finance:budget_export"), {"jaar": money["year"]})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    header, *rows = text.strip().split("\r\n")
    assert header.startswith("jaar;begrotingsregel;financiering;budget_eur")
    trajecten = next(r for r in rows if ";trajecten;" in r)
    assert "10000,00" in trajecten and "9500,00" in trajecten and "waarschuwing" in trajecten
    assert AuditEvent.objects.filter(event="export_made").count() == 1
    xlsx = client.get(reverse("finance:budget_export"), {"jaar": money["year"], "formaat": "xlsx"})
    assert xlsx.status_code == 200


def test_the_navigation_shows_budget_to_its_roles(client, money):
    client.force_login(UserFactory(role=Role.CONTRACTMANAGER))
    page = client.get(reverse("finance:budget")).content.decode()
    assert f'href="{reverse("finance:budget")}"' in page
