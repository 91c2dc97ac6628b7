"""Ladder progression: who had development potential on 1 January, stayed on the stock
until the next, and stood at least a step higher then; on the dashboard against the target."""

from datetime import date

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import DiagnosisFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.monitor.selectors import ladder_progression

pytestmark = pytest.mark.django_db
GROUPS = ("werken_en_ervaren", "leren_en_ontwikkelen")


def _client(cid, *, steps, group="werken_en_ervaren", end=None):
    """`steps`: [(date, ladder step)], each diagnosis in `group`."""
    client = ClientFactory(client_id=cid)
    BenefitFactory(client=client, start_date=date(2020, 1, 1), end_date=end, end_reason="werk" if end else "")
    for i, (day, step) in enumerate(steps):
        DiagnosisFactory(
            diagnosis_id=f"{cid}-{i}", client=client, date=day, ladder_step=step, client_group=group
        )
    return client


@pytest.fixture
def people():
    _client("UP", steps=[(date(2021, 6, 1), 2), (date(2022, 9, 1), 3)])  # 2 → 3: climbed
    _client("TWO", steps=[(date(2021, 6, 1), 1), (date(2022, 3, 1), 3)])  # climbed two
    _client("SAME", steps=[(date(2021, 6, 1), 4), (date(2022, 3, 1), 4)])  # stayed
    _client("DOWN", steps=[(date(2021, 6, 1), 3), (date(2022, 3, 1), 2)])  # fell
    _client(
        "LEFT", steps=[(date(2021, 6, 1), 2), (date(2022, 3, 1), 3)], end=date(2022, 6, 1)
    )  # left: not counted
    _client("ZORG", steps=[(date(2021, 6, 1), 2), (date(2022, 3, 1), 3)], group="zorg")  # no potential
    _client("TOP", steps=[(date(2021, 6, 1), 6), (date(2022, 3, 1), 6)])  # step 6 cannot climb
    _client("LATE", steps=[(date(2022, 2, 1), 2), (date(2022, 9, 1), 4)])  # no step on 1 January


def test_who_counts_and_who_climbed(people):
    [year] = ladder_progression(years=[2022], groups=GROUPS)
    assert year == {"year": 2022, "potential": 4, "climbed": 2}  # of UP, TWO, SAME, DOWN: UP and TWO


def test_the_dashboard_shows_it_against_the_target(client, people):
    client.force_login(UserFactory(role=Role.TEAMLEIDER, team=""))
    query = {
        "regelingen": "pw",
        "van": "2022-01",
        "tot": "2023-01",
        "periode": "year",
        "indeling": "by_age_band",
    }
    response = client.get(reverse("dashboard:index"), query)
    assert response.status_code == 200
    [row] = response.context["ladder_rows"]
    assert (row["potential"], row["climbed"], row["share_text"], row["target_text"], row["met"]) == (
        4,
        2,
        "50%",
        "60%",
        False,
    )
    response = client.get(reverse("dashboard:index"), query | {"tabel": "ladder", "formaat": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("jaar;klanten met ontwikkelpotentieel")
    assert lines[1].startswith("2022;4;2;")


def test_beleid_sees_the_small_counts_hidden(client, people):
    client.force_login(UserFactory(role=Role.BELEID))
    query = {
        "regelingen": "pw",
        "van": "2022-01",
        "tot": "2023-01",
        "periode": "year",
        "indeling": "by_age_band",
    }
    [row] = client.get(reverse("dashboard:index"), query).context["ladder_rows"]
    assert row["potential"] == "<5" and row["climbed"] == "<5" and row["share"] is None
