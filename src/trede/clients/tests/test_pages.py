"""The hub's pages: search, "Mijn klanten" with CSV, the client file, sections, waarneming;
and the audit rows each of them writes."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from trede.accounts.models import Waarneming
from trede.audit.models import AuditEvent
from trede.tests_e2e.world import build_world

A = "KA0001"
SECTIONS_OF_A_FOR_CONSULTANT = [
    "basis",
    "identiteit",
    "diagnose",
    "werkprofiel",
    "leefgebieden",
    "plan",
    "contacten",
    "trajecten",
    "uitkering",
    "handhaving",
]


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def login(client, world, key):
    client.force_login(world.user(key))
    return world.user(key)


def html(response) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------- search


def test_search_page_finds_and_logs_only_the_length(world, client):
    login(client, world, "sanne")
    response = client.get(reverse("clients:search"), {"q": "de Vries"})
    assert response.status_code == 200
    page = html(response)
    assert "1 klant gevonden" in page
    assert f'href="{reverse("clients:file", args=[A])}"' in page
    (event,) = AuditEvent.objects.filter(action="search", event="client_search")
    assert (event.username, event.role, event.purpose) == ("sanne", "consulent_werk", "zoeken")
    assert event.details == {"lengte": 8, "aantal": 1}
    # The hit is in that client's own log (NEN 7513: who saw which person).
    (hit,) = AuditEvent.objects.filter(action="search", event="client_search_hit")
    assert (hit.client_id, hit.username, hit.section) == (A, "sanne", "basis")
    stored = json.dumps(
        [[e.client_id, e.object_id, e.section, e.purpose, e.details] for e in AuditEvent.objects.all()]
    )
    assert "Vries" not in stored


def test_search_with_bsn_is_not_logged_as_text(world, client):
    login(client, world, "inkomen")
    response = client.get(reverse("clients:search"), {"q": "111222333"})
    assert "Anna de Vries" in html(response)
    (event,) = AuditEvent.objects.filter(action="search", event="client_search")
    assert event.details["lengte"] == 9
    assert "111222333" not in json.dumps([e.details for e in AuditEvent.objects.all()])


def test_empty_search_logs_nothing(world, client):
    login(client, world, "sanne")
    response = client.get(reverse("clients:search"))
    assert response.status_code == 200
    assert "Klant zoeken" in html(response)
    assert not AuditEvent.objects.filter(action="search").exists()


def test_search_partial_for_htmx(world, client):
    login(client, world, "sanne")
    response = client.get(reverse("clients:search"), {"q": "Anna"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert "Anna de Vries" in html(response)


def test_search_offers_waarneming_for_a_colleagues_client_number(world, client):
    login(client, world, "bob")
    page = html(client.get(reverse("clients:search"), {"q": A}))
    assert "Geen klanten gevonden" in page
    assert reverse("clients:waarneming", args=[A]) in page
    assert "Anna" not in page  # nothing about the client before a reason is given
    login(client, world, "am")
    assert "Waarneming aanvragen" not in html(client.get(reverse("clients:search"), {"q": "KB0002"}))


# --------------------------------------------------------------------------- caseload


def test_caseload_page_lists_and_logs_one_read(world, client):
    login(client, world, "sanne")
    response = client.get(reverse("clients:caseload"))
    page = html(response)
    assert "<h1>Mijn klanten</h1>" in page
    assert "Anna de Vries" in page and "re-integratie" in page and "ondertekend (versie 1)" in page
    assert "Bert Bakker" not in page
    (event,) = AuditEvent.objects.filter(event="list_viewed")
    assert (event.action, event.purpose, event.details) == (
        "read",
        "caseload",
        {"lijst": "Mijn klanten", "aantal": 1},
    )
    # And one row in the log of each client shown, by name.
    (shown,) = AuditEvent.objects.filter(event="client_listed")
    assert (shown.client_id, shown.username, shown.details) == (A, "sanne", {"lijst": "Mijn klanten"})


def test_caseload_sorting_links_and_filter(world, client):
    login(client, world, "sanne")
    page = html(client.get(reverse("clients:caseload"), {"sorteer": "-naam"}))
    assert 'aria-sort="descending"' in page
    assert '<a href="?sorteer=naam">Naam' in page  # clicking again sorts ascending
    page = html(client.get(reverse("clients:caseload"), {"route": "participatie"}))
    assert "Geen klanten met deze keuze." in page and "Anna de Vries" not in page
    page = html(client.get(reverse("clients:caseload"), {"route": "bestaat-niet"}))
    assert "Anna de Vries" in page  # an invalid choice is ignored, not an error


def test_caseload_shows_current_clients_by_default(world, client):
    from datetime import date

    from trede.benefits.models import Benefit
    from trede.clients.models import Client

    today = timezone.localdate()
    sanne = world.consultants["sanne"]
    for client_id, name, ended_days_ago in (("KO1", "Oud", 800), ("KN1", "Nazorg", 90)):
        c = Client.objects.create(
            client_id=client_id, family_name=name, birth_date=date(1990, 1, 1), consultant=sanne
        )
        Benefit.objects.create(
            benefit_id=f"U-{client_id}",
            client=c,
            start_date=date(2020, 1, 1),
            end_date=today - timedelta(days=ended_days_ago),
            end_reason="werk",
        )
    login(client, world, "sanne")
    page = html(client.get(reverse("clients:caseload")))
    assert "Nazorg" in page and "Anna de Vries" in page and ">Oud<" not in page
    assert "<strong>2</strong> klanten: huidige klanten" in page
    page = html(client.get(reverse("clients:caseload"), {"uitkering": "alle"}))
    assert ">Oud<" in page and "<strong>3</strong> klanten" in page


def test_teamleider_sees_the_team_with_consultant_column(world, client):
    login(client, world, "tl_zuid")
    page = html(client.get(reverse("clients:caseload")))
    assert "Klanten van mijn team" in page and "Bert Bakker" in page and "Bob Jansen" in page
    assert "Anna de Vries" not in page


def test_caseload_csv(world, client):
    login(client, world, "sanne")
    response = client.get(reverse("clients:caseload_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["klantnummer", "naam", "leeftijd"]
    assert [r[0] for r in rows[1:]] == [A]
    assert rows[1][4] == "re-integratie" and rows[1][7] == "3"
    (event,) = AuditEvent.objects.filter(action="export")
    assert event.details == {"wat": "Mijn klanten", "formaat": "CSV", "aantal": 1}
    assert AuditEvent.objects.filter(event="client_listed", client_id=A).exists()


# --------------------------------------------------------------------------- client file


def test_file_logs_one_read_per_section_shown(world, client):
    login(client, world, "sanne")
    response = client.get(reverse("clients:file", args=[A]))
    assert response.status_code == 200
    events = AuditEvent.objects.filter(client_id=A, action="read").order_by("id")
    assert [e.section for e in events] == SECTIONS_OF_A_FOR_CONSULTANT
    assert {(e.username, e.role, e.purpose) for e in events} == {("sanne", "consulent_werk", "klantdossier")}
    page = html(response)
    for section in SECTIONS_OF_A_FOR_CONSULTANT:
        assert f'id="sectie-{section}"' in page
    assert 'data-testid="tijdlijn"' in page
    assert 'Route</dt><dd data-testid="route">re-integratie (1C)' in page
    assert "111222333" in page


def test_accountmanager_file_shows_two_sections_and_no_route(world, client):
    login(client, world, "am")
    page = html(client.get(reverse("clients:file", args=[A])))
    assert [e.section for e in AuditEvent.objects.filter(action="read").order_by("id")] == [
        "basis",
        "werkprofiel",
    ]
    assert 'id="sectie-werkprofiel"' in page and "magazijnmedewerker, orderpicker" in page
    # The desired occupation by its label, never a bare ISCO code (issue 10).
    assert "Gewenst werk</dt><dd>Laders en lossers (9333)</dd>" in page
    for hidden in ("leefgebieden", "diagnose", "uitkering", "handhaving", "contacten", "identiteit"):
        assert f'id="sectie-{hidden}"' not in page
    assert 'data-testid="route"' not in page and "Klantgroep" not in page
    assert "111222333" not in page
    assert "De andere onderdelen van dit dossier zijn voor u niet beschikbaar." in page


def test_section_endpoint(world, client):
    login(client, world, "am")
    response = client.get(reverse("clients:section", args=[A, "leefgebieden"]))
    assert response.status_code == 403
    assert "U heeft geen recht om dit te doen: leefgebieden inzien" in html(response)
    denied = AuditEvent.objects.get(action="denied")
    assert (denied.client_id, denied.section, denied.username) == (A, "leefgebieden", "am")
    assert not AuditEvent.objects.filter(action="read").exists()

    response = client.get(reverse("clients:section", args=[A, "werkprofiel"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in html(response)
    assert AuditEvent.objects.get(action="read").section == "werkprofiel"
    assert client.get(reverse("clients:section", args=[A, "onzin"])).status_code == 404


def test_outside_scope_is_404_and_logged(world, client):
    login(client, world, "am")
    for client_id in ("KB0002", "BESTAAT-NIET"):
        response = client.get(reverse("clients:file", args=[client_id]))
        assert response.status_code == 404
        assert "bestaat niet of valt buiten uw werk" in html(response)
    # Same page for an existing and a missing client: nothing confirms existence.
    assert "Bert" not in html(response)
    assert sorted(AuditEvent.objects.filter(action="denied").values_list("client_id", flat=True)) == [
        "BESTAAT-NIET",
        "KB0002",
    ]


def test_role_without_client_files_gets_403(world, client):
    login(client, world, "beleid")
    response = client.get(reverse("clients:file", args=[A]))
    assert response.status_code == 403
    assert "U heeft geen recht om dit te doen: basisgegevens van een klant inzien" in html(response)
    assert "Anna" not in html(response)
    assert AuditEvent.objects.get(action="denied").username == "beleid"


def test_resident_sees_own_file_only(world, client):
    login(client, world, "inwoner_a")
    page = html(client.get(reverse("clients:file", args=[A])))
    assert 'id="sectie-plan"' in page and 'id="sectie-leefgebieden"' in page
    assert 'id="sectie-uitkering"' not in page and 'id="sectie-contacten"' not in page
    assert client.get(reverse("clients:file", args=["KB0002"])).status_code == 404


# --------------------------------------------------------------------------- waarneming


def test_colleague_gets_the_waarneming_form_not_the_file(world, client):
    login(client, world, "bob")
    response = client.get(reverse("clients:file", args=[A]))
    assert response.status_code == 403
    page = html(response)
    assert "Waarneming aanvragen" in page and "Reden van de waarneming" in page
    assert "Anna" not in page and "Vries" not in page
    assert AuditEvent.objects.get(action="denied").client_id == A


def test_waarneming_requires_a_reason(world, client):
    bob = login(client, world, "bob")
    url = reverse("clients:waarneming", args=[A])
    response = client.post(url, {"reden": "   ", "dagen": "14"})
    assert response.status_code == 200
    assert "Geef een reden op" in html(response)
    assert 'aria-invalid="true"' in html(response)
    assert not Waarneming.objects.filter(user=bob).exists()
    assert not AuditEvent.objects.filter(action="grant").exists()


def test_waarneming_opens_the_file_for_a_limited_time(world, client):
    bob = login(client, world, "bob")
    url = reverse("clients:waarneming", args=[A])
    response = client.post(url, {"reden": "Sanne is ziek, Anna belt over haar afspraak", "dagen": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:file", args=[A])
    waarneming = Waarneming.objects.get(user=bob)
    assert waarneming.reason == "Sanne is ziek, Anna belt over haar afspraak"
    grant = AuditEvent.objects.get(action="grant")
    assert (grant.client_id, grant.purpose, grant.object_id) == (A, "waarneming", str(waarneming.pk))

    page = html(client.get(reverse("clients:file", args=[A])))
    assert "U neemt waar voor een collega" in page and "Anna de Vries" in page
    with freeze_time(timezone.now() + timedelta(days=2)):
        client.force_login(bob)
        assert client.get(reverse("clients:file", args=[A])).status_code == 403


def test_waarneming_for_a_missing_client_is_404_after_the_reason(world, client):
    login(client, world, "bob")
    url = reverse("clients:waarneming", args=["BESTAAT-NIET"])
    assert client.get(url).status_code == 200  # the form, whether or not the client exists
    response = client.post(url, {"reden": "Klant belde met dit nummer", "dagen": "1"})
    assert response.status_code == 404
    assert not Waarneming.objects.filter(user__username="bob").exists()
    assert AuditEvent.objects.filter(action="denied", client_id="BESTAAT-NIET", purpose="waarneming").exists()


def test_waarneming_not_for_other_roles(world, client):
    login(client, world, "am")
    response = client.post(reverse("clients:waarneming", args=[A]), {"reden": "matchen", "dagen": "1"})
    assert response.status_code == 403
    assert not Waarneming.objects.filter(user__username="am").exists()


# --------------------------------------------------------------------------- navigation


@pytest.mark.parametrize(
    "key, present, absent",
    [
        ("sanne", ["Mijn klanten", "Zoeken"], ["Privacy"]),
        ("tl_noord", ["Mijn klanten", "Zoeken"], ["Privacy"]),
        ("am", ["Zoeken"], ["Mijn klanten", "Privacy"]),
        ("aanbieder_p", ["Zoeken"], ["Mijn klanten", "Privacy"]),
        ("privacy", ["Privacy", "Zoeken"], ["Mijn klanten"]),
        ("beleid", [], ["Mijn klanten", "Zoeken", "Privacy"]),
        ("inwoner_a", [], ["Mijn klanten", "Zoeken", "Privacy"]),
    ],
)
def test_main_navigation_per_role(world, client, key, present, absent):
    login(client, world, key)
    page = html(client.get(reverse("portal:home")))
    nav = page.split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]
    for label in present:
        assert f">{label}</a>" in nav, label
    for label in absent:
        assert f">{label}</a>" not in nav, label
