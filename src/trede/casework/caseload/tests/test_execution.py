"""Uitvoering: per consultant and team, the counts of the worklists' own rules; the
teamleider sees their team per consultant, beleid team totals with small counts hidden."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.casework.caseload.selectors import execution_figures
from trede.casework.contacts.models import Contact
from trede.casework.contacts.selectors import worklist_for
from trede.casework.contacts.tests.test_worklist import LV, TODAY, settled_client
from trede.casework.tests.factories_plans import ConsultantUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    """Noord: Anna with 6 settled clients, 2 of them with their contact late; Bram with 5
    settled clients. Zuid: Cas with 7 settled clients, 1 late."""
    anna = ConsultantUserFactory(name="Anna", team="Noord")
    bram = ConsultantUserFactory(name="Bram", team="Noord")
    cas = ConsultantUserFactory(name="Cas", team="Zuid")
    late = []
    for consultant, n, n_late in ((anna, 6, 2), (bram, 5, 0), (cas, 7, 1)):
        clients = [settled_client(consultant) for _ in range(n)]
        late += clients[:n_late]
    Contact.objects.filter(client__in=late).update(date=date(2023, 1, 1))
    return anna, bram, cas


def test_the_counts_are_the_worklists(teams):
    anna, bram, cas = teams
    [noord] = execution_figures(today=TODAY, teams=["Noord"], config=LV)
    by_name = {c.name: c for c in noord.consultants}
    assert (by_name["Anna"].caseload, by_name["Anna"].contact_overdue, by_name["Anna"].contact_on_time) == (
        6,
        2,
        4,
    )
    assert by_name["Bram"].contact_overdue == 0 and by_name["Bram"].contact_on_time_share == 1.0
    assert (noord.total.caseload, noord.total.contact_overdue) == (11, 2)
    for consultant in (anna, bram):
        late = {
            i.client_id
            for i in worklist_for(consultant=consultant, today=TODAY, config=LV)
            if i.kind == "contact_overdue"
        }
        assert by_name[consultant.name].contact_overdue == len(late)
    assert {t.team for t in execution_figures(today=TODAY, teams=None, config=LV)} == {"Noord", "Zuid"}


@freeze_time(TODAY)
def test_the_teamleider_sees_the_own_team_per_consultant(client, teams):
    client.force_login(UserFactory(role=Role.TEAMLEIDER, team="Noord"))
    response = client.get(reverse("casework:execution"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<th scope="row">Anna</th>' in page and '<th scope="row">Bram</th>' in page
    assert ">Cas<" not in page  # another team
    anna = page[page.index('<th scope="row">Anna</th>') :]
    anna = anna[: anna.index("</tr>")]
    cells = [c.split("<")[0] for c in anna.split('<td class="num">')[1:]]
    assert cells[:4] == ["6", "4", "66,7%", "2"]


@freeze_time(TODAY)
def test_beleid_sees_team_totals_only_with_small_counts_hidden(client, teams):
    client.force_login(UserFactory(role=Role.BELEID))
    page = client.get(reverse("casework:execution")).content.decode()
    assert "Anna" not in page and "Bram" not in page
    zuid = page[page.index('<th scope="row">Team Zuid</th>') :]
    zuid = zuid[: zuid.index("</tr>")]
    cells = [c.split("<")[0] for c in zuid.split('<td class="num">')[1:]]
    # 7 clients, 1 late: the 1 and the 6 on time are hidden together, and the share with them
    assert cells[:4] == ["7", "&lt;5", "–", "&lt;5"]


@freeze_time(TODAY)
def test_the_export_is_audited(client, teams):
    user = UserFactory(role=Role.TEAMLEIDER, team="Noord")
    client.force_login(user)
    response = client.get(reverse("casework:execution"), {"formaat": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["naam", "team", "Caseload (klanten met uitkering)", "Contact op tijd"]
    assert [r[0] for r in rows[1:]] == ["Anna", "Bram", "Team Noord"]
    assert AuditEvent.objects.filter(event="export_made", user=user).count() == 1


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.AANBIEDER, Role.INWONER, Role.CONSULENT_INKOMEN])
def test_others_may_not_see_it(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("casework:execution")).status_code == 403
