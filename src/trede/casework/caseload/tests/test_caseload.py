"""Caseload counts against the range, and hand-over (rebalancing) with its history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from trede.accounts.models import Role
from trede.audit.models import Action, AuditEvent
from trede.benefits.models import Benefit
from trede.casework.caseload.models import CaseloadTransfer
from trede.casework.caseload.selectors import caseload_overview
from trede.casework.caseload.services import caseload_transfer
from trede.casework.policy.presets import PRESETS
from trede.casework.tests.factories import ContactFactory
from trede.casework.tests.factories_plans import (
    ClientOnBenefitFactory,
    ConsultantUserFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 15)
CONFIG = {**PRESETS["leidschendam_voorburg"]["config"], "caseload": {"min": 3, "max": 4}}


@pytest.fixture
def team():
    anna = ConsultantUserFactory(name="Anna", team="Noord")
    bram = ConsultantUserFactory(name="Bram", team="Noord")
    return anna, bram


@pytest.fixture
def teamleider():
    return UserFactory(role=Role.TEAMLEIDER, team="Noord")


def test_overview_counts_clients_on_benefit_per_consultant_and_team(team):
    anna, bram = team
    for _ in range(5):
        ClientOnBenefitFactory(consultant=anna)
    ended = ClientOnBenefitFactory(consultant=anna)
    Benefit.objects.filter(client=ended).update(end_date=date(2024, 1, 1), end_reason="werk")
    ClientOnBenefitFactory(consultant=bram)
    zuid = ConsultantUserFactory(name="Cas", team="Zuid")
    for _ in range(3):
        ClientOnBenefitFactory(consultant=zuid)
    ClientOnBenefitFactory(consultant=None)

    overview = caseload_overview(today=TODAY, config=CONFIG)
    rows = {t.team: [(c.consultant.name, c.count, c.status) for c in t.consultants] for t in overview.teams}
    assert rows == {
        "Noord": [("Anna", 5, "te_hoog"), ("Bram", 1, "te_laag")],
        "Zuid": [("Cas", 3, "binnen_norm")],
    }
    noord = next(t for t in overview.teams if t.team == "Noord")
    assert (noord.total, noord.average, noord.status) == (6, 3.0, "binnen_norm")
    assert overview.unassigned == 1
    # The bars share one scale: the largest caseload or the norm plus a fifth.
    anna_load = noord.consultants[0]
    assert overview.scale == 5 and anna_load.bar_pct == 100 and overview.high_pct == 80

    only_noord = caseload_overview(today=TODAY, teams=["Noord"], config=CONFIG)
    assert [t.team for t in only_noord.teams] == ["Noord"] and only_noord.unassigned == 0


def test_a_team_without_clients_has_no_caseload_rather_than_one_under_the_norm(team):
    anna, _bram = team
    ClientOnBenefitFactory(consultant=anna)
    ConsultantUserFactory(name="Dirk", team="Team Inkomen")
    overview = caseload_overview(today=TODAY, config=CONFIG)
    inkomen = next(t for t in overview.teams if t.team == "Team Inkomen")
    assert (inkomen.status, inkomen.status_label) == ("geen_caseload", "geen caseload")
    assert [c.status_label for c in inkomen.consultants] == ["geen caseload"]
    # A consultant without clients in a team that has them is under the norm.
    noord = next(t for t in overview.teams if t.team == "Noord")
    assert [c.status for c in noord.consultants] == ["te_laag", "te_laag"]


def test_transfer_moves_clients_and_keeps_history(team, teamleider):
    anna, bram = team
    client = ClientOnBenefitFactory(consultant=anna)
    ContactFactory(client=client, consultant=anna)
    PlanFactory(client=client, version=1)
    before = client.history.count()

    [transfer] = caseload_transfer(
        user=teamleider, clients=[client], to_consultant=bram, reason="Caseload te hoog"
    )

    client.refresh_from_db()
    assert client.consultant == bram
    assert (transfer.from_consultant, transfer.to_consultant, transfer.reason, transfer.transferred_by) == (
        anna,
        bram,
        "Caseload te hoog",
        teamleider,
    )
    # simple-history keeps the earlier consultant, with the reason and who did it.
    latest, previous = client.history.order_by("-history_date", "-history_id")[:2]
    assert client.history.count() == before + 1
    assert (previous.consultant_id, latest.consultant_id) == (anna.pk, bram.pk)
    assert latest.history_change_reason == "Caseload te hoog" and latest.history_user == teamleider
    # The file goes along: contacts and plans stay with the client.
    assert client.contacts.count() == 1 and client.plans.count() == 1
    audit = AuditEvent.objects.get(object_type="caseload_transfer")
    assert (audit.client_id, audit.action, audit.event) == (client.pk, Action.UPDATE, "client_transferred")
    assert (audit.details["van"], audit.details["naar"]) == (anna.pk, bram.pk)
    from trede.audit.rendering import describe

    assert describe(audit).startswith(f"Klant overgedragen van consulent {anna.pk} naar {bram.pk}; reden: ")


@pytest.mark.parametrize("reason", ["", "   "])
def test_transfer_requires_a_reason(team, teamleider, reason):
    anna, bram = team
    client = ClientOnBenefitFactory(consultant=anna)
    with pytest.raises(ValidationError, match="reden"):
        caseload_transfer(user=teamleider, clients=[client], to_consultant=bram, reason=reason)
    client.refresh_from_db()
    assert client.consultant == anna and not CaseloadTransfer.objects.exists()


def test_teamleider_only_within_own_team_and_all_or_nothing(team, teamleider):
    anna, bram = team
    zuid = ConsultantUserFactory(team="Zuid")
    own = ClientOnBenefitFactory(consultant=anna)
    other_team = ClientOnBenefitFactory(consultant=zuid)
    with pytest.raises(PermissionDenied):
        caseload_transfer(user=teamleider, clients=[own, other_team], to_consultant=bram, reason="x")
    with pytest.raises(PermissionDenied):
        caseload_transfer(user=teamleider, clients=[own], to_consultant=zuid, reason="x")
    own.refresh_from_db()
    assert own.consultant == anna and not CaseloadTransfer.objects.exists()
    # The beheerder may move across teams.
    beheerder = UserFactory(role=Role.BEHEERDER)
    caseload_transfer(user=beheerder, clients=[other_team], to_consultant=bram, reason="Verhuisd naar Noord")
    other_team.refresh_from_db()
    assert other_team.consultant == bram


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.ACCOUNTMANAGER, Role.BELEID, Role.INWONER])
def test_other_roles_cannot_rebalance(team, role):
    anna, bram = team
    client = ClientOnBenefitFactory(consultant=anna)
    with pytest.raises(PermissionDenied):
        caseload_transfer(user=UserFactory(role=role), clients=[client], to_consultant=bram, reason="x")
    assert not CaseloadTransfer.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DENIED, purpose="herverdeling caseload").count() == 1


def test_transfer_to_the_same_consultant_is_refused(team, teamleider):
    anna, _bram = team
    client = ClientOnBenefitFactory(consultant=anna)
    with pytest.raises(ValidationError):
        caseload_transfer(user=teamleider, clients=[client], to_consultant=anna, reason="x")


# -- pages ------------------------------------------------------------------------------------


def test_consultant_cannot_open_or_post_the_rebalancing_page(client, team):
    anna, bram = team
    own = ClientOnBenefitFactory(consultant=anna)
    client.force_login(anna.user)
    url = reverse("casework:caseload_balance")
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"van": anna.pk, "clients": [own.pk], "to_consultant": bram.pk, "reason": "x"}
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.consultant == anna


@freeze_time("2024-06-15 10:00:00")
def test_teamleider_sees_bars_and_hands_over_with_a_reason(client, team, teamleider):
    anna, bram = team
    clients = [ClientOnBenefitFactory(consultant=anna, family_name=f"Klant{i}") for i in range(3)]
    client.force_login(teamleider)
    url = reverse("casework:caseload_balance")
    page = client.get(url, {"van": anna.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anna" in html and "Bram" in html and "Klant0" in html
    assert "70" in html and "90" in html  # the norm of the active preset

    # Without a reason nothing happens and the form says why.
    response = client.post(
        url, {"van": anna.pk, "clients": [clients[0].pk], "to_consultant": bram.pk, "reason": ""}
    )
    assert response.status_code == 200 and "Geef een reden voor de overdracht." in response.content.decode()
    assert not CaseloadTransfer.objects.exists()

    response = client.post(
        url,
        {
            "van": anna.pk,
            "clients": [clients[0].pk, clients[1].pk],
            "to_consultant": bram.pk,
            "reason": "Ziekte",
        },
    )
    assert response.status_code == 302
    assert CaseloadTransfer.objects.filter(to_consultant=bram, reason="Ziekte").count() == 2


def test_teamleider_cannot_pick_a_consultant_of_another_team(client, teamleider):
    zuid = ConsultantUserFactory(team="Zuid")
    client.force_login(teamleider)
    assert client.get(reverse("casework:caseload_balance"), {"van": zuid.pk}).status_code == 404
