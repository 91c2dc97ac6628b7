"""The employer pages, the vacancy services and the voordracht from proposal to outcome:
who may, the relationship that follows from consent, audit rows, no duplicate on a double
submit and refusals in Dutch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from trede.accounts.access import client_scope, relationship
from trede.accounts.models import Role
from trede.accounts.permissions import Relation
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.contacts.selectors import worklist_for
from trede.casework.tests.factories_plans import ClientOnBenefitFactory, ConsultantUserFactory, UserFactory
from trede.clients.models import ClientProfile, Postcode
from trede.employers import selectors, services
from trede.employers.constants import VoordrachtStatus
from trede.employers.models import Vacancy, Voordracht
from trede.utils.concurrency import StaleEditError, new_submission_key

from .factories import EmployerFactory, VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    Postcode.objects.create(postcode4="2271", lat=Decimal("52.07"), lon=Decimal("4.40"))
    Postcode.objects.create(postcode4="2272", lat=Decimal("52.08"), lon=Decimal("4.41"))
    am = UserFactory(username="am", role=Role.ACCOUNTMANAGER)
    other_am = UserFactory(username="am2", role=Role.ACCOUNTMANAGER)
    consultant = ConsultantUserFactory()
    client = ClientOnBenefitFactory(
        consultant=consultant, given_name="Fatma", family_name="Yilmaz", postcode4="2272", dutch_language="b1"
    )
    ClientProfile.objects.create(
        client=client,
        desired_occupations=["9112"],
        skills=["schoonmaken"],
        hours_available=24,
        max_travel_km=15,
    )
    inwoner = UserFactory(username="inwoner", role=Role.INWONER, client=client)
    employer = EmployerFactory(name="Schoon BV", account_manager=am)
    theirs = EmployerFactory(name="Ander BV", account_manager=other_am)
    vacancy = VacancyFactory(employer=employer, open_date=timezone.localdate())
    return {
        "am": am,
        "other_am": other_am,
        "consultant": consultant.user,
        "client": client,
        "inwoner": inwoner,
        "employer": employer,
        "theirs": theirs,
        "vacancy": vacancy,
        "teamleider": UserFactory(username="tl", role=Role.TEAMLEIDER),
    }


def events(name: str):
    return AuditEvent.objects.filter(event=name)


def vacancy_input(**kw) -> services.VacancyInput:
    return services.VacancyInput(
        **(
            {
                "title": "Magazijnmedewerker",
                "occupation_code": "9333",
                "skills": ("heftruck", "Heftruck ", "orderpicken"),
                "hours_per_week": Decimal("32"),
                "positions": 2,
            }
            | kw
        )
    )


# --------------------------------------------------------------------------- vacancies


def test_the_owner_creates_a_vacancy_once_per_submit_audited_with_history(s):
    key = new_submission_key()
    first = services.vacancy_create(
        user=s["am"], employer=s["employer"], data=vacancy_input(), submission_key=key
    )
    again = services.vacancy_create(
        user=s["am"], employer=s["employer"], data=vacancy_input(), submission_key=key
    )
    assert first.pk == again.pk and Vacancy.objects.filter(employer=s["employer"]).count() == 2
    assert first.pk.startswith("VT") and first.open_date == timezone.localdate()
    # Duplicate skills (without case and spaces) once.
    assert services.parse_skills("heftruck\nHeftruck , orderpicken") == ("heftruck", "orderpicken")
    row = events("vacancy_saved").get()
    assert row.client_id in ("", None) and row.details["vacature"] == first.pk
    assert "aangemaakt" in describe(row)
    assert first.history.count() == 1


def test_another_accountmanagers_employer_is_refused_and_audited(s):
    with pytest.raises(PermissionDenied):
        services.vacancy_create(user=s["am"], employer=s["theirs"], data=vacancy_input())
    with pytest.raises(PermissionDenied):
        services.vacancy_create(user=s["consultant"], employer=s["employer"], data=vacancy_input())
    assert events("access_denied").count() == 2
    assert not Vacancy.objects.filter(employer=s["theirs"]).exists()


def test_validation_refuses_in_dutch(s):
    with pytest.raises(ValidationError) as refused:
        services.vacancy_create(
            user=s["am"],
            employer=s["employer"],
            data=vacancy_input(
                title=" ", occupation_code="12", postcode4="12a4", positions=0, hours_per_week=Decimal("80")
            ),
        )
    errors = refused.value.message_dict
    assert errors["title"] == ["Vul de functie in."]
    assert "beroep" in errors["occupation"][0]
    assert "vier cijfers" in errors["postcode4"][0]
    assert "plaatsen" in errors["positions"][0] and "Uren" in errors["hours_per_week"][0]


def test_an_edit_over_a_newer_save_is_refused_and_filled_closes(s):
    vacancy = s["vacancy"]
    token = services.vacancy_edit_token(vacancy)
    services.vacancy_update(
        user=s["am"], vacancy=vacancy, data=vacancy_input(hours_per_week=Decimal("20")), token=token
    )
    with pytest.raises(StaleEditError) as stale:
        services.vacancy_update(user=s["am"], vacancy=vacancy, data=vacancy_input(), token=token)
    assert "Uren per week" in str(stale.value)
    fresh = Vacancy.objects.get(pk=vacancy.pk)
    services.vacancy_update(
        user=s["am"],
        vacancy=fresh,
        data=vacancy_input(status="vervuld"),
        token=services.vacancy_edit_token(fresh),
    )
    fresh.refresh_from_db()
    assert fresh.status == "vervuld" and fresh.close_date == timezone.localdate()
    assert selectors.vacancy_candidates(fresh, day=timezone.localdate()) == []


def test_werkgevers_lists_own_accounts_and_all_for_the_teamleider(s, client):
    client.force_login(s["am"])
    html = client.get(reverse("employers:list")).content.decode()
    assert "Schoon BV" in html and "Ander BV" not in html
    assert client.get(reverse("employers:employer", args=[s["theirs"].pk])).status_code == 404
    page = client.get(reverse("employers:employer", args=[s["employer"].pk])).content.decode()
    assert "Schoonmaker" in page and "Nieuwe vacature" in page
    client.force_login(s["teamleider"])
    html = client.get(reverse("employers:list")).content.decode()
    assert "Schoon BV" in html and "Ander BV" in html
    page = client.get(reverse("employers:employer", args=[s["employer"].pk])).content.decode()
    assert "Nieuwe vacature" not in page
    assert client.get(reverse("employers:vacancy_new", args=[s["employer"].pk])).status_code == 403
    client.force_login(s["consultant"])
    assert client.get(reverse("employers:list")).status_code == 403


def test_the_vacancy_page_finds_the_occupation_from_the_title_and_saves_once(s, client):
    client.force_login(s["am"])
    url = reverse("employers:vacancy_new", args=[s["employer"].pk])
    key = new_submission_key()
    data = {
        "title": "heftruck",
        "kind": "regulier",
        "skills": "heftruckcertificaat",
        "hours_per_week": "32",
        "postcode4": "",
        "start_date": "",
        "positions": "1",
        "status": "open",
        "submission_key": key,
    }
    found = client.post(url, data | {"actie": "zoeken"})
    html = found.content.decode()
    assert found.status_code == 200 and "Heftruckbestuurders (8344)" in html
    # Saving without a choice for a title that names no occupation exactly: refused in Dutch.
    refused = client.post(url, data | {"actie": "opslaan"})
    assert refused.status_code == 400 and "Kies het beroep" in refused.content.decode()
    chosen = [
        c for c, _ in __import__("trede.employers.forms", fromlist=["x"]).occupation_choices("heftruck")
    ][0]
    first = client.post(url, data | {"actie": "opslaan", "occupation": chosen})
    second = client.post(url, data | {"actie": "opslaan", "occupation": chosen})
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    made = Vacancy.objects.get(submission_key=key)
    assert made.occupation_code == "8344" and made.skills == ["heftruckcertificaat"]
    page = client.get(first["Location"]).content.decode()
    assert "Heftruckbestuurders (8344)" in page
    # An exact job title needs no search step.
    exact = client.post(
        url, data | {"actie": "opslaan", "title": "kok", "submission_key": new_submission_key()}
    )
    assert exact.status_code == 302 and Vacancy.objects.filter(occupation_code="5120").exists()


# --------------------------------------------------------------------------- candidates and voordracht


def test_candidates_are_anonymised_and_their_listing_audited(s, client):
    client.force_login(s["am"])
    page = client.get(reverse("employers:candidates", args=[s["vacancy"].pk]))
    html = page.content.decode()
    label = services.candidate_label(s["vacancy"].pk, s["client"].pk)
    assert page.status_code == 200 and label in html
    assert "Yilmaz" not in html and "Fatma" not in html and s["client"].pk not in html
    assert "Vaardigheden: 1 van de 1 gevraagde aanwezig" in html
    listed = events("match_listed").filter(user=s["am"])
    assert list(listed.values_list("client_id", flat=True)) == [s["client"].pk]
    # The label belongs to this vacancy only.
    other = VacancyFactory(employer=s["employer"], open_date=timezone.localdate())
    assert services.candidate_label(other.pk, s["client"].pk) != label
    # Another accountmanager's vacancy: 404.
    theirs = VacancyFactory(employer=s["theirs"], open_date=timezone.localdate())
    assert client.get(reverse("employers:candidates", args=[theirs.pk])).status_code == 404


def test_propose_consent_present_and_outcome(s, client):
    client.force_login(s["am"])
    url = reverse("employers:candidates", args=[s["vacancy"].pk])
    label = services.candidate_label(s["vacancy"].pk, s["client"].pk)
    key = new_submission_key()
    first = client.post(url, {"kandidaat": label, "submission_key": key})
    second = client.post(url, {"kandidaat": label, "submission_key": key})
    assert first.status_code == second.status_code == 302
    entry = Voordracht.objects.get()
    assert entry.status == VoordrachtStatus.VOORGESTELD and entry.proposed_by == s["am"]
    assert events("voordracht_proposed").count() == 1
    # A new submit for the same pair is refused in Dutch.
    with pytest.raises(ValidationError, match="al voorgedragen"):
        services.voordracht_from_vacancy(
            user=s["am"], vacancy=s["vacancy"], client=s["client"], submission_key=new_submission_key()
        )
    # Before consent the accountmanager has no relationship and cannot present.
    assert relationship(s["am"], s["client"]) == ""
    assert s["client"] not in client_scope(s["am"])
    with pytest.raises((ValidationError, PermissionDenied)):
        services.voordracht_present(user=s["am"], voordracht=entry)
    assert client.get(reverse("employers:voordracht_profile", args=[entry.pk])).status_code == 404
    # The consultant sees it on the worklist.
    consultant = s["client"].consultant
    items = [
        i for i in worklist_for(consultant=consultant, today=timezone.localdate()) if i.kind == "voordracht"
    ]
    assert len(items) == 1 and "Schoon BV" in items[0].detail
    # The client consents in the own portal.
    client.force_login(s["inwoner"])
    portal = client.get(reverse("employers:my_voordrachten")).content.decode()
    assert "Mag de gemeente u voorstellen" in portal and "Schoonmaker" in portal
    done = client.post(reverse("employers:my_voordrachten"), {"voordracht": entry.pk, "antwoord": "ja"})
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.status == VoordrachtStatus.TOESTEMMING and entry.consent_on == timezone.localdate()
    assert entry.consent_by == s["inwoner"]
    assert events("voordracht_consent_given").get().client_id == s["client"].pk
    # A changed mind later is refused in Dutch (through the consultant).
    with pytest.raises(ValidationError, match="al beslist"):
        services.voordracht_consent(user=s["inwoner"], voordracht=entry, given=False)
    # From consent on, the accountmanager works with this client for this employer.
    assert relationship(s["am"], s["client"]) == Relation.KANDIDAAT
    assert relationship(s["other_am"], s["client"]) == ""
    # The anonymised profile for the employer opens only now, without name or number.
    client.force_login(s["am"])
    profile = client.get(reverse("employers:voordracht_profile", args=[entry.pk]))
    html = profile.content.decode()
    assert profile.status_code == 200 and "Schoonmakers in hotels, kantoren e.d. (9112)" in html
    assert "Yilmaz" not in html and "Fatma" not in html and s["client"].pk not in html
    assert "24 uur per week" in html
    assert events("client_section_read").filter(user=s["am"], section="werkprofiel").exists()
    entry = services.voordracht_present(user=s["am"], voordracht=entry)
    assert entry.status == VoordrachtStatus.BIJ_WERKGEVER and entry.presented_on == timezone.localdate()
    with pytest.raises(ValidationError, match="reden"):
        services.voordracht_outcome(user=s["am"], voordracht=entry, hired=False, reason="nee")
    entry = services.voordracht_outcome(
        user=s["am"], voordracht=entry, hired=False, reason="Koos een kandidaat met rijbewijs."
    )
    assert entry.status == VoordrachtStatus.AFGEWEZEN and entry.history.count() >= 4
    assert "afgewezen" in describe(events("voordracht_outcome").get())


def test_a_refusal_leaves_the_accountmanager_without_access(s):
    entry = services.voordracht_from_vacancy(user=s["am"], vacancy=s["vacancy"], client=s["client"])
    services.voordracht_consent(user=s["inwoner"], voordracht=entry, given=False)
    entry.refresh_from_db()
    assert entry.status == VoordrachtStatus.GEWEIGERD
    assert relationship(s["am"], s["client"]) == ""
    with pytest.raises((ValidationError, PermissionDenied)):
        services.voordracht_present(user=s["am"], voordracht=entry)
    # Another inwoner cannot answer for this client.
    someone = UserFactory(username="ander", role=Role.INWONER, client=ClientOnBenefitFactory())
    with pytest.raises(PermissionDenied):
        services.voordracht_consent(user=someone, voordracht=entry, given=True)


def test_the_consultant_sees_vacancies_with_reasons_and_proposes(s, client):
    client.force_login(s["consultant"])
    url = reverse("employers:client_vacancies", args=[s["client"].pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Schoonmaker" in html and "Schoon BV" in html
    assert "Beroep: Schoonmakers in hotels, kantoren e.d. (9112) is een gewenst beroep" in html
    assert "Afstand:" in html and "Taal" in html
    assert events("client_section_read").filter(user=s["consultant"], section="werkprofiel").exists()
    key = new_submission_key()
    assert client.post(url, {"vacature": s["vacancy"].pk, "submission_key": key}).status_code == 302
    assert client.post(url, {"vacature": s["vacancy"].pk, "submission_key": key}).status_code == 302
    assert Voordracht.objects.get().proposed_by == s["consultant"]
    # A colleague outside the caseload may not propose.
    colleague = ConsultantUserFactory().user
    with pytest.raises(PermissionDenied):
        services.voordracht_for_client(user=colleague, vacancy=s["vacancy"], client=s["client"])
    # The accountmanager may not open this page.
    client.force_login(s["am"])
    assert client.get(url).status_code in (403, 404)


def test_an_imported_vacancy_keeps_the_employers_postcode_and_status_open(s):
    vacancy = VacancyFactory(employer=s["employer"], open_date=date(2024, 1, 1))
    assert vacancy.status == "open" and vacancy.location_postcode4 == "2271"


def test_a_consultants_proposal_is_a_signal_for_the_owning_accountmanager_only(s, client):
    entry = services.voordracht_for_client(user=s["consultant"], vacancy=s["vacancy"], client=s["client"])
    own = services.voordracht_from_vacancy(
        user=s["am"],
        vacancy=VacancyFactory(employer=s["employer"], open_date=timezone.localdate()),
        client=s["client"],
    )
    assert selectors.consultant_proposals_for(s["am"]) == [entry]
    assert selectors.consultant_proposals_for(s["other_am"]) == []
    client.force_login(s["am"])
    html = client.get(reverse("employers:list")).content.decode()
    label = services.candidate_label(s["vacancy"].pk, s["client"].pk)
    assert "Voordrachten van consulenten (1)" in html and label in html
    assert "Yilmaz" not in html and services.candidate_label(own.vacancy_id, s["client"].pk) not in html
    assert events("client_listed").filter(user=s["am"], client_id=s["client"].pk).exists()
    # The other accountmanager has no such signal.
    client.force_login(s["other_am"])
    assert "Voordrachten van consulenten" not in client.get(reverse("employers:list")).content.decode()
    # Once consented and presented to the employer, the signal has been acted on.
    services.voordracht_consent(user=s["inwoner"], voordracht=entry, given=True)
    assert selectors.consultant_proposals_for(s["am"]) == [Voordracht.objects.get(pk=entry.pk)]
    services.voordracht_present(user=s["am"], voordracht=Voordracht.objects.get(pk=entry.pk))
    assert selectors.consultant_proposals_for(s["am"]) == []


@pytest.mark.parametrize("presented", [False, True])
def test_the_client_withdraws_consent_in_the_portal_and_the_accountmanager_loses_access(s, client, presented):
    entry = services.voordracht_from_vacancy(user=s["am"], vacancy=s["vacancy"], client=s["client"])
    entry = services.voordracht_consent(user=s["inwoner"], voordracht=entry, given=True)
    if presented:
        entry = services.voordracht_present(user=s["am"], voordracht=entry)
    assert relationship(s["am"], s["client"]) == Relation.KANDIDAAT
    client.force_login(s["inwoner"])
    portal = client.get(reverse("employers:my_voordrachten")).content.decode()
    assert "Toestemming intrekken" in portal
    url = reverse("employers:my_voordrachten")
    for _ in range(2):  # a second click writes nothing
        assert client.post(url, {"voordracht": entry.pk, "antwoord": "intrekken"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == VoordrachtStatus.INGETROKKEN and entry.consent_by == s["inwoner"]
    assert events("voordracht_consent_withdrawn").count() == 1
    assert "ingetrokken" in describe(events("voordracht_consent_withdrawn").get())
    # The history keeps the consent that was given before.
    assert VoordrachtStatus.TOESTEMMING in set(entry.history.values_list("status", flat=True))
    assert relationship(s["am"], s["client"]) == ""
    with pytest.raises((ValidationError, PermissionDenied)):
        services.voordracht_present(user=s["am"], voordracht=entry)
    client.force_login(s["am"])
    assert client.get(reverse("employers:voordracht_profile", args=[entry.pk])).status_code == 404


def test_consent_cannot_be_withdrawn_before_it_is_given_or_after_the_outcome(s):
    entry = services.voordracht_from_vacancy(user=s["am"], vacancy=s["vacancy"], client=s["client"])
    with pytest.raises(ValidationError, match="zolang u toestemming heeft gegeven"):
        services.voordracht_consent_withdraw(user=s["inwoner"], voordracht=entry)
    entry = services.voordracht_consent(user=s["inwoner"], voordracht=entry, given=True)
    entry = services.voordracht_present(user=s["am"], voordracht=entry)
    entry = services.voordracht_outcome(user=s["am"], voordracht=entry, hired=True)
    with pytest.raises(ValidationError, match="nog geen uitkomst"):
        services.voordracht_consent_withdraw(user=s["inwoner"], voordracht=entry)
    entry.refresh_from_db()
    assert entry.status == VoordrachtStatus.AANGENOMEN
    # Nobody but the client withdraws it.
    with pytest.raises(PermissionDenied):
        services.voordracht_consent_withdraw(user=s["consultant"], voordracht=entry)
