"""Handhaving in the browser (issue 12 points 1 and 7): `inkomen` records a signal from
the client file, tries to decide before hearing (refused), hears the client, decides a
maatregel from the verordening, which waits for four eyes; the teamleider approves it and
the bezwaar term runs on the worklist. axe-core (WCAG 2.1 A/AA) finds nothing on any page
visited, and the pages work at 390 px. Then inkomen makes the beschikking on the zaak page
and downloads it: the PDF (read back with pdftotext) has the maatregel, its legal ground,
the motivation and the bezwaar clause. Inkomen then withdraws the final decision; a second
consulent inkomen finds the withdrawal on the worklist (the asker does not), confirms it and
makes the intrekkingsbesluit, whose PDF names what was withdrawn and why (decisions 167,
168)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav
from .test_letters import _pdf_text
from .world import PASSWORD

pytestmark = E2E


@pytest.fixture
def team(transactional_db, _fast_passwords):
    """Team Noord: Petra Laat on benefit; inkomen and the teamleider of Noord."""
    from trede.accounts.models import Role, User
    from trede.benefits.tests.factories import BenefitFactory
    from trede.casework.tests.factories import ConsultantFactory
    from trede.clients.tests.factories import ClientFactory
    from trede.utils.dates import add_months

    today = timezone.localdate()
    noord = ConsultantFactory(team="Noord", name="Anna de Vries")
    client = ClientFactory(client_id="HE001", given_name="Petra", family_name="Laat", consultant=noord)
    BenefitFactory(client=client, start_date=add_months(today, -14), end_date=None, end_reason="")
    return {
        "inkomen": User.objects.create_user(
            username="inkomen", password=PASSWORD, role=Role.CONSULENT_INKOMEN, team="Noord"
        ),
        "teamleider": User.objects.create_user(
            username="teamleider", password=PASSWORD, role=Role.TEAMLEIDER, team="Noord"
        ),
        "inkomen2": User.objects.create_user(
            username="inkomen2", password=PASSWORD, role=Role.CONSULENT_INKOMEN, team="Noord"
        ),
        "today": today,
    }


def test_inkomen_takes_a_signal_to_a_maatregel_that_the_teamleider_approves(
    team, live_server, new_page, login, tmp_path
):
    today = team["today"]
    page = login(new_page(), "inkomen")
    page.goto(live_server.url + "/klanten/HE001/")
    page.get_by_role("link", name="Handhavingszaken", exact=True).click()
    expect(page.get_by_role("heading", name="Handhaving van Petra Laat", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Signaal", exact=True).select_option(label="niet verschenen op een afspraak")
    page.get_by_label("Datum van de gedraging", exact=True).fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("Wat er gebeurde", exact=True).fill(
        "Niet verschenen op het gesprek van 10 uur, zonder bericht."
    )
    page.get_by_role("button", name="Signaal vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("eerst gehoord")
    expect(page.locator("#zaak-stand")).to_contain_text("wacht op horen")
    expect(page.locator("#nog-niet-gehoord")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Gehoord op", exact=True).fill((today - timedelta(days=3)).isoformat())
    page.get_by_label("Hoe is de klant gehoord", exact=True).select_option(label="in een gesprek")
    page.get_by_label("Wat de klant zei", exact=True).fill("Ik had de brief niet gezien.")
    page.get_by_role("button", name="Horen vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("Het horen is vastgelegd")
    expect(page.locator("#tabel-horen")).to_contain_text("Ik had de brief niet gezien.")
    expect(page.locator("#advies")).to_contain_text("20,00 % gedurende 1 maand")
    assert axe_violations(page) == []

    page.get_by_label("Besluit", exact=True).select_option(label="maatregel")
    page.get_by_label("Categorie gedraging (bij een maatregel)", exact=True).select_option(value="1")
    page.get_by_label("Verwijtbaarheid", exact=True).select_option(label="verwijtbaar")
    page.get_by_role("button", name="Besluit nemen").click()
    expect(page.locator(".error-summary")).to_contain_text("Motiveer het besluit")
    assert axe_violations(page) == []
    page.get_by_label("Motivering", exact=True).fill(
        "Niet verschenen zonder bericht; de brief is op het juiste adres bezorgd."
    )
    page.get_by_role("button", name="Besluit nemen").click()
    expect(page.locator(".messages")).to_contain_text("ter goedkeuring")
    expect(page.locator("#besluit-stand")).to_contain_text("ter goedkeuring")
    expect(page.locator("#eigen-besluit")).to_be_visible()
    expect(page.get_by_role("button", name="Goedkeuren")).to_have_count(0)
    zaak_url = page.url

    nav(page, "Handhaving")
    expect(page.locator("#tabel-goedkeuring")).to_contain_text("Petra Laat")
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert phone_problems(page, live_server.url + "/handhaving/", "/handhaving/") == []
    assert phone_problems(page, zaak_url, zaak_url.removeprefix(live_server.url)) == []

    boss = login(new_page(), "teamleider")
    nav(boss, "Handhaving")
    boss.locator("#tabel-goedkeuring").get_by_role("link", name=re.compile("Petra Laat")).click()
    expect(boss.locator("#besluit-feiten")).to_contain_text("art. 18 lid 2 Participatiewet")
    assert axe_violations(boss) == []
    boss.get_by_role("button", name="Goedkeuren").click()
    deadline = (today + timedelta(weeks=6)).strftime("%d-%m-%Y")
    expect(boss.locator(".messages")).to_contain_text(f"bezwaar kan tot en met {deadline}")
    expect(boss.locator("#bezwaar-tot")).to_have_text(deadline)
    nav(boss, "Handhaving")
    expect(boss.locator("#tabel-bezwaar")).to_contain_text(deadline)
    assert axe_violations(boss) == []

    from trede.benefits.models import Besluit, Measure

    besluit = Besluit.objects.get()
    assert besluit.status == "definitief" and besluit.approved_by.username == "teamleider"
    measure = Measure.objects.get()
    assert (measure.kind, measure.percentage, measure.client_id) == ("maatregel", 20, "HE001")

    # The beschikking: made once on the zaak page (the teamleider has no button), downloaded.
    expect(boss.get_by_role("button", name="Beschikking maken")).to_have_count(0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(zaak_url)
    expect(page.locator("main")).to_contain_text("Er is nog geen beschikking gemaakt.")
    page.get_by_role("button", name="Beschikking maken").click()
    expect(page.locator(".messages")).to_contain_text("is gemaakt en bewaard bij het dossier")
    assert axe_violations(page) == []
    with page.expect_download() as info:
        page.locator("#beschikkingen").get_by_role("link").first.click()
    pdf = tmp_path / "beschikking.pdf"
    info.value.save_as(pdf)
    text = _pdf_text(pdf)
    assert "Petra Laat" in text and "met 20%, 1 maand lang" in text
    assert "artikel 18" in text or "art. 18" in text
    assert "de brief is op het juiste adres bezorgd" in text
    assert "Bent u het niet eens met dit besluit?" in text

    # Withdrawn (four eyes, as the decision had): inkomen asks with a reason; a second
    # consulent inkomen finds it on the worklist (the asker does not), confirms and makes the
    # intrekkingsbesluit; the original stays on the page and measures.csv loses its row.
    page.get_by_role("button", name="Besluit intrekken").click()
    expect(page.locator(".error-summary")).to_contain_text("reden")
    assert axe_violations(page) == []
    page.get_by_label("Reden van intrekken", exact=True).fill("De afspraak bleek verplaatst te zijn.")
    page.get_by_role("button", name="Besluit intrekken").click()
    expect(page.locator(".messages")).to_contain_text("wacht op een collega")
    expect(page.locator("#eigen-intrekking")).to_be_visible()
    expect(page.get_by_role("button", name="Intrekking bevestigen")).to_have_count(0)
    assert axe_violations(page) == []
    nav(page, "Handhaving")
    expect(page.locator("#intrekking-titel")).to_contain_text("(0)")
    expect(page.locator("#tabel-intrekking")).to_have_count(0)
    expect(page.locator("#tabel-bezwaar")).to_contain_text("Petra Laat")
    assert axe_violations(page) == []

    colleague = login(new_page(), "inkomen2")
    nav(colleague, "Handhaving")
    line = colleague.locator("#tabel-intrekking").get_by_role("row", name=re.compile("Petra Laat"))
    expect(line).to_contain_text("intrekking voorgesteld door inkomen")
    expect(colleague.locator("#tabel-bezwaar")).to_have_count(0)  # each zaak once
    assert axe_violations(colleague) == []
    colleague.set_viewport_size(PHONE)
    assert phone_problems(colleague, live_server.url + "/handhaving/", "/handhaving/") == []
    colleague.set_viewport_size({"width": 1280, "height": 900})
    colleague.locator("#tabel-intrekking").get_by_role("link", name=re.compile("Petra Laat")).click()
    expect(colleague.locator("#intrekking-voorstel")).to_contain_text("De afspraak bleek verplaatst te zijn.")
    expect(colleague.get_by_role("button", name="Niet bevestigen")).to_be_visible()
    assert axe_violations(colleague) == []
    colleague.get_by_role("button", name="Intrekking bevestigen").click()
    expect(colleague.locator(".messages")).to_contain_text("is ingetrokken")
    expect(colleague.locator("#eerdere-besluiten")).to_contain_text("ingetrokken door inkomen2")
    expect(colleague.locator("main")).to_contain_text("Er is nog geen intrekkingsbesluit gemaakt.")
    assert axe_violations(colleague) == []
    colleague.get_by_role("button", name="Intrekkingsbesluit maken").click()
    expect(colleague.locator(".messages")).to_contain_text("is gemaakt en bewaard bij het dossier")
    assert axe_violations(colleague) == []
    besluit = Besluit.objects.get()
    with colleague.expect_download() as info:
        colleague.locator(f"#intrekkingsbesluiten-{besluit.pk}").get_by_role("link").first.click()
    pdf = tmp_path / "intrekkingsbesluit.pdf"
    info.value.save_as(pdf)
    text = _pdf_text(pdf)
    assert "Petra Laat" in text and "De afspraak bleek verplaatst te zijn." in text
    assert f"HH-{besluit.number}" in text and "verlaging van uw uitkering" in text
    assert "Bent u het niet eens met dit besluit?" in text
    assert "de brief is op het juiste adres bezorgd" not in text  # not the original's facts
    nav(colleague, "Handhaving")
    expect(colleague.locator("#tabel-intrekking")).to_have_count(0)  # gone once confirmed
    assert axe_violations(colleague) == []
    colleague.set_viewport_size(PHONE)
    assert phone_problems(colleague, zaak_url, zaak_url.removeprefix(live_server.url)) == []
    assert not Measure.objects.exists()
    assert besluit.status == "ingetrokken" and besluit.withdrawn_by.username == "inkomen2"
