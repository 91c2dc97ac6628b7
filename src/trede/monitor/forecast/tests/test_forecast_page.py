"""The forecast page and the scenario forms: who may, what it shows, edits and exports."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.monitor.forecast import services
from trede.monitor.forecast.selectors import stock_forecast
from trede.monitor.models import ForecastScenario

pytestmark = pytest.mark.django_db

QUERY = {"as_of": "2021-06-30", "months": "12", "scenario": "basis", "regulations": "pw"}


@pytest.fixture
def history():
    for i in range(40):
        start = date(2017, 1, 1) + timedelta(days=37 * i)
        end = start + timedelta(days=200 + 13 * i) if i % 3 else None
        BenefitFactory(
            client=ClientFactory(client_id=f"P-{i:03d}"),
            start_date=start,
            end_date=end,
            end_reason="werk" if end else "",
            regulation="pw",
        )


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.AANBIEDER, Role.INWONER, Role.CONTRACTMANAGER])
def test_others_may_not_see_it(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("forecast:index"), QUERY).status_code in (403, 404)
    assert client.get(reverse("forecast:scenario_new")).status_code in (403, 404)


def test_beleid_sees_the_forecast_of_the_command_with_chart_table_and_backtest(client, history):
    user = UserFactory(role=Role.BELEID)
    client.force_login(user)
    response = client.get(reverse("forecast:index"), QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    expected = stock_forecast(as_of=date(2021, 6, 30), months=12)
    assert "<svg" in page and 'class="band"' in page and "80 %-interval" in page
    assert 'id="tabel-prognose"' in page
    first = expected["months"][0]
    assert f'<td class="num">{first["stock"]}</td>' in page
    assert "Hoe goed voorspelt de methode?" in page
    assert 'href="/prognose/scenario/zwak_herstel/"' in page  # beleid edits scenarios


def test_a_scenario_is_drawn_beside_the_basis(client, history):
    client.force_login(UserFactory(role=Role.TEAMLEIDER))
    page = client.get(reverse("forecast:index"), QUERY | {"scenario": "tweede_golf"}).content.decode()
    assert "Verwacht (Tweede golf)" in page and "Verwacht (basis)" in page
    assert 'href="/prognose/scenario/' not in page  # the teamleider reads, does not edit


def test_the_table_downloads_as_csv_and_is_audited(client, history):
    user = UserFactory(role=Role.BELEID)
    client.force_login(user)
    response = client.get(reverse("forecast:index"), QUERY | {"formaat": "csv"})
    assert response.status_code == 200 and "prognose-2021-06-30-basis.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["maand", "verwacht", "laag (80 %)", "hoog (80 %)"]
    expected = stock_forecast(as_of=date(2021, 6, 30), months=12)
    assert [r[0] for r in rows[1:]] == [m["month"] for m in expected["months"]]
    assert [int(r[1]) for r in rows[1:]] == [m["stock"] for m in expected["months"]]
    assert AuditEvent.objects.filter(event="export_made", user=user).count() == 1


def test_the_basis_beside_a_scenario_is_the_basis_forecast_itself(client, history):
    client.force_login(UserFactory(role=Role.TEAMLEIDER))
    response = client.get(reverse("forecast:index"), QUERY | {"scenario": "tweede_golf", "formaat": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][4] == "verwacht in de basis"
    basis = stock_forecast(as_of=date(2021, 6, 30), months=12)
    wave = stock_forecast(as_of=date(2021, 6, 30), months=12, scenario="tweede_golf")
    assert [int(r[4]) for r in rows[1:]] == [m["stock"] for m in basis["months"]]
    assert [int(r[1]) for r in rows[1:]] == [m["stock"] for m in wave["months"]]
    assert [m["stock"] for m in basis["months"]] != [m["stock"] for m in wave["months"]]


def test_a_link_naming_only_the_scenario_shows_it_from_today(client, history):
    """Where saving a scenario leads: the defaults fill what the link leaves out."""
    client.force_login(UserFactory(role=Role.BELEID))
    response = client.get("/prognose/?scenario=zwak_herstel")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Verwacht bestand: Zwak herstel" in page
    assert page.count("<tr>") > 36  # 36 months ahead by default, and the scenarios
    assert "as_of=" in page and "formaat=csv" in page  # the download repeats the full query


def test_bad_input_is_a_dutch_message(client):
    client.force_login(UserFactory(role=Role.BELEID))
    response = client.get(reverse("forecast:index"), QUERY | {"months": "500"})
    assert response.status_code == 400 and "hoogstens 120" in response.content.decode()
    response = client.get(reverse("forecast:index"), {k: v for k, v in QUERY.items() if k != "regulations"})
    assert response.status_code == 400 and "Kies ten minste één regeling" in response.content.decode()


def test_small_stocks_are_hidden_for_beleid(client):
    BenefitFactory(
        client=ClientFactory(), start_date=date(2020, 1, 1), end_date=None, end_reason="", regulation="bbz"
    )
    client.force_login(UserFactory(role=Role.BELEID))
    page = client.get(reverse("forecast:index"), QUERY | {"regulations": "bbz"}).content.decode()
    assert "&lt;5" in page and "<svg viewBox" not in page


def test_beleid_adds_a_scenario_once_and_edits_it(client):
    user = UserFactory(role=Role.BELEID)
    client.force_login(user)
    form = client.get(reverse("forecast:scenario_new")).content.decode()
    key = form.split('name="submission_key" value="')[1].split('"')[0]
    data = {
        "code": "krapte",
        "name": "Krappe arbeidsmarkt",
        "description": "Veel vacatures.",
        "inflow_multiplier": "0.95",
        "outflow_multiplier": "1.20",
        "submission_key": key,
    }
    assert client.post(reverse("forecast:scenario_new"), data).status_code == 302
    assert client.post(reverse("forecast:scenario_new"), data).status_code == 302  # double submit
    assert ForecastScenario.objects.filter(code="krapte").count() == 1
    assert AuditEvent.objects.filter(event="forecast_scenario_saved", user=user).count() == 1
    edit = client.get(reverse("forecast:scenario_edit", args=["krapte"])).content.decode()
    token = edit.split('name="token" value="')[1].split('"')[0]
    changed = {k: v for k, v in data.items() if k not in ("code", "submission_key")} | {
        "outflow_multiplier": "1.30"
    }
    assert (
        client.post(
            reverse("forecast:scenario_edit", args=["krapte"]), changed | {"token": token}
        ).status_code
        == 302
    )
    assert ForecastScenario.objects.get(code="krapte").outflow_multiplier == Decimal("1.30")
    # The same token again: someone saved in between (here: we did), so it is refused.
    stale = client.post(
        reverse("forecast:scenario_edit", args=["krapte"]),
        changed | {"token": token, "outflow_multiplier": "1.40"},
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft dit scenario gewijzigd" in stale.content.decode()
    assert ForecastScenario.objects.get(code="krapte").outflow_multiplier == Decimal("1.30")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": "basis"}, "code", "'basis' is de methode zelf"),
        ({"code": "zwak_herstel"}, "code", "Er is al een scenario met code zwak_herstel"),
        ({"inflow_multiplier": "7"}, "inflow_multiplier", "ligt tussen 0,10 en 5,00"),
        ({"name": "  "}, "name", "Geef het scenario een naam"),
    ],
)
def test_a_wrong_scenario_changes_nothing(values, field, message):

    from django.core.exceptions import ValidationError

    user = UserFactory(role=Role.BELEID)
    good = {
        "name": "X",
        "description": "",
        "inflow_multiplier": Decimal("1.1"),
        "outflow_multiplier": Decimal("1"),
    }
    code = values.pop("code", "nieuw")
    values = {k: Decimal(v) if k.endswith("multiplier") else v for k, v in values.items()}
    before = ForecastScenario.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.scenario_create(user=user, code=code, values=good | values)
    assert message in " ".join(raised.value.message_dict[field])
    assert ForecastScenario.objects.count() == before


def test_the_teamleider_may_not_write_a_scenario():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.scenario_create(
            user=UserFactory(role=Role.TEAMLEIDER),
            code="eigen",
            values={"name": "Eigen", "description": "", "inflow_multiplier": 1, "outflow_multiplier": 1},
        )
