"""The relationship with an employer in the browser (issue 10, point 1): the accountmanager
who owns the account adds a contact person, a banenafspraak and a visit with that person,
corrects the visit with a reason and downloads the history; the teamleider reads it
without forms. axe-core finds no violation on any page, and the pages work at 390 px."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .world import add_employer_relation

pytestmark = E2E


def test_contact_person_agreement_and_contact_history(world, live_server, new_page, login):
    from trede.employers.relations.models import EmployerContactMoment

    am = login(new_page(), "am")
    am.goto(live_server.url + reverse("employers:employer", args=["E1"]))
    expect(am.get_by_role("heading", name="Relatie", level=2)).to_be_visible()
    assert axe_violations(am) == []

    am.get_by_role("link", name="Nieuwe contactpersoon").click()
    assert axe_violations(am) == []
    am.get_by_role("button", name="Opslaan").click()  # nothing filled in: refused, said why
    expect(am.get_by_role("alert")).to_contain_text("Vul een e-mailadres of een telefoonnummer in")
    assert axe_violations(am) == []
    am.get_by_label("Naam").fill("Petra de Vries")
    am.get_by_label("Functie").fill("HR-adviseur")
    am.get_by_label("Telefoonnummer").fill("070 123 45 67")
    am.get_by_role("button", name="Opslaan").click()
    expect(am.get_by_role("status")).to_contain_text("Contactpersoon ‘Petra de Vries’ is opgeslagen")

    am.get_by_role("link", name="Nieuwe afspraak").click()
    am.get_by_label("Soort afspraak").select_option("banenafspraak")
    am.get_by_label("Ingangsdatum").fill("2024-01-01")
    am.get_by_label("Afgesproken plaatsingen").fill("3")
    assert axe_violations(am) == []
    am.get_by_role("button", name="Opslaan").click()
    expect(am.get_by_role("row", name=re.compile("Banenafspraak"))).to_contain_text("van 3")

    am.get_by_role("link", name="Contact vastleggen").click()
    am.get_by_label("Datum").fill("2024-02-02")
    am.get_by_label("Soort contact").select_option("bezoek")
    am.get_by_label("Met").select_option(label="Petra de Vries (HR-adviseur)")
    am.get_by_label("Onderwerp").fill("Kennismakng")
    assert axe_violations(am) == []
    am.get_by_role("button", name="Opslaan").click()
    expect(am.get_by_role("status")).to_contain_text("Het contact is vastgelegd")
    assert axe_violations(am) == []

    am.get_by_role("link", name="Corrigeren (Kennismakng)").click()
    am.get_by_label("Onderwerp").fill("Kennismaking")
    am.get_by_label("Reden van de correctie").fill("Tikfout in het onderwerp")
    assert axe_violations(am) == []
    am.get_by_role("button", name="Opslaan").click()
    expect(am.get_by_role("status")).to_contain_text("de vorige versie blijft bewaard")
    expect(am.get_by_text("Gecorrigeerd: Tikfout in het onderwerp")).to_be_visible()
    moment = EmployerContactMoment.objects.get()
    assert [h.subject for h in moment.history.order_by("history_date")] == ["Kennismakng", "Kennismaking"]

    with am.expect_download() as download:
        am.get_by_role("link", name="Download CSV").click()
    assert "Kennismaking" in Path(download.value.path()).read_text(encoding="utf-8-sig")

    teamleider = login(new_page(), "tl_noord")
    teamleider.goto(live_server.url + reverse("employers:employer", args=["E1"]))
    expect(teamleider.get_by_role("row", name=re.compile("Kennismaking"))).to_be_visible()
    expect(teamleider.get_by_role("link", name="Contact vastleggen")).to_have_count(0)
    assert axe_violations(teamleider) == []


def test_relation_pages_work_on_a_phone(world, live_server, new_page, login):
    add_employer_relation(world)
    am = login(new_page(), "am")
    am.set_viewport_size(PHONE)
    problems = []
    for path in (
        reverse("employers:employer", args=["E1"]),
        reverse("employers:relation_contact_edit", args=["E1", world.extra["employer_contact"].pk]),
        reverse("employers:relation_agreement_edit", args=["E1", world.extra["employer_agreement"].pk]),
        reverse("employers:relation_moment_correct", args=["E1", world.extra["employer_moment"].pk]),
    ):
        problems += phone_problems(am, live_server.url + path, path)
    assert problems == []
