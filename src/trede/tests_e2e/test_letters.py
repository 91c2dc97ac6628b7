"""Letters in the browser (issue 12, point 2): the beheerder fills in the letterhead and is
refused a template that asks for a diagnosis; `inkomen` makes the beschikking of a
maatregel from the client file and downloads it (the PDF, read back with pdftotext, has
the new letterhead, the decision and the bezwaar clause, and no BSN); the consultant makes
the plan letter on the plan page. axe-core (WCAG 2.1 A/AA) finds nothing on any page
visited, and the pages work at 390 px."""

from __future__ import annotations

import re
import shutil
import subprocess

from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav

pytestmark = E2E


def _pdf_text(path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext ontbreekt (apt-get install poppler-utils)"
    out = subprocess.run([pdftotext, str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def _download(page, link_name, tmp_path, name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    target = tmp_path / name
    info.value.save_as(target)
    return target


def test_beheerder_edits_inkomen_makes_and_downloads_a_beschikking(
    world, live_server, new_page, login, tmp_path
):
    page = login(new_page(), "beheerder")
    nav(page, "Briefsjablonen")
    expect(page.get_by_role("heading", name="Briefsjablonen", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Het briefhoofd is nog de meegeleverde tekst")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Briefhoofd (bij elke brief)").click()
    page.get_by_label("Tekst van de brief").fill(
        "Afdeling Werk en Inkomen\nPostbus 1234, 2260 AA Leidschendam\nTelefoon 14 070"
    )
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator(".messages")).to_contain_text("opgeslagen als versie 2")
    assert axe_violations(page) == []

    page.goto(live_server.url + "/brieven/sjablonen/beschikking_maatregel/")
    body = page.get_by_label("Tekst van de brief")
    body.fill(body.input_value() + "\nUw diagnose: {{ diagnose }}")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "{{ diagnose }}: dit veld bestaat niet voor deze brief"
    )
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert phone_problems(page, live_server.url + "/brieven/sjablonen/", "/brieven/sjablonen/") == []
    path = "/brieven/sjablonen/beschikking_maatregel/"
    assert phone_problems(page, live_server.url + path, path) == []

    page = login(new_page(), "inkomen")
    page.goto(live_server.url + "/klanten/KA0001/")
    page.get_by_role("link", name="Brieven en beschikkingen").click()
    expect(page.get_by_role("heading", name="Brieven van Anna de Vries", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Beschikking maken bij MA1").click()
    expect(page.locator(".messages")).to_contain_text("is gemaakt en bewaard bij het dossier")
    assert axe_violations(page) == []
    text = _pdf_text(_download(page, re.compile(r"^Download BR-\d+ \(PDF\)$"), tmp_path, "beschikking.pdf"))
    assert "Postbus 1234, 2260 AA Leidschendam" in text
    assert "Besluit: wij verlagen uw uitkering" in text and "met 20%, 1 maand lang" in text
    assert "Bent u het niet eens met dit besluit?" in text and "binnen zes weken" in text
    assert "111222333" not in text and "diagnose" not in text.lower()
    page.set_viewport_size(PHONE)
    assert phone_problems(page, live_server.url + "/brieven/klant/KA0001/", "/brieven/klant/KA0001/") == []

    from trede.audit.models import AuditEvent

    assert AuditEvent.objects.filter(event="letter_made", username="inkomen", client_id="KA0001").count() == 1
    assert (
        AuditEvent.objects.filter(event="letter_downloaded", username="inkomen", client_id="KA0001").count()
        == 1
    )


def test_the_consultant_makes_the_plan_letter_on_the_plan_page(world, live_server, new_page, login, tmp_path):
    page = login(new_page(), "sanne")
    page.goto(live_server.url + "/werk/klanten/KA0001/plan/")
    page.get_by_role("button", name="Brief maken van versie 1").click()
    expect(page.locator(".messages")).to_contain_text("is gemaakt en bewaard bij het dossier")
    assert axe_violations(page) == []
    text = _pdf_text(_download(page, re.compile(r"^Download BR-\d+ \(PDF\)$"), tmp_path, "plan.pdf"))
    assert "Uw plan van aanpak (versie 1)" in text and "Heftruckcertificaat halen." in text
    assert "111222333" not in text
    page.set_viewport_size(PHONE)
    assert (
        phone_problems(page, live_server.url + "/werk/klanten/KA0001/plan/", "/werk/klanten/KA0001/plan/")
        == []
    )
