"""The rechtmatigheidsonderzoek in the browser (issue 12, point 3): `inkomen` opens
"Rechtmatigheid" from the navigation, sees an overdue onderzoek, registers it, and the
client leaves the worklist; a correction with a reason keeps the original. Before the
onderzoek inkomen makes the invitation letter with the date, time and place (decision 169);
its PDF says why, what to bring, the inlichtingenplicht and what happens if one does not come. The teamleider
sees the team's compliance per consultant. axe-core (WCAG 2.1 A/AA) finds nothing on any
page visited, and the pages work at 390 px."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trede.portal.formatting import dutch_date

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav
from .test_letters import _pdf_text
from .world import PASSWORD

pytestmark = E2E


@pytest.fixture
def team(transactional_db, _fast_passwords):
    """Team Noord: Petra Laat on benefit for 14 months (direct werk: yearly, overdue) and
    Ruud Later for 3 months (not due); team Zuid's Zoë is never shown."""
    from trede.accounts.models import Role, User
    from trede.benefits.tests.factories import BenefitFactory
    from trede.casework.tests.factories import ConsultantFactory, DiagnosisFactory
    from trede.clients.tests.factories import ClientFactory
    from trede.utils.dates import add_months

    today = timezone.localdate()
    noord = ConsultantFactory(team="Noord", name="Anna de Vries")
    zuid = ConsultantFactory(team="Zuid", name="Zoë Zuid")
    for client_id, given, family, consultant, months in (
        ("RE001", "Petra", "Laat", noord, 14),
        ("RE002", "Ruud", "Later", noord, 3),
        ("RE003", "Zoë", "Zuidelijk", zuid, 20),
    ):
        client = ClientFactory(
            client_id=client_id, given_name=given, family_name=family, consultant=consultant
        )
        since = add_months(today, -months)
        BenefitFactory(client=client, start_date=since, end_date=None, end_reason="")
        DiagnosisFactory(client=client, date=since, client_group="direct_werk")
    return {
        "inkomen": User.objects.create_user(
            username="inkomen", password=PASSWORD, role=Role.CONSULENT_INKOMEN, team="Noord"
        ),
        "teamleider": User.objects.create_user(
            username="teamleider", password=PASSWORD, role=Role.TEAMLEIDER, team="Noord"
        ),
        "today": today,
    }


def test_inkomen_registers_an_overdue_onderzoek_and_corrects_it(team, live_server, new_page, login, tmp_path):
    page = login(new_page(), "inkomen")
    nav(page, "Rechtmatigheid")
    expect(
        page.get_by_role("heading", name=re.compile("^Rechtmatigheids\u00ad?onderzoeken$"), level=1)
    ).to_be_visible()
    due = page.locator("#tabel-beurt")
    expect(due.get_by_role("row", name=re.compile("Petra Laat"))).to_contain_text("te laat")
    expect(due).not_to_contain_text("Ruud")
    expect(page.locator("main")).not_to_contain_text("Zuidelijk")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Vastleggen (Petra Laat)").click()
    expect(page.get_by_role("heading", name="Rechtmatigheid van Petra Laat", level=1)).to_be_visible()
    expect(page.locator("#volgend-onderzoek")).to_contain_text("te laat")
    assert axe_violations(page) == []
    # The invitation: the date, time and place are inkomen's; the rest is the beheerder's text.
    expect(page.locator("main")).to_contain_text("Er is nog geen uitnodiging gemaakt.")
    day = team["today"] + timedelta(days=7)
    invitation = page.locator("form", has=page.get_by_role("button", name="Uitnodiging maken"))
    invitation.get_by_label("Datum van het gesprek").fill(day.isoformat())
    invitation.get_by_label("Tijd", exact=True).fill("10:30")
    page.get_by_role("button", name="Uitnodiging maken").click()
    expect(page.locator(".error-summary")).to_contain_text("Vul de plaats van het gesprek in")
    assert axe_violations(page) == []
    invitation.get_by_label("Plaats", exact=True).fill("Gemeentehuis, Raadhuisplein 1, balie 3")
    invitation.get_by_label("Verder meenemen (niet verplicht)").fill("Het contract van uw nieuwe baan.")
    page.get_by_role("button", name="Uitnodiging maken").click()
    expect(page.locator(".messages")).to_contain_text("is gemaakt en bewaard bij het dossier")
    assert axe_violations(page) == []
    with page.expect_download() as info:
        page.locator("#uitnodigingen").get_by_role("link").first.click()
    pdf = tmp_path / "uitnodiging.pdf"
    info.value.save_as(pdf)
    text = _pdf_text(pdf)
    assert "Petra Laat" in text and dutch_date(day) in text and "10.30 uur" in text
    assert "Gemeentehuis, Raadhuisplein 1, balie 3" in text and "Het contract van uw nieuwe baan." in text
    assert "Waarom dit gesprek?" in text and "Wat neemt u mee?" in text
    assert "artikel 17 van de Participatiewet" in text and "Wat gebeurt er als u niet komt?" in text

    held = team["today"] - timedelta(days=2)
    page.get_by_label("Datum van het onderzoek").fill(held.isoformat())
    page.get_by_label("Uitkomst").select_option(label="recht ongewijzigd")
    page.get_by_label("Toelichting (niet verplicht)").fill("Bankafschriften en huurcontract nagegaan.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("is vastgelegd")
    expect(page.locator("#volgend-onderzoek")).not_to_contain_text("te laat")
    expect(page.locator("#tabel-onderzoeken")).to_contain_text(held.strftime("%d-%m-%Y"))
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile(r"^Corrigeren")).click()
    expect(page.get_by_role("heading", name=re.compile("corrigeren$"), level=2)).to_be_visible()
    correction = page.locator("form", has=page.get_by_role("button", name="Correctie opslaan"))
    correction.get_by_label("Uitkomst").select_option(label="recht gewijzigd (hoogte of voorwaarden)")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.locator(".error-summary")).to_contain_text("Geef een reden voor het corrigeren.")
    assert axe_violations(page) == []
    page.get_by_label("Reden van de correctie").fill("Uitkomst verkeerd gekozen.")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.locator(".messages")).to_contain_text("de vorige versie blijft bewaard")
    expect(page.locator("#tabel-onderzoeken")).to_contain_text("gecorrigeerd: Uitkomst verkeerd gekozen.")

    nav(page, "Rechtmatigheid")
    expect(page.locator("main")).to_contain_text(
        "Niemand met een uitkering is nu of binnen 42 dagen aan de beurt."
    )
    page.set_viewport_size(PHONE)
    assert phone_problems(page, live_server.url + "/rechtmatigheid/", "/rechtmatigheid/") == []
    assert phone_problems(page, live_server.url + "/rechtmatigheid/RE001/", "/rechtmatigheid/RE001/") == []

    from trede.benefits.models import Rechtmatigheidsonderzoek

    onderzoek = Rechtmatigheidsonderzoek.objects.get(client_id="RE001")
    assert onderzoek.outcome == "gewijzigd"
    assert list(onderzoek.history.order_by("history_date").values_list("outcome", flat=True)) == [
        "ongewijzigd",
        "gewijzigd",
    ]


def test_the_teamleider_sees_who_is_on_time_per_consultant(team, live_server, new_page, login):
    page = login(new_page(), "teamleider")
    nav(page, "Rechtmatigheid")
    table = page.locator("#tabel-op-tijd")
    expect(table.get_by_role("row", name=re.compile("Anna de Vries"))).to_contain_text("50")
    expect(table).not_to_contain_text("Zoë")
    expect(page.get_by_role("link", name="Bekijken (Petra Laat)")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Bekijken (Petra Laat)").click()
    expect(page.get_by_role("heading", name="Rechtmatigheid van Petra Laat", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Vastleggen")).to_have_count(0)
    assert axe_violations(page) == []
