"""The event pages through the test client: who may open and change what, the indeling on
the page with its total and reasons, confirming a pair, double submits, a stale page's 409,
the export through the one export helper, the navigation and the audit rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.casework.tests.factories_plans import UserFactory
from trede.employers.models import Voordracht
from trede.matchevents import services
from trede.matchevents.models import EventCandidate, EventPair, EventVacancy, MatchEvent
from trede.utils.concurrency import new_submission_key

from .test_services import _fill

pytestmark = pytest.mark.django_db


def _detail(event):
    return reverse("matchevents:detail", args=[event.pk])


def test_accountmanager_creates_fills_and_makes_the_indeling(client, w):
    am = w["am"]
    client.force_login(am)
    key = new_submission_key()
    data = {
        "name": "Speeddates zorg",
        "kind": "speeddate",
        "date": "2026-12-20",
        "location": "",
        "submission_key": key,
    }
    first = client.post(reverse("matchevents:new"), data)
    client.post(reverse("matchevents:new"), data)  # double submit
    assert MatchEvent.objects.filter(name="Speeddates zorg").count() == 1
    event = MatchEvent.objects.get(name="Speeddates zorg")
    assert first["Location"] == _detail(event)
    page = client.get(_detail(event))
    assert page.status_code == 200 and "Orderpicker" in page.content.decode()  # an own vacancy to add
    vacancies = reverse("matchevents:vacancies", args=[event.pk])
    client.post(vacancies, {"actie": "toevoegen", "vacature": w["cleaning"].pk, "plaatsen": "2"})
    client.post(vacancies, {"actie": "toevoegen", "vacature": w["warehouse"].pk, "plaatsen": "1"})
    assert (
        client.post(
            vacancies, {"actie": "toevoegen", "vacature": w["theirs"].pk, "plaatsen": "1"}
        ).status_code
        == 403
    )
    assert EventVacancy.objects.filter(event=event).count() == 2
    invite = client.get(reverse("matchevents:invite", args=[event.pk]))
    html = invite.content.decode()
    assert invite.status_code == 200
    for c in w["clients"].values():
        assert c.family_name not in html and c.pk not in html
    labels = [services.event_label(event.pk, w["clients"][n].pk) for n in ("schoon1", "schoon2", "magazijn")]
    assert all(label in html for label in labels)
    assert services.event_label(event.pk, w["clients"]["ver"].pk) not in html  # beyond own travel limit
    client.post(reverse("matchevents:invite", args=[event.pk]), {"kandidaat": labels})
    assert EventCandidate.objects.filter(event=event).count() == 3
    page = client.get(_detail(event))
    token = page.context["token"]
    made = client.post(
        reverse("matchevents:indeling", args=[event.pk]),
        {"actie": "indelen", "edit_token": token, "submission_key": new_submission_key()},
    )
    assert made.status_code == 302
    page = client.get(_detail(event))
    html = page.content.decode()
    assert "Totale score:" in html and "Vaardigheden: 1 van de 1 gevraagde aanwezig" in html
    assert EventPair.objects.filter(event=event).count() == 3
    # The page opened before the indeling is stale now: 409, nothing made.
    stale = client.post(
        reverse("matchevents:indeling", args=[event.pk]),
        {"actie": "indelen", "edit_token": token, "submission_key": new_submission_key()},
    )
    assert (
        stale.status_code == 409
        and "Iemand anders heeft deze bijeenkomst gewijzigd" in stale.content.decode()
    )
    pair = EventPair.objects.get(event=event, client=w["clients"]["magazijn"])
    key = new_submission_key()
    url = reverse("matchevents:pair", args=[pair.pk])
    assert client.post(url, {"actie": "bevestigen", "submission_key": key}).status_code == 302
    assert client.post(url, {"actie": "bevestigen", "submission_key": key}).status_code == 302  # double
    assert Voordracht.objects.filter(client=w["clients"]["magazijn"]).count() == 1
    # Every candidate the page showed is a matching read in the client's own log.
    assert AuditEvent.objects.filter(event="match_listed", client_id=w["clients"]["magazijn"].pk).exists()


def test_export_by_label_through_the_export_helper(client, w):
    event = _fill(w)
    services.indeling_make(user=w["am"], event=event, token=services.event_edit_token(event), day=w["today"])
    client.force_login(w["am"])
    response = client.get(reverse("matchevents:export", args=[event.pk]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "Vacature;Werkgever;Kandidaat;Score;Stand;Uitleg"
    assert services.event_label(event.pk, w["clients"]["magazijn"].pk) in body
    assert w["clients"]["magazijn"].family_name not in body and w["clients"]["magazijn"].pk not in body
    xlsx = client.get(reverse("matchevents:export", args=[event.pk]) + "?formaat=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(event="export_made", object_type="matchevent").count() == 2


def test_other_accountmanager_reads_but_does_not_change(client, w):
    event = _fill(w)
    client.force_login(w["other_am"])
    assert client.get(_detail(event)).status_code == 200
    for name in ("edit", "invite", "export"):
        assert client.get(reverse(f"matchevents:{name}", args=[event.pk])).status_code == 403, name
    token = services.event_edit_token(event)
    response = client.post(reverse("matchevents:indeling", args=[event.pk]), {"edit_token": token})
    assert response.status_code == 403 and not EventPair.objects.exists()


def test_consultant_signs_up_own_client_and_sees_only_them_by_name(client, w):
    event = _fill(w, "magazijn")
    consultant = w["consultant"]
    client.force_login(consultant)
    page = client.get(_detail(event)).content.decode()
    assert "Klant uit uw caseload aanmelden" in page
    assert w["clients"]["anders"].family_name not in page  # another consultant's client
    response = client.post(
        reverse("matchevents:sign_up", args=[event.pk]), {"klant": w["clients"]["schoon1"].pk}
    )
    assert response.status_code == 302
    assert EventCandidate.objects.filter(event=event, client=w["clients"]["schoon1"]).exists()
    refused = client.post(
        reverse("matchevents:sign_up", args=[event.pk]), {"klant": w["clients"]["anders"].pk}
    )
    assert refused.status_code in (403, 404)
    assert not EventCandidate.objects.filter(event=event, client=w["clients"]["anders"]).exists()
    assert client.get(reverse("matchevents:new")).status_code == 403
    assert AuditEvent.objects.filter(event="client_listed", client_id=w["clients"]["schoon1"].pk).exists()


def test_navigation_follows_the_declaration(client, w):
    for role, shown in ((Role.ACCOUNTMANAGER, True), (Role.CONSULENT_WERK, True), (Role.BELEID, False)):
        user = UserFactory(role=role)
        client.force_login(user)
        html = client.get(reverse("portal:home")).content.decode()
        assert (reverse("matchevents:list") in html) is shown, role
        assert client.get(reverse("matchevents:list")).status_code == (200 if shown else 403)
