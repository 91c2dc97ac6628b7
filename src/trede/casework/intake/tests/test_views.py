"""The intake screens: a consultant's whole intake, refusals, and the public questionnaire page."""

import re
from datetime import date

import pytest
from django.urls import reverse

from trede.audit.models import AuditEvent
from trede.casework.intake.models import Application, Diagnosis, RouteDecision
from trede.casework.intake.services import diagnosis_edit_token
from trede.casework.tests.factories_intake import UserFactory, consultant_user, full_answers
from trede.clients.models import Client
from trede.clients.tests.factories import valid_bsn

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanne(client):
    user = consultant_user("sanne")
    client.force_login(user)
    return user


def register_via_page(client) -> Application:
    response = client.post(
        reverse("casework:intake_new"),
        {
            "given_name": "Kim",
            "family_name": "Mulder",
            "birth_date": "1990-05-01",
            "bsn": valid_bsn(3),
            "postcode4": "2271",
            "gender": "vrouw",
            "statushouder": "",
            "kind": "aanvraag",
            "received_on": "2024-03-01",
            "note": "",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:intake_detail", kwargs={"pk": application.pk})
    return application


def test_consultant_registers_and_completes_the_intake(client, sanne):
    assert client.get(reverse("casework:intake_new")).status_code == 200
    application = register_via_page(client)
    kim = Client.objects.get()
    assert kim.consultant.user == sanne and kim.client_id.startswith("T")

    page = client.get(reverse("casework:intake_detail", kwargs={"pk": application.pk}))
    assert page.status_code == 200 and "Kim Mulder" in page.content.decode()

    url = reverse("casework:intake_questionnaire", kwargs={"pk": application.pk})
    form = client.get(url).content.decode()
    assert "<legend>Gezondheid</legend>" in form and "bespreek ik liever" not in form

    incomplete = client.post(url, {"werk_laatst": "nooit", "diagnose": "1"})
    assert incomplete.status_code == 400 and "Kies een antwoord." in incomplete.content.decode()

    response = client.post(url, full_answers(gezondheid_psychisch="ernstig") | {"diagnose": "1"})
    diagnosis = Diagnosis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:diagnosis_detail", kwargs={"diagnosis_id": diagnosis.pk})

    page = client.get(response["Location"]).content.decode()
    assert "Wat bepaalde de uitkomst" in page
    assert "Ja, ik kan nu niet werken" in page and "+24" in page
    # Ladder step now (5) and target (6) with the active preset's approach per step.
    assert "Betaald werk met ondersteuning: loonkostensubsidie, jobcoach, proefplaatsing." in page
    assert "Betaald werk: bemiddeling naar regulier werk en nazorg." in page
    assert AuditEvent.objects.filter(action="read", section="diagnose", client_id=kim.pk).exists()

    override_url = reverse("casework:diagnosis_override", kwargs={"diagnosis_id": diagnosis.pk})
    fields = {
        "afwijking-months_to_work": "6",
        "afwijking-ladder_step": "5",
        "afwijking-ladder_target": "6",
        "afwijking-wage_value_pct": "50",
        "afwijking-category": diagnosis.category,
        "afwijking-route": diagnosis.route,
        "afwijking-client_group": diagnosis.client_group,
        "afwijking-edit_token": diagnosis_edit_token(diagnosis),
    }
    refused = client.post(override_url, fields | {"afwijking-reason": ""})
    assert refused.status_code == 400 and "Geef de reden" in refused.content.decode()
    assert Diagnosis.objects.count() == 1
    done = client.post(override_url, fields | {"afwijking-reason": "Klachten nemen af, start bij werkgever"})
    assert done.status_code == 302 and Diagnosis.objects.count() == 2
    override = Diagnosis.objects.get(is_override=True)
    assert override.months_to_work == 6 and override.route == "re_integratie"

    route_url = reverse("casework:route_decide", kwargs={"diagnosis_id": override.pk})
    assert client.post(route_url, {"route-decided_on": "2024-03-10", "route-reason": ""}).status_code == 400
    decided = client.post(
        route_url,
        {"route-decided_on": "2024-03-10", "route-route": "re_integratie", "route-reason": "Samen besproken"},
    )
    assert decided.status_code == 302
    decision = RouteDecision.objects.get()
    assert decision.route == "re_integratie" and decision.decided_on == date(2024, 3, 10)
    page = client.get(
        reverse("casework:diagnosis_detail", kwargs={"diagnosis_id": override.pk})
    ).content.decode()
    assert "Samen besproken" in page and "Klachten nemen af" in page


def _page(response) -> str:
    """The page without what differs on every request anyway (CSP nonce, CSRF token)."""
    text = response.content.decode()
    return re.sub(r'(nonce|value)="[^"]*"', r'\1=""', text)


def test_outside_scope_gives_the_same_404_as_a_missing_id(client, sanne):
    """403 for an existing intake or diagnosis outside one's work and 404 for a missing one
    told a guesser which ids exist (before: 403 here); now both are the same audited 404."""
    application = register_via_page(client)
    client.post(
        reverse("casework:intake_questionnaire", kwargs={"pk": application.pk}),
        full_answers() | {"diagnose": "1"},
    )
    diagnosis = Diagnosis.objects.get()
    # A consultant of another team (a teammate shares the new applicant while the intake runs).
    peter = consultant_user("peter")
    peter.consultant.team = "Elders"
    peter.consultant.save(update_fields=["team"])
    client.force_login(peter)
    missing_app, missing_diag = application.pk + 999, "TD999999"
    client.get(reverse("casework:intake_list"))  # shows (and so clears) sanne's pending messages
    pairs = [
        ("casework:intake_detail", {"pk": application.pk}, {"pk": missing_app}),
        ("casework:intake_questionnaire", {"pk": application.pk}, {"pk": missing_app}),
        ("casework:diagnosis_detail", {"diagnosis_id": diagnosis.pk}, {"diagnosis_id": missing_diag}),
    ]
    for name, existing, missing in pairs:
        seen = client.get(reverse(name, kwargs=existing))
        absent = client.get(reverse(name, kwargs=missing))
        assert seen.status_code == absent.status_code == 404, name
        assert _page(seen) == _page(absent), name
    posts = [
        ("casework:intake_send", {"pk": application.pk}, {"pk": missing_app}),
        ("casework:diagnosis_override", {"diagnosis_id": diagnosis.pk}, {"diagnosis_id": missing_diag}),
        ("casework:route_decide", {"diagnosis_id": diagnosis.pk}, {"diagnosis_id": missing_diag}),
    ]
    data = {"afwijking-reason": "x", "route-reason": "x"}
    for name, existing, missing in posts:
        seen = client.post(reverse(name, kwargs=existing), data)
        absent = client.post(reverse(name, kwargs=missing), data)
        assert seen.status_code == absent.status_code == 404, name
        assert _page(seen) == _page(absent), name
    assert Diagnosis.objects.count() == 1 and not RouteDecision.objects.exists()
    denied = AuditEvent.objects.filter(action="denied", username="peter")
    assert denied.count() >= 2 * (len(pairs) + len(posts))
    assert denied.filter(client_id=application.client_id).count() >= len(pairs) + len(posts)


def test_route_none_in_the_override_is_refused_not_a_500(client, sanne):
    """An override with route "Geen" and then a route decision hit the database's check
    constraint (IntegrityError, a 500); now a Dutch refusal and nothing stored."""
    application = register_via_page(client)
    client.post(
        reverse("casework:intake_questionnaire", kwargs={"pk": application.pk}),
        full_answers() | {"diagnose": "1"},
    )
    diagnosis = Diagnosis.objects.get()
    override_url = reverse("casework:diagnosis_override", kwargs={"diagnosis_id": diagnosis.pk})
    done = client.post(
        override_url,
        {
            "afwijking-months_to_work": "",
            "afwijking-ladder_step": "",
            "afwijking-ladder_target": "",
            "afwijking-wage_value_pct": "",
            "afwijking-category": "",
            "afwijking-route": "",
            "afwijking-client_group": "",
            "afwijking-reason": "Nog onduidelijk",
        },
    )
    assert done.status_code in (302, 400)
    target = Diagnosis.objects.order_by("-pk").first()
    route_url = reverse("casework:route_decide", kwargs={"diagnosis_id": target.pk})
    response = client.post(
        route_url, {"route-decided_on": "2024-03-10", "route-route": "", "route-reason": "Besproken"}
    )
    assert response.status_code == 400 and "Kies een route" in response.content.decode()
    assert not RouteDecision.objects.exists()


def test_teamleider_reads_but_cannot_change(client, sanne):
    application = register_via_page(client)
    teamleider = UserFactory(username="ingrid", role="teamleider", team="Werk")
    client.force_login(teamleider)
    page = client.get(reverse("casework:intake_detail", kwargs={"pk": application.pk}))
    assert page.status_code == 200 and "Link voor zelf invullen maken" not in page.content.decode()
    assert client.post(reverse("casework:intake_send", kwargs={"pk": application.pk})).status_code == 403


def test_list_is_only_for_caseworkers(client, sanne):
    register_via_page(client)
    assert "Kim Mulder" in client.get(reverse("casework:intake_list")).content.decode()
    client.force_login(UserFactory(username="joost", role="beleid"))
    assert client.get(reverse("casework:intake_list")).status_code == 403
    client.logout()
    assert client.get(reverse("casework:intake_list")).status_code == 302


def test_public_questionnaire_works_without_login_and_shows_nothing_of_the_file(client, sanne):
    application = register_via_page(client)
    client.post(reverse("casework:intake_send", kwargs={"pk": application.pk}))
    questionnaire = application.questionnaires.get()
    detail = client.get(reverse("casework:intake_detail", kwargs={"pk": application.pk})).content.decode()
    public_url = reverse("casework:questionnaire_public", kwargs={"token": questionnaire.token})
    assert public_url in detail

    client.logout()
    page = client.get(public_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Mulder" not in html and application.client_id not in html and valid_bsn(3) not in html
    assert "<legend>Geld en schulden</legend>" in html and "bespreek ik liever" in html
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]

    answers = full_answers(werk_laatst="3_5j", schulden="bespreken") | {"werk_wens": "Magazijn"}
    sent = client.post(public_url, answers)
    assert sent.status_code == 302 and sent["Location"] == reverse("casework:questionnaire_done")
    assert "Dank u wel" in client.get(sent["Location"]).content.decode()
    questionnaire.refresh_from_db()
    assert questionnaire.answers == answers

    again = client.get(public_url)
    assert again.status_code == 410 and "al ingestuurd" in again.content.decode()
    assert client.post(public_url, {"werk_laatst": "nooit"}).status_code == 410

    client.force_login(sanne)
    form = client.get(
        reverse("casework:intake_questionnaire", kwargs={"pk": application.pk})
    ).content.decode()
    assert "liever in het gesprek bespreken: Heeft u schulden" in form
    assert re.search(r'value="3_5j" id="id_werk_laatst_3"[^>]* checked', form)


def test_public_page_refuses_a_bad_token(client):
    response = client.get(reverse("casework:questionnaire_public", kwargs={"token": "verzonnen-code"}))
    assert response.status_code == 404 and "Deze link werkt niet" in response.content.decode()
