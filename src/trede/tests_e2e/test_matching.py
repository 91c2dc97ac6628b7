"""Vacancies, anonymised candidates and consent in the browser (issue 10, points 1, 2, 3, 5
and 10): the accountmanager enters a vacancy (the occupation found from the job title) and
shortlists an anonymised candidate; the consultant sees it on the worklist; the client
consents in the own portal; the consultant finds vacancies for the client and sees why
they fit. axe-core finds no violation, and every page works at 390 px."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav
from .world import add_vacancy

pytestmark = E2E


def test_vacancy_shortlist_consent_and_vacancies_for_a_client(world, live_server, new_page, login):
    from trede.clients.models import ClientProfile
    from trede.employers.models import Vacancy, Voordracht

    add_vacancy(world)
    # Bert (B, Bob's caseload) wants warehouse work; Anna is at work, so no candidate.
    ClientProfile.objects.create(
        client=world.clients["B"],
        desired_occupations=["9333"],
        skills=["heftruckcertificaat"],
        hours_available=Decimal("32"),
    )

    am = login(new_page(), "am")
    nav(am, "Werkgevers")
    expect(am.get_by_role("heading", name="Werkgevers", level=1)).to_be_visible()
    assert axe_violations(am) == []
    am.get_by_role("link", name="Distributiecentrum Ypenburg").click()
    assert axe_violations(am) == []
    am.get_by_role("link", name="Nieuwe vacature").click()
    am.get_by_label("Functie").fill("magazijnmedewerker")
    am.get_by_role("button", name="Beroep zoeken bij deze functie").click()
    # An exact job title comes with its occupation already chosen; the others stay offered.
    choice = am.get_by_role("radio", name="magazijnmedewerker — Laders en lossers (9333)", exact=True)
    expect(choice).to_be_checked()
    expect(am.get_by_role("radio", name=re.compile("pakhuismedewerker"))).not_to_be_checked()
    assert axe_violations(am) == []
    am.get_by_label("Gevraagde vaardigheden").fill("heftruckcertificaat\norderpicken")
    am.get_by_label("Uren per week").fill("32")
    am.get_by_role("button", name="Opslaan").click()
    expect(am.get_by_role("status")).to_contain_text("Vacature ‘magazijnmedewerker’ is opgeslagen")
    expect(am.get_by_text("Laders en lossers (9333)")).to_be_visible()
    assert axe_violations(am) == []
    vacancy = Vacancy.objects.get(title="magazijnmedewerker")

    am.get_by_role("link", name="Kandidaten zoeken").click()
    expect(am.get_by_role("heading", name="Kandidaten voor magazijnmedewerker", level=1)).to_be_visible()
    main = am.locator("main")
    expect(main).not_to_contain_text("Bert")
    expect(main).not_to_contain_text("Bakker")
    expect(main).not_to_contain_text("KB0002")
    expect(main).to_contain_text(
        "Vaardigheden: 1 van de 2 gevraagde aanwezig (heftruckcertificaat); ontbreekt: orderpicken"
    )
    assert axe_violations(am) == []
    am.get_by_role("button", name=re.compile("^Voordragen")).first.click()
    expect(am.get_by_role("status")).to_contain_text("De consulent vraagt de klant om toestemming")
    entry = Voordracht.objects.get(vacancy=vacancy)
    assert entry.client_id == "KB0002"

    # Bob sees it on the worklist.
    bob = login(new_page(), "bob")
    nav(bob, "Werklijst")
    row = bob.get_by_role("row", name=re.compile("voorgedragen voor magazijnmedewerker"))
    expect(row).to_contain_text("Distributiecentrum Ypenburg")
    assert axe_violations(bob) == []

    # Bert consents in his own portal.
    bert = login(new_page(), "inwoner_b")
    nav(bert, "Mijn voordrachten")
    expect(
        bert.get_by_role("heading", name="magazijnmedewerker bij Distributiecentrum Ypenburg")
    ).to_be_visible()
    assert axe_violations(bert) == []
    bert.get_by_role("button", name="Ja, ik geef toestemming").click()
    expect(bert.get_by_role("status")).to_contain_text("U heeft toestemming gegeven")
    assert axe_violations(bert) == []
    entry.refresh_from_db()
    assert entry.status == "toestemming" and entry.consent_on is not None

    # The accountmanager records that the candidate was presented to the employer.
    am.goto(live_server.url + reverse("employers:vacancy", args=[vacancy.pk]))
    am.get_by_role("link", name=re.compile("Profiel voor de werkgever")).click()
    expect(am.get_by_role("heading", name="Profiel voor de werkgever", level=1)).to_be_visible()
    expect(am.locator("main")).to_contain_text("Laders en lossers (9333)")
    expect(am.locator("main")).not_to_contain_text("Bakker")
    assert axe_violations(am) == []
    am.go_back()
    am.get_by_role("button", name=re.compile("Voorgesteld aan de werkgever")).click()
    expect(am.get_by_role("status")).to_contain_text("aan de werkgever is voorgesteld")
    assert axe_violations(am) == []

    # Bob finds vacancies for Bert and sees why they fit.
    bob.goto(live_server.url + reverse("clients:file", args=["KB0002"]))
    bob.get_by_role("link", name="Vacatures voor deze klant").click()
    expect(bob.get_by_role("heading", name="Vacatures voor deze klant", level=1)).to_be_visible()
    card = bob.get_by_role("region", name=re.compile("^magazijnmedewerker"))
    expect(card).to_contain_text("Beroep: Laders en lossers (9333) is een gewenst beroep van de kandidaat.")
    expect(card).to_contain_text("Uren passen: 32 uur per week beschikbaar")
    expect(card).to_contain_text("voorgesteld aan de werkgever")
    card_v1 = bob.get_by_role("region", name=re.compile("^Orderpicker"))
    expect(card_v1).to_contain_text("Vaardigheden: 1 van de 1 gevraagde aanwezig")
    assert axe_violations(bob) == []
    nav(bob, "Werklijst")
    expect(bob.get_by_role("row", name=re.compile("voorgedragen voor magazijnmedewerker"))).to_have_count(0)

    # Bert changes his mind: he withdraws his consent as easily as he gave it.
    nav(bert, "Mijn voordrachten")
    bert.get_by_role("button", name="Toestemming intrekken voor magazijnmedewerker").click()
    expect(bert.get_by_role("status")).to_contain_text("U heeft uw toestemming ingetrokken")
    expect(bert.locator("main")).to_contain_text("Toestemming ingetrokken")
    assert axe_violations(bert) == []
    entry.refresh_from_db()
    assert entry.status == "ingetrokken"


def test_matching_pages_work_on_a_phone(world, live_server, new_page, login):
    from trede.employers.models import Voordracht

    add_vacancy(world)
    Voordracht.objects.create(vacancy=world.extra["vacancy"], client=world.clients["B"])
    problems = []
    am = login(new_page(), "am")
    am.set_viewport_size(PHONE)
    for path in (
        reverse("employers:list"),
        reverse("employers:employer", args=["E1"]),
        reverse("employers:vacancy", args=["V1"]),
        reverse("employers:vacancy_edit", args=["V1"]),
        reverse("employers:candidates", args=["V1"]),
    ):
        problems += phone_problems(am, live_server.url + path, path)
    bert = login(new_page(), "inwoner_b")
    bert.set_viewport_size(PHONE)
    path = reverse("employers:my_voordrachten")
    problems += phone_problems(bert, live_server.url + path, path)
    sanne = login(new_page(), "sanne")
    sanne.set_viewport_size(PHONE)
    path = reverse("employers:client_vacancies", args=["KA0001"])
    problems += phone_problems(sanne, live_server.url + path, path)
    assert problems == []
