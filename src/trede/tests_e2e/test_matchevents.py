"""A matching event in the browser (issue 10, point 6): the accountmanager creates a
Netwerkcafé, adds vacancies of the own accounts with their places, invites anonymised
candidates, makes the indeling, reads why each pair fits and confirms one (a voordracht,
so the client is asked for consent). axe-core finds no violation on any page visited, and
every page works at 390 px."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import expect

from .axe import axe_violations
from .conftest import E2E
from .phone import PHONE, phone_problems
from .test_journeys import nav, select_containing
from .world import add_match_event, add_vacancy

pytestmark = E2E


def _candidates(world):
    from trede.clients.models import ClientProfile
    from trede.employers.models import Vacancy

    add_vacancy(world)
    Vacancy.objects.create(
        vacancy_id="V2",
        employer_id="E1",
        title="Schoonmaker",
        occupation_code="9112",
        hours_per_week=Decimal("20"),
        open_date=date(2024, 1, 1),
        skills=["schoonmaken"],
    )
    # Bert (B, Bob's caseload) wants warehouse work; Anna is at work, so no candidate.
    ClientProfile.objects.create(
        client=world.clients["B"],
        desired_occupations=["9333"],
        skills=["heftruckcertificaat"],
        hours_available=Decimal("32"),
    )


def test_accountmanager_makes_and_confirms_an_indeling(world, live_server, new_page, login):
    from trede.employers.models import Voordracht
    from trede.matchevents.models import EventPair, MatchEvent

    _candidates(world)
    am = login(new_page(), "am")
    nav(am, "Bijeenkomsten")
    expect(am.get_by_role("heading", name="Bijeenkomsten", level=1)).to_be_visible()
    assert axe_violations(am) == []
    am.get_by_role("link", name="Nieuwe bijeenkomst").click()
    assert axe_violations(am) == []
    am.get_by_label("Naam").fill("Netwerkcafé logistiek")
    am.get_by_label("Datum").fill("2026-12-17")
    am.get_by_label("Locatie").fill("Wijkcentrum De Ster")
    am.get_by_role("button", name="Opslaan").click()
    expect(am.get_by_role("status")).to_contain_text("Bijeenkomst ‘Netwerkcafé logistiek’ is aangemaakt")
    expect(am.get_by_role("heading", name="Netwerkcafé logistiek", level=1)).to_be_visible()
    assert axe_violations(am) == []

    # Two vacancies of the own account, one place each.
    for title in ("Orderpicker", "Schoonmaker"):
        select_containing(am.get_by_label("Vacature van uw werkgevers"), title)
        am.get_by_label("Plaatsen op de bijeenkomst").fill("1")
        am.get_by_role("button", name="Vacature toevoegen").click()
        expect(am.get_by_role("status")).to_contain_text(f"Vacature ‘{title}’ doet mee")
    assert axe_violations(am) == []

    am.get_by_role("link", name="Kandidaten uitnodigen").click()
    expect(am.get_by_role("heading", name="Kandidaten uitnodigen", level=1)).to_be_visible()
    main = am.locator("main")
    expect(main).not_to_contain_text("Bert")
    expect(main).not_to_contain_text("Bakker")
    expect(main).not_to_contain_text("KB0002")
    assert axe_violations(am) == []
    am.get_by_role("checkbox").first.check()
    am.get_by_role("button", name="Uitnodigen").click()
    expect(am.get_by_role("status")).to_contain_text("1 kandidaten uitgenodigd")
    assert axe_violations(am) == []

    am.get_by_role("button", name="Indeling maken").click()
    expect(am.get_by_role("status")).to_contain_text("De indeling is gemaakt: 1 nieuwe koppels")
    indeling = am.get_by_role("region", name="Indeling", exact=True)
    expect(indeling).to_contain_text("Totale score:")
    pair = am.get_by_role("region", name=re.compile("^Kandidaat .* bij Orderpicker"))
    expect(pair).to_contain_text("Vaardigheden: 1 van de 1 gevraagde aanwezig (heftruckcertificaat)")
    expect(pair).to_contain_text("Uren passen")
    expect(main).not_to_contain_text("Bakker")
    assert axe_violations(am) == []

    pair.get_by_role("button", name=re.compile("^Bevestigen en voordragen")).click()
    expect(am.get_by_role("status")).to_contain_text("is voorgedragen voor ‘Orderpicker’")
    expect(am.get_by_role("region", name=re.compile("^Kandidaat .* bij Orderpicker"))).to_contain_text(
        "Stand: bevestigd (voorgedragen); voordracht"
    )
    assert axe_violations(am) == []
    event = MatchEvent.objects.get(name="Netwerkcafé logistiek")
    confirmed = EventPair.objects.get(event=event, status="bevestigd")
    assert confirmed.client_id == "KB0002" and confirmed.vacancy_id == "V1"
    entry = Voordracht.objects.get(vacancy_id="V1", client_id="KB0002")
    assert entry.status == "voorgesteld" and confirmed.voordracht == entry

    # The consultant sees the own client by name on the event, and the voordracht on the worklist.
    bob = login(new_page(), "bob")
    bob.goto(live_server.url + reverse("matchevents:detail", args=[event.pk]))
    expect(bob.get_by_role("region", name="Kandidaten (1)")).to_contain_text("Bert")
    assert axe_violations(bob) == []


def test_event_pages_work_on_a_phone(world, live_server, new_page, login):
    from trede.matchevents import services

    _candidates(world)
    event = add_match_event(world)
    services.indeling_make(user=world.user("am"), event=event, token=services.event_edit_token(event))
    problems = []
    am = login(new_page(), "am")
    am.set_viewport_size(PHONE)
    for path in (
        reverse("matchevents:list"),
        reverse("matchevents:new"),
        reverse("matchevents:detail", args=[event.pk]),
        reverse("matchevents:edit", args=[event.pk]),
        reverse("matchevents:invite", args=[event.pk]),
    ):
        problems += phone_problems(am, live_server.url + path, path)
    bob = login(new_page(), "bob")
    bob.set_viewport_size(PHONE)
    path = reverse("matchevents:detail", args=[event.pk])
    problems += phone_problems(bob, live_server.url + path, path)
    assert problems == []
