"""The consultant's hub in the browser: search, the caseload, the client file and its
timeline, waarneming, and the privacy officer's log."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from trede.casework.models import Consultant
from trede.clients.models import Client

from .conftest import E2E, text_of
from .world import SENSITIVE_STRINGS

pytestmark = E2E


def test_consultant_searches_opens_file_and_reads_timeline(world, live_server, new_page, login):
    page = new_page()
    login(page, "sanne")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zoeken").click()
    expect(page.get_by_role("heading", name="Klant zoeken")).to_be_visible()
    page.get_by_label("Naam, BSN of klantnummer").fill("111222333")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", name="1 klant gevonden")).to_be_visible()
    # htmx swapped in the results and kept the address shareable.
    assert page.evaluate("typeof window.htmx") == "object"
    expect(page).to_have_url(re.compile(r"/klanten/zoeken/\?q=111222333$"))
    page.get_by_role("link", name="Anna de Vries").click()

    expect(page.get_by_role("heading", name="Anna de Vries", level=1)).to_be_visible()
    expect(page.get_by_test_id("route")).to_have_text("re-integratie (1C)")
    timeline = page.get_by_test_id("tijdlijn")
    expect(timeline).to_contain_text("Plan van aanpak versie 1 ondertekend")
    expect(timeline).to_contain_text("Participatiewet: uitkering gestart")
    expect(page.get_by_role("heading", name="Leefgebieden")).to_be_visible()

    # Keyboard: the skip link is the first stop and leads to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()


def test_caseload_sort_filter_and_download(world, live_server, new_page, login, tmp_path):
    page = new_page()
    sanne = Consultant.objects.get(consultant_id="M-SANNE")
    Client.objects.create(
        client_id="KZ0009", given_name="Zora", family_name="Aksoy", birth_date="1999-05-05", consultant=sanne
    )
    login(page, "sanne")
    page.get_by_role("link", name="Mijn klanten").click()
    expect(page.get_by_role("heading", name="Mijn klanten", level=1)).to_be_visible()
    expect(page.get_by_test_id("aantal-klanten")).to_contain_text("2 klanten")
    rows = page.locator("#caseload tbody tr")
    expect(rows.first).to_contain_text("Zora Aksoy")  # Aksoy before de Vries
    page.get_by_role("link", name=re.compile("^Naam")).click()
    expect(rows.first).to_contain_text("Anna de Vries")
    expect(page.get_by_role("columnheader", name=re.compile("^Naam"))).to_have_attribute(
        "aria-sort", "descending"
    )

    page.get_by_label("Route").select_option(label="re-integratie")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_test_id("aantal-klanten")).to_contain_text("1 klant")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV: mijn klanten").click()
    target = tmp_path / "klanten.csv"
    download.value.save_as(target)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("klantnummer;naam;leeftijd")  # as Dutch Excel opens it
    assert len(lines) == 2 and lines[1].startswith("KA0001;Anna de Vries")


def test_colleague_asks_for_waarneming_and_the_privacy_officer_sees_it(world, live_server, new_page, login):
    bob = login(new_page(), "bob")
    bob.goto(live_server.url + "/klanten/KA0001/")
    expect(bob.get_by_role("heading", name="Waarneming aanvragen")).to_be_visible()
    assert "Anna" not in text_of(bob)
    bob.get_by_role("button", name="Waarneming starten en dossier openen").click()
    expect(bob.get_by_role("alert")).to_contain_text("Geef een reden op")
    expect(bob.get_by_label("Reden van de waarneming")).to_have_attribute("aria-invalid", "true")
    bob.get_by_label("Reden van de waarneming").fill("Sanne is ziek; Anna belt over haar uitkering")
    bob.get_by_label("Hoe lang").select_option(label="1 dag (vandaag)")
    bob.get_by_role("button", name="Waarneming starten en dossier openen").click()
    expect(bob.get_by_role("heading", name="Anna de Vries", level=1)).to_be_visible()
    expect(bob.get_by_text("U neemt waar voor een collega")).to_be_visible()

    privacy = login(new_page(), "privacy")
    privacy.get_by_role("link", name="Privacy").click()
    privacy.get_by_label("Naam, BSN of klantnummer").fill("Vries")
    privacy.get_by_role("button", name="Zoeken").click()
    privacy.get_by_role("link", name="Auditlog van Anna de Vries (KA0001)").click()
    log = privacy.get_by_test_id("auditlog")
    expect(log).to_contain_text("toegang verleend")
    expect(log).to_contain_text("geweigerd")
    expect(privacy.get_by_role("table", name="Wie nam waar voor dit dossier, en waarom")).to_contain_text(
        "Sanne is ziek; Anna belt over haar uitkering"
    )


def test_accountmanager_sees_work_profile_only(world, live_server, new_page, login):
    page = new_page()
    login(page, "am")
    page.get_by_role("link", name="Zoeken").click()
    page.get_by_label("Naam of klantnummer").fill("Vries")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Anna de Vries").click()
    expect(page.get_by_role("heading", name="Werkprofiel", level=2)).to_be_visible()
    expect(page.get_by_text("magazijnmedewerker, orderpicker")).to_be_visible()
    expect(page.get_by_role("heading", name="Leefgebieden")).to_have_count(0)
    expect(page.get_by_test_id("toegang")).to_contain_text(
        "De andere onderdelen van dit dossier zijn voor u niet beschikbaar."
    )
    html = page.content()
    assert not [s for s in SENSITIVE_STRINGS if s in html]
    page.goto(live_server.url + "/klanten/KA0001/onderdeel/leefgebieden/")
    expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
