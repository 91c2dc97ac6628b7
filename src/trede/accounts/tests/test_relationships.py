"""Relationships as narrow as the task (issue 7, point 2), and one definition behind both
`client_scope` and `relationship`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.accounts import access
from trede.accounts import permissions as perms
from trede.accounts.models import Role, User, Waarneming
from trede.audit.models import Action, AuditEvent
from trede.casework.caseload.models import Consultant
from trede.casework.caseload.services import caseload_transfer
from trede.casework.intake.services import application_register
from trede.clients.models import Client
from trede.clients.selectors import client_search
from trede.employers.models import Employer, Placement
from trede.tests_e2e.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _new_applicant(world, by: str = "bob", name: str = "Nadia") -> Client:
    """A new applicant registered through intake (no benefit yet) by `by`."""
    application = application_register(
        user=world.user(by),
        kind="melding",
        received_on=timezone.localdate(),
        client_data={"given_name": name, "family_name": "Nieuwkomer", "birth_date": date(1995, 5, 5)},
    )
    return application.client


def _assert_scope_agrees(world) -> None:
    clients = list(Client.objects.select_related("consultant"))
    for key, user in world.users.items():
        scope = set(access.client_scope(user).values_list("pk", flat=True))
        related = {c.pk for c in clients if access.relationship(user, c) != ""}
        assert scope == related, key


def test_scope_and_relationship_agree_for_every_actor(world):
    _new_applicant(world)
    _assert_scope_agrees(world)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    team=st.sampled_from(["Noord", "Zuid", ""]),
    consultant=st.sampled_from(["sanne", "bob", "wim", None]),
    open_application=st.booleans(),
    waarneming_for=st.sampled_from([None, "sanne", "inkomen", "tl_zuid"]),
    placed_at_am=st.booleans(),
)
def test_scope_and_relationship_agree_whatever_the_client(
    world, team, consultant, open_application, waarneming_for, placed_at_am
):
    """A client in any combination of facts: every actor's scope holds it exactly when the
    actor has a relationship with it."""
    inkomen = world.user("inkomen")
    inkomen.team = team
    inkomen.save(update_fields=["team"])
    c = Client.objects.create(
        client_id=f"KH{Client.objects.count():04d}",
        birth_date=date(1980, 1, 1),
        consultant=world.consultants[consultant] if consultant else None,
    )
    if open_application:
        from trede.casework.intake.models import Application

        Application.objects.create(client=c, kind="melding", received_on=date(2025, 1, 1), status="nieuw")
    if waarneming_for:
        Waarneming.objects.create(
            user=world.user(waarneming_for),
            client=c,
            reason="Vakantie",
            valid_until=timezone.now() + timedelta(1),
        )
    if placed_at_am:
        Placement.objects.create(
            placement_id=f"PH{c.pk}",
            client=c,
            employer=Employer.objects.get(pk="E1"),
            start_date=date(2025, 1, 1),
        )
    _assert_scope_agrees(world)


def test_inkomen_sees_its_team_not_every_client_with_a_benefit(world):
    inkomen = world.user("inkomen")
    assert set(access.client_scope(inkomen).values_list("pk", flat=True)) == {"KA0001"}
    # B has a benefit but belongs to team Zuid: only through a waarneming.
    b = world.clients["B"]
    assert access.relationship(inkomen, b) == ""
    assert perms.role_may(inkomen, perms.WAARNEMING_REQUEST)


def test_inkomen_team_from_its_consultant_record(world):
    inkomen = world.user("inkomen")
    inkomen.team = ""
    inkomen.save(update_fields=["team"])
    Consultant.objects.create(consultant_id="M-INK", name="Mohamed", team="Zuid", user=inkomen)
    inkomen = User.objects.get(pk=inkomen.pk)
    assert set(access.client_scope(inkomen).values_list("pk", flat=True)) == {"KB0002"}


def test_inkomen_gets_the_waarneming_route(world, client):
    client.force_login(world.user("inkomen"))
    refused = client.get(reverse("clients:file", args=["KB0002"]))
    assert refused.status_code == 403 and "Waarneming aanvragen" in refused.content.decode()
    response = client.post(
        reverse("clients:waarneming", args=["KB0002"]), {"reden": "Collega Zuid ziek", "dagen": 7}
    )
    assert response.status_code == 302
    assert client.get(reverse("clients:section", args=["KB0002", "uitkering"])).status_code == 200
    assert access.relationship(world.user("inkomen"), world.clients["B"]) == perms.Relation.WAARNEMING


def test_accountmanager_sees_only_candidates_at_own_employers(world):
    am = world.user("am")
    assert set(access.client_scope(am).values_list("pk", flat=True)) == {"KA0001"}
    # Another accountmanager, and a client with a work profile but no placement: not theirs.
    other = User.objects.create_user("am2", role=Role.ACCOUNTMANAGER)
    assert not access.client_scope(other).exists()
    from trede.clients.models import ClientProfile

    ClientProfile.objects.create(client=world.clients["B"], desired_occupations=["9333"])
    assert access.relationship(am, world.clients["B"]) == ""
    Employer.objects.filter(pk="E1").update(account_manager=other)
    assert access.relationship(am, world.clients["A"]) == ""
    assert access.relationship(other, world.clients["A"]) == perms.Relation.KANDIDAAT


@pytest.mark.parametrize("searcher", ["wim", "tl_zuid"])
def test_team_finds_a_new_applicant_registered_by_a_colleague(world, searcher):
    applicant = _new_applicant(world, by="bob")
    assert not applicant.benefits.exists()
    assert [c.pk for c in client_search(user=world.user(searcher), query="Nadia")] == [applicant.pk]
    # Not another team's consultant.
    assert client_search(user=world.user("sanne"), query="Nadia") == []


def test_inkomen_finds_a_new_applicant_of_its_team(world):
    applicant = _new_applicant(world, by="sanne")  # team Noord, like inkomen
    assert [c.pk for c in client_search(user=world.user("inkomen"), query="Nadia")] == [applicant.pk]
    assert client_search(user=world.user("inkomen"), query="Bakker") == []  # B: team Zuid


def test_the_team_share_ends_when_the_route_is_decided(world):
    applicant = _new_applicant(world, by="bob")
    wim = world.user("wim")
    assert access.relationship(wim, applicant) == perms.Relation.TEAM_AANMELDING
    applicant.applications.update(status="afgerond")
    assert access.relationship(wim, applicant) == ""
    # A teammate on a new applicant may record a contact, not write the plan or the intake.
    applicant.applications.update(status="nieuw")
    assert perms.allowed(wim, perms.CONTACT_WRITE, applicant)
    assert not perms.allowed(wim, perms.PLAN_WRITE, applicant)
    assert not perms.allowed(wim, perms.INTAKE_WRITE, applicant)


def test_refused_cross_team_handover_keeps_its_denied_row(world):
    """The DENIED row of a refused hand-over is written before the transaction, so it is
    not rolled back with the refused change (on the old code it was)."""
    b = world.clients["B"]
    with pytest.raises(PermissionDenied):
        caseload_transfer(
            user=world.user("tl_noord"), clients=[b], to_consultant=world.consultants["sanne"], reason="Ruil"
        )
    b.refresh_from_db()
    assert b.consultant == world.consultants["bob"]
    assert AuditEvent.objects.filter(action=Action.DENIED, purpose="herverdeling caseload").count() == 1


def test_access_overview_page_and_csv(world, client):
    client.force_login(world.user("privacy"))
    page = client.get(reverse("accounts:access_overview"))
    assert page.status_code == 200
    html = page.content.decode()
    for perm in perms.PERMISSIONS.values():
        assert escape(perm.label) in html and perm.name in html
    assert "kwaliteitsmedewerker / teamleider" in html and "Toegang</a>" in html
    csv = client.get(reverse("accounts:access_overview_csv")).content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert len(lines) == 1 + len(perms.PERMISSIONS)
    assert lines[0].startswith("Recht;Omschrijving;Relatie met de klant;Wijzigt gegevens;consulent werk")
    search = next(line for line in lines if line.startswith("klanten.zoeken;"))
    # consulent werk, inkomen, accountmanager, aanbieder, teamleider, contractmanager, beleid, privacy,
    # beheerder, inwoner
    assert search.split(";")[4:] == ["ja", "ja", "ja", "ja", "ja", "nee", "nee", "ja", "nee", "nee"]
    correct = next(line for line in lines if line.startswith("contact.corrigeren;"))
    assert "; alleen wie het vastlegde" in correct
    assert perms.CONTACT_WITHDRAW.author_rule in html
    client.force_login(world.user("sanne"))
    assert client.get(reverse("accounts:access_overview")).status_code == 403
