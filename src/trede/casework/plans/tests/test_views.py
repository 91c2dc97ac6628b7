"""Pages of the plan van aanpak, "Mijn plan", the worklist and contact moments: who sees what."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from trede.accounts.models import Role
from trede.audit.models import Action, AuditEvent
from trede.casework.contacts.models import Contact
from trede.casework.contacts.services import contact_register
from trede.casework.plans.models import Plan
from trede.casework.plans.services import plan_agree_consultant, plan_create
from trede.casework.tests.factories_plans import ClientOnBenefitFactory, ConsultantUserFactory, UserFactory
from trede.clients.tests.factories import ClientProfileFactory
from trede.portal.navigation import nav_items_for

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=30)
ACTIONS = [{"description": "Sollicitatietraining volgen", "owner": "klant", "deadline": SOON}]


@pytest.fixture
def consultant():
    return ConsultantUserFactory(team="Noord")


@pytest.fixture
def own_client(consultant):
    return ClientOnBenefitFactory(consultant=consultant, birth_date=date(2001, 2, 3), given_name="Kim")


@pytest.fixture
def resident(own_client):
    return UserFactory(role=Role.INWONER, client=own_client)


def _plan(consultant, client, goals="Werk in de techniek"):
    return plan_create(user=consultant.user, client=client, goals=goals, actions=ACTIONS)


# -- plan pages ------------------------------------------------------------------------------


def test_consultant_draws_up_and_agrees_through_the_pages(client, consultant, own_client):
    client.force_login(consultant.user)
    new_url = reverse("casework:plan_new", kwargs={"client_id": own_client.pk})
    assert client.get(new_url).status_code == 200
    data = {
        "goals": "Binnen een jaar werk als monteur",
        "afspraak-TOTAL_FORMS": "3",
        "afspraak-INITIAL_FORMS": "0",
        "afspraak-0-description": "Rijbewijs halen",
        "afspraak-0-owner": "klant",
        "afspraak-0-deadline": (SOON + timedelta(days=60)).isoformat(),
        "afspraak-1-description": "Werkgevers benaderen",
        "afspraak-1-owner": "consulent",
        "afspraak-1-deadline": SOON.isoformat(),
    }
    assert client.post(new_url, data).status_code == 302
    plan = Plan.objects.get(client=own_client)
    assert plan.version == 1 and plan.actions.count() == 2

    incomplete = dict(data, **{"afspraak-2-description": "Alleen een beschrijving"})
    response = client.post(new_url, incomplete)
    assert response.status_code == 200 and "Kies wie de afspraak uitvoert." in response.content.decode()
    assert Plan.objects.filter(client=own_client).count() == 1

    agree = reverse("casework:plan_agree", kwargs={"plan_id": plan.pk})
    detail = reverse("casework:plan_detail", kwargs={"client_id": own_client.pk})
    for who in ("consulent", "klant"):
        token = client.get(detail).context["concept"].edit_token
        assert client.post(agree, {"wie": who, "edit_token": token}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "ondertekend" and plan.client_agreed_via == "in_gesprek"

    page = client.get(reverse("casework:plan_detail", kwargs={"client_id": own_client.pk}))
    assert page.status_code == 200 and "Rijbewijs halen" in page.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.READ, client_id=own_client.pk, section="plan", user=consultant.user
    ).exists()


def test_teamleider_opens_a_team_members_plan(client, consultant, own_client):
    _plan(consultant, own_client)
    client.force_login(UserFactory(role=Role.TEAMLEIDER, team="Noord"))
    assert client.get(reverse("casework:plan_detail", kwargs={"client_id": own_client.pk})).status_code == 200


def test_consultant_of_another_caseload_gets_the_waarneming_form(client, own_client):
    """As on the client file: 403 with the way in (a waarneming), whether or not the client exists."""
    client.force_login(ConsultantUserFactory().user)
    for name in ("casework:plan_detail", "casework:plan_new"):
        for client_id in (own_client.pk, "BESTAAT-NIET"):
            response = client.get(reverse(name, kwargs={"client_id": client_id}))
            assert response.status_code == 403 and "Waarneming aanvragen" in response.content.decode()


def test_accountmanager_cannot_see_plans(client, consultant, own_client):
    ClientProfileFactory(client=own_client)  # a candidate the accountmanager may match
    plan = _plan(consultant, own_client)
    client.force_login(UserFactory(role=Role.ACCOUNTMANAGER))
    assert client.get(reverse("casework:plan_detail", kwargs={"client_id": own_client.pk})).status_code == 403
    assert (
        client.post(
            reverse("casework:plan_agree", kwargs={"plan_id": plan.pk}), {"wie": "consulent"}
        ).status_code
        == 403
    )
    assert client.get(reverse("casework:my_plan")).status_code == 403
    assert AuditEvent.objects.filter(action=Action.DENIED, client_id=own_client.pk, section="plan").exists()
    plan.refresh_from_db()
    assert plan.consultant_agreed_at is None


# -- Mijn plan ------------------------------------------------------------------------------


def test_resident_sees_own_plan_and_agrees_online(client, consultant, own_client, resident):
    plan = _plan(consultant, own_client)
    plan_agree_consultant(user=consultant.user, plan=plan)
    client.force_login(resident)
    page = client.get(reverse("casework:my_plan"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Werk in de techniek" in html and "Sollicitatietraining volgen" in html
    assert "Ik ga akkoord met dit plan" in html
    token = page.context["concept"].edit_token
    agree = reverse("casework:my_plan_agree", kwargs={"plan_id": plan.pk})
    assert client.post(agree, {"edit_token": token}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "ondertekend" and plan.client_agreed_via == "online"
    assert "Ik ga akkoord met dit plan" not in client.get(reverse("casework:my_plan")).content.decode()


def test_resident_gets_404_or_403_for_anything_else(client, consultant, own_client, resident):
    other = ClientOnBenefitFactory(consultant=consultant)
    others_plan = _plan(consultant, other, goals="Geheim doel van een ander")
    own_plan = _plan(consultant, own_client)
    client.force_login(resident)
    assert (
        client.post(reverse("casework:my_plan_agree", kwargs={"plan_id": others_plan.pk})).status_code == 404
    )
    others_plan.refresh_from_db()
    assert others_plan.client_agreed_at is None
    assert "Geheim doel" not in client.get(reverse("casework:my_plan")).content.decode()
    # The consultant's screens are not for residents, not even for their own file.
    for client_id in (other.pk, own_client.pk):
        assert client.get(reverse("casework:plan_detail", kwargs={"client_id": client_id})).status_code == 403
        assert client.get(reverse("casework:contact_new", kwargs={"client_id": client_id})).status_code == 403
    assert (
        client.post(
            reverse("casework:plan_agree", kwargs={"plan_id": own_plan.pk}), {"wie": "klant"}
        ).status_code
        == 403
    )
    assert client.get(reverse("casework:worklist")).status_code == 403


def test_resident_without_a_plan_sees_an_explanation(client, resident):
    client.force_login(resident)
    assert "nog geen plan van aanpak" in client.get(reverse("casework:my_plan")).content.decode()


# -- worklist and contact moments ------------------------------------------------------------


@freeze_time("2024-06-15 10:00:00")
def test_worklist_page_groups_items_and_links_to_actions(client, consultant, own_client):
    stranger = ClientOnBenefitFactory(consultant=ConsultantUserFactory(), family_name="Onbekend")
    client.force_login(consultant.user)
    page = client.get(reverse("casework:worklist"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Contact te laat" in html and "Plan van aanpak ontbreekt" in html
    assert reverse("casework:contact_new", kwargs={"client_id": own_client.pk}) in html
    assert reverse("casework:plan_new", kwargs={"client_id": own_client.pk}) in html
    assert stranger.pk not in html
    shown = AuditEvent.objects.filter(purpose="werklijst", object_id=consultant.pk)
    assert shown.filter(event="list_viewed").count() == 1
    # Each client on the list has the row in their own log; the stranger does not.
    assert shown.filter(event="client_listed", client_id=own_client.pk).exists()
    assert not AuditEvent.objects.filter(client_id=stranger.pk).exists()


def test_teamleider_picks_a_consultant_of_the_team_only(client, consultant, own_client):
    other_team = ConsultantUserFactory(team="Zuid")
    client.force_login(UserFactory(role=Role.TEAMLEIDER, team="Noord"))
    url = reverse("casework:worklist")
    assert client.get(url).status_code == 200
    assert own_client.pk in client.get(url, {"consulent": consultant.pk}).content.decode()
    assert client.get(url, {"consulent": other_team.pk}).status_code == 403


@pytest.mark.parametrize("role", [Role.ACCOUNTMANAGER, Role.CONSULENT_INKOMEN, Role.BELEID, Role.BEHEERDER])
def test_worklist_is_not_for_other_roles(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("casework:worklist")).status_code == 403


@freeze_time("2024-06-15 10:00:00")
def test_contact_register_numbers_and_audits(client, consultant, own_client):
    client.force_login(consultant.user)
    url = reverse("casework:contact_new", kwargs={"client_id": own_client.pk})
    assert client.get(url).status_code == 200
    future = client.post(url, {"date": "2024-06-16", "kind": "gesprek", "outcome": "gehouden"})
    assert "Een contactmoment kan niet in de toekomst liggen." in future.content.decode()
    response = client.post(
        url, {"date": "2024-06-14", "kind": "telefonisch", "outcome": "gehouden", "note": "Goed"}
    )
    assert response.status_code == 302
    second = contact_register(
        user=consultant.user,
        client=own_client,
        date=date(2024, 6, 15),
        kind="gesprek",
        outcome="niet_verschenen",
        note="Niet verschenen, opnieuw uitgenodigd",
    )
    assert list(
        Contact.objects.order_by("contact_id").values_list("contact_id", "kind", "consultant_id")
    ) == [
        ("TC00000001", "telefonisch", consultant.pk),
        ("TC00000002", "gesprek", consultant.pk),
    ]
    assert second.created_by == consultant.user
    assert (
        AuditEvent.objects.filter(
            action=Action.CREATE, object_type="contact", client_id=own_client.pk
        ).count()
        == 2
    )


@freeze_time("2024-06-15 10:00:00")
def test_contact_without_verslag_or_implausible_is_refused(client, consultant, own_client):
    """Contacts without a verslag, with a 20,000-character one or dated 1850 were stored
    silently; now refused with a Dutch message, in the form and in the service."""
    client.force_login(consultant.user)
    url = reverse("casework:contact_new", kwargs={"client_id": own_client.pk})
    base = {"date": "2024-06-14", "kind": "telefonisch", "outcome": "gehouden"}
    cases = [
        (base | {"note": "   "}, "Schrijf een verslag"),
        (base | {"note": "x" * 20_000}, "Het verslag is te lang"),
        (base | {"note": "Goed", "date": "1850-01-01"}, "niet voor 1900"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code < 500 and message in response.content.decode(), message
    for note, day in (("", date(2024, 6, 14)), ("x" * 20_000, date(2024, 6, 14)), ("Goed", date(1850, 1, 1))):
        with pytest.raises(ValidationError):
            contact_register(user=consultant.user, client=own_client, date=day, kind="gesprek", note=note)
    assert not Contact.objects.exists()


def test_navigation_items_per_role(consultant, resident):
    def labels(user):
        return {item["label"] for item in nav_items_for(user)}

    assert {"Werklijst"} <= labels(consultant.user)
    assert "Caseload en verdeling" not in labels(consultant.user)
    assert "Mijn plan" in labels(resident) and "Werklijst" not in labels(resident)
    beheerder = UserFactory(role=Role.BEHEERDER)
    assert {"Beleidsinstellingen", "Caseload en verdeling"} <= labels(beheerder)
    assert {"Werklijst", "Caseload en verdeling"} <= labels(UserFactory(role=Role.TEAMLEIDER, team="Noord"))
