"""The monitor dashboard and its drill-down: who may, that the page shows `trede monitor`'s
figures, filters, suppression for beleid, exports, and that the clients behind a figure are
exactly as many as the figure (and only those within the user's scope)."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.policy.models import PolicyPreset
from trede.casework.tests.factories import ConsultantFactory, DiagnosisFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.monitor.constants import END_REASONS
from trede.monitor.dashboard.selectors import target_settings
from trede.monitor.selectors import (
    STOCK_DIMENSIONS,
    flow_client_ids,
    flow_figures,
    stock_client_ids,
    stock_figures,
    stock_totals,
)

pytestmark = pytest.mark.django_db

QUERY = {
    "regelingen": "pw",
    "van": "2020-01",
    "tot": "2022-12",
    "periode": "month",
    "indeling": "by_age_band",
}


@pytest.fixture
def world():
    """Team Noord: 8 PW clients since 2020-01-01, 3 of them to work on 2021-05-10. Team Zuid:
    6 PW clients since 2020-03-01 (2 to work on 2021-05-20, 1 moved on 2021-07-01) and 2
    IOAW clients since 2019 (a small cell for beleid)."""
    sanne = UserFactory(username="sanne", role=Role.CONSULENT_WERK)
    bob = UserFactory(username="bob", role=Role.CONSULENT_WERK)
    noord = ConsultantFactory(team="Noord", user=sanne)
    zuid = ConsultantFactory(team="Zuid", user=bob)
    for i in range(8):
        client = ClientFactory(client_id=f"N{i:03d}", consultant=noord, birth_date=date(1978, 3, 1))
        end = date(2021, 5, 10) if i < 3 else None
        BenefitFactory(
            client=client,
            regulation="pw",
            start_date=date(2020, 1, 1),
            end_date=end,
            end_reason="werk" if end else "",
        )
    for i in range(6):
        client = ClientFactory(client_id=f"Z{i:03d}", consultant=zuid, birth_date=date(1995, 8, 1))
        end, reason = (
            (date(2021, 5, 20), "werk")
            if i < 2
            else (date(2021, 7, 1), "verhuizing")
            if i == 2
            else (None, "")
        )
        BenefitFactory(
            client=client, regulation="pw", start_date=date(2020, 3, 1), end_date=end, end_reason=reason
        )
    for i in range(2):
        client = ClientFactory(client_id=f"I{i:03d}", consultant=zuid, birth_date=date(1962, 1, 1))
        BenefitFactory(
            client=client, regulation="ioaw", start_date=date(2019, 4, 1), end_date=None, end_reason=""
        )
    return {
        "sanne": sanne,
        "bob": bob,
        "tl_noord": UserFactory(username="tl_noord", role=Role.TEAMLEIDER, team="Noord"),
        "tl_zuid": UserFactory(username="tl_zuid", role=Role.TEAMLEIDER, team="Zuid"),
        "beleid": UserFactory(username="beleid", role=Role.BELEID),
    }


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    "role", [Role.CONSULENT_WERK, Role.CONSULENT_INKOMEN, Role.AANBIEDER, Role.INWONER, Role.CONTRACTMANAGER]
)
def test_others_may_not_see_the_dashboard(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("dashboard:index"), QUERY).status_code in (403, 404)


def test_anonymous_is_sent_to_the_login(client):
    assert client.get(reverse("dashboard:index")).status_code == 302
    assert client.get(reverse("dashboard:clients")).status_code == 302


@pytest.mark.parametrize("username", ["beleid", "tl_noord"])
def test_beleid_and_teamleider_see_every_panel(client, world, username):
    client.force_login(world[username])
    response = client.get(reverse("dashboard:index"), QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    for table in (
        "tabel-bestand",
        "tabel-samenstelling",
        "tabel-stromen",
        "tabel-doelen",
        "tabel-duurzaamheid",
        "tabel-handhaving",
    ):
        assert f'id="{table}"' in page
    # Line charts: stock, flows, target, durability (the world has no trajectory or budget).
    assert page.count('<svg viewBox="0 0 760') == 4
    assert "Uitstroom naar werk tegen het doel" in page


def test_the_default_page_is_the_last_three_years(client, world):
    client.force_login(world["tl_noord"])
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200 and 'id="tabel-stromen"' in response.content.decode()


def test_the_page_shows_the_monitor_figures(client, world):
    client.force_login(world["tl_noord"])
    response = client.get(reverse("dashboard:index"), QUERY)
    panels = response.context["panels"]
    days = [r["day"] for r in panels["stock_rows"]]
    assert days[0] == date(2020, 1, 1) and days[-1] == date(2022, 12, 1) and len(days) == 36
    assert [r["stock"] for r in panels["stock_rows"]] == [stock_totals(days=days)[d] for d in days]
    figures = stock_figures(as_of=date(2022, 12, 1))
    assert panels["composition_total"]["count"] == figures["total"] == 8 - 3 + 6 - 3
    assert [r["count"] for r in panels["composition"]] == list(figures["by_age_band"].values())
    flows = flow_figures(date_from=date(2020, 1, 1), date_to=date(2023, 1, 1), period="month")
    assert [r["inflow"] for r in panels["flow_rows"]] == [p["inflow"] for p in flows["periods"]]
    may = next(r for r in panels["flow_rows"] if r["period"] == "2021-05")
    assert may["to_work"] == 5 and may["outflow_total"] == 5
    years = {r["year"]: r for r in response.context["target_rows"]}
    assert years["2021"]["to_work"] == 5 and years["2021"]["rate"] == flows["outflow_to_work_rate"]["2021"]
    assert years["2021"]["target"] == 800 and years["2021"]["net_reduction"] == 6


def test_filters_change_every_panel(client, world):
    client.force_login(world["tl_noord"])
    ioaw = client.get(reverse("dashboard:index"), QUERY | {"regelingen": "ioaw"}).context
    assert ioaw["panels"]["composition_total"]["count"] == 2
    assert all(r["outflow_total"] == 0 for r in ioaw["panels"]["flow_rows"])
    both = client.get(reverse("dashboard:index"), QUERY | {"regelingen": ["pw", "ioaw"]}).context
    assert both["panels"]["composition_total"]["count"] == 10
    yearly = client.get(reverse("dashboard:index"), QUERY | {"periode": "year"}).context
    assert [r["period"] for r in yearly["panels"]["flow_rows"]] == ["2020", "2021", "2022"]
    assert [r["inflow"] for r in yearly["panels"]["flow_rows"]] == [14, 0, 0]
    quarterly = client.get(
        reverse("dashboard:index"), QUERY | {"periode": "quarter", "van": "2021-02"}
    ).context
    assert quarterly["panels"]["flow_rows"][0]["period"] == "2021-Q1"
    assert quarterly["panels"]["stock_rows"][0]["day"] == date(2021, 2, 1)  # cut to the range
    household = client.get(reverse("dashboard:index"), QUERY | {"indeling": "by_household"}).context
    assert [r["band"] for r in household["panels"]["composition"]][-1] == "onbekend"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"van": "2023-01", "tot": "2022-01"}, "vóór de eerste"),
        ({"van": "2010-01"}, "hoogstens tien jaar terug"),
        ({"tot": "2999-01"}, "in de toekomst"),
        ({"van": "maart"}, "JJJJ-MM"),
        ({"regelingen": "xyz"}, "geen beschikbare keuze"),
    ],
)
def test_bad_filters_are_a_dutch_message(client, world, values, message):
    client.force_login(world["beleid"])
    response = client.get(reverse("dashboard:index"), QUERY | values)
    assert response.status_code == 400 and message in response.content.decode()


def test_small_cells_are_hidden_for_beleid_and_it_gets_no_drill_down(client, world):
    client.force_login(world["beleid"])
    page = client.get(reverse("dashboard:index"), QUERY | {"regelingen": "ioaw"}).content.decode()
    assert "&lt;5" in page and reverse("dashboard:clients") not in page
    response = client.get(reverse("dashboard:index"), QUERY)
    panels = response.context["panels"]
    may = next(r for r in panels["flow_rows"] if r["period"] == "2021-05")
    assert may["to_work"] == 5  # 5 is shown
    july = next(r for r in panels["flow_rows"] if r["period"] == "2021-07")
    assert july["outflow_total"] == "<5"
    assert reverse("dashboard:clients") not in response.content.decode()
    assert client.get(reverse("dashboard:clients")).status_code == 403
    # The export hides them too.
    rows = _csv(client.get(reverse("dashboard:index"), QUERY | {"tabel": "stromen", "formaat": "csv"}))
    july_row = next(r for r in rows if r[0] == "2021-07")
    assert july_row[-1] == "<5"


def test_the_teamleider_sees_exact_figures_and_drill_down_links(client, world):
    client.force_login(world["tl_noord"])
    page = client.get(reverse("dashboard:index"), QUERY | {"regelingen": "ioaw"}).content.decode()
    assert "&lt;5" not in page
    page = client.get(reverse("dashboard:index"), QUERY).content.decode()
    assert "/monitor/klanten/?cijfer=bestand" in page and "cijfer=uitstroom" in page and "reden=werk" in page


@pytest.mark.parametrize(
    ("table", "first_header"),
    [("bestand", "periode"), ("samenstelling", "leeftijd"), ("stromen", "periode"), ("doelen", "jaar")],
)
def test_every_table_downloads_as_csv_and_xlsx_and_is_audited(client, world, table, first_header):
    user = world["tl_noord"]
    client.force_login(user)
    response = client.get(reverse("dashboard:index"), QUERY | {"tabel": table, "formaat": "csv"})
    assert (
        response.status_code == 200
        and f"monitor-{table}-2020-01-01-pw.csv" in response["Content-Disposition"]
    )
    rows = _csv(response)
    assert rows[0][0] == first_header
    xlsx = client.get(reverse("dashboard:index"), QUERY | {"tabel": table, "formaat": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    made = AuditEvent.objects.filter(event="export_made", user=user)
    assert sorted(e.details["formaat"] for e in made) == ["CSV", "XLSX"]
    assert all(e.purpose == "monitor" for e in made)


def test_the_flows_csv_holds_the_figures(client, world):
    client.force_login(world["tl_noord"])
    rows = _csv(client.get(reverse("dashboard:index"), QUERY | {"tabel": "stromen", "formaat": "csv"}))
    flows = flow_figures(date_from=date(2020, 1, 1), date_to=date(2023, 1, 1), period="month")
    assert rows[0][1] == "instroom" and rows[0][2] == "uitstroom werk" and rows[0][-1] == "uitstroom totaal"
    assert [r[0] for r in rows[1:]] == [p["period"] for p in flows["periods"]]
    for row, period in zip(rows[1:], flows["periods"], strict=True):
        assert int(row[1]) == period["inflow"]
        assert [int(v) for v in row[2:-1]] == [period["outflow"][r] for r in END_REASONS]
        assert int(row[-1]) == period["outflow_total"]


def test_the_target_comes_from_the_active_preset_over_the_default(client, world):
    assert target_settings().outflow_to_work_per_year == 800
    PolicyPreset.objects.update(active=False)
    PolicyPreset.objects.update_or_create(
        key="eigen",
        defaults={"name": "Eigen", "config": {"targets": {"outflow_to_work_per_year": 4}}, "active": True},
    )
    targets = target_settings()
    assert targets.outflow_to_work_per_year == 4 and targets.net_stock_reduction_per_year == 30
    client.force_login(world["tl_noord"])
    response = client.get(reverse("dashboard:index"), QUERY)
    years = {r["year"]: r for r in response.context["target_rows"]}
    assert years["2021"]["share"] == 5 / 4
    assert "4 mensen per jaar" in response.content.decode()


# --------------------------------------------------------------------------- drill-down


def test_the_drill_down_lists_only_clients_in_scope_and_audits_them(client, world):
    query = {"cijfer": "bestand", "regelingen": "pw", "peildatum": "2022-12-01"}
    client.force_login(world["tl_noord"])
    response = client.get(reverse("dashboard:clients"), query)
    assert response.status_code == 200
    assert response.context["figure"] == 8
    listed = {c.client_id for c in response.context["clients"]}
    assert listed == {f"N{i:03d}" for i in range(3, 8)}
    page = response.content.decode()
    assert "Z003" not in page and "Binnen uw bereik vallen 5 van deze klanten" in page
    events = AuditEvent.objects.filter(user=world["tl_noord"], event="client_listed")
    assert {e.client_id for e in events} == listed
    assert all(e.purpose == "monitor" for e in events)
    summary = AuditEvent.objects.get(user=world["tl_noord"], event="list_viewed")
    assert summary.details["aantal"] == 5 and summary.details["lijst"].startswith(
        "Monitor: Bestand op 2022-12-01"
    )

    client.force_login(world["bob"])  # a consultant: the own caseload only
    response = client.get(reverse("dashboard:clients"), query)
    assert {c.client_id for c in response.context["clients"]} == {"Z003", "Z004", "Z005"}
    client.force_login(world["sanne"])
    outflow = {
        "cijfer": "uitstroom",
        "regelingen": "pw",
        "van": "2021-05-01",
        "tot": "2021-06-01",
        "reden": "werk",
    }
    response = client.get(reverse("dashboard:clients"), outflow)
    assert response.context["figure"] == 5
    assert {c.client_id for c in response.context["clients"]} == {"N000", "N001", "N002"}


def test_a_dashboard_link_opens_as_many_clients_as_its_cell(client, world):
    client.force_login(world["tl_zuid"])
    response = client.get(reverse("dashboard:index"), QUERY)
    july = next(r for r in response.context["panels"]["flow_rows"] if r["period"] == "2021-07")
    cell = next(c for c in july["reasons"] if c["reason"] == "verhuizing")
    listed = client.get(cell["url"])
    assert listed.status_code == 200 and listed.context["figure"] == cell["count"] == 1
    assert [c.client_id for c in listed.context["clients"]] == ["Z002"]
    band = next(r for r in response.context["panels"]["composition"] if r["count"])
    listed = client.get(band["url"])
    assert listed.context["figure"] == band["count"]


def test_a_wrong_drill_down_question_is_a_dutch_message(client, world):
    client.force_login(world["tl_noord"])
    response = client.get(
        reverse("dashboard:clients"),
        {
            "cijfer": "bestand",
            "regelingen": "pw",
            "peildatum": "2022-12-01",
            "indeling": "by_age_band",
            "groep": "99",
        },
    )
    assert response.status_code == 400 and "bestaat niet in deze indeling" in response.content.decode()
    response = client.get(reverse("dashboard:clients"), {"cijfer": "uitstroom", "regelingen": "pw"})
    assert response.status_code == 400 and "Geef het begin" in response.content.decode()
    assert not AuditEvent.objects.filter(event="client_listed").exists()


def test_the_drill_down_pages_through_long_lists(client):
    team = ConsultantFactory(team="Groot")
    for i in range(130):
        BenefitFactory(
            client=ClientFactory(client_id=f"G{i:04d}", consultant=team), start_date=date(2020, 1, 1)
        )
    user = UserFactory(role=Role.TEAMLEIDER, team="Groot")
    client.force_login(user)
    query = {"cijfer": "bestand", "regelingen": "pw", "peildatum": "2022-01-01"}
    first = client.get(reverse("dashboard:clients"), query)
    assert len(first.context["clients"]) == 100 and first.context["pages"] == 2
    second = client.get(reverse("dashboard:clients"), query | {"pagina": "2"})
    assert len(second.context["clients"]) == 30
    assert AuditEvent.objects.filter(user=user, event="client_listed").count() == 130


@pytest.fixture
def varied():
    """A seeded mix: overlapping and touching benefits, three regulations, every household,
    ages across the bands, diagnoses with and without a ladder step."""
    rng = random.Random(11)
    households = ["alleenstaand", "alleenstaande_ouder", "gehuwd_samenwonend", "overig", ""]
    for i in range(70):
        client = ClientFactory(
            client_id=f"V{i:03d}",
            birth_date=date(1950 + rng.randrange(55), rng.randrange(1, 13), rng.choice([1, 15, 28])),
            household=rng.choice(households),
        )
        start = date(2012, 1, 1) + timedelta(days=rng.randrange(3500))
        for _ in range(rng.choice([1, 1, 2, 3])):
            end = start + timedelta(days=rng.randrange(30, 1500)) if rng.random() < 0.7 else None
            BenefitFactory(
                client=client,
                regulation=rng.choice(["pw", "pw", "ioaw", "bbz"]),
                start_date=start,
                end_date=end,
                end_reason=rng.choice(END_REASONS) if end else "",
            )
            if end is None:
                break
            start = end + timedelta(days=rng.choice([0, 0, 5, 200]))
        if rng.random() < 0.6:
            DiagnosisFactory(
                client=client,
                date=date(2013, 1, 1) + timedelta(days=rng.randrange(3000)),
                ladder_step=rng.choice([1, 2, 3, 4, 5, 6, None]),
            )


@pytest.mark.parametrize("regulations", [["pw"], ["pw", "ioaw", "bbz"]])
def test_the_clients_behind_every_cell_are_as_many_as_the_cell(varied, regulations):
    for as_of in (date(2016, 3, 1), date(2019, 2, 28), date(2021, 12, 31)):
        figures = stock_figures(as_of=as_of, regulations=regulations)
        assert len(stock_client_ids(as_of=as_of, regulations=regulations)) == figures["total"]
        for dimension, (_column, bands) in STOCK_DIMENSIONS.items():
            for band in bands:
                ids = stock_client_ids(as_of=as_of, regulations=regulations, dimension=dimension, band=band)
                assert len(ids) == figures[dimension][band], (as_of, dimension, band)
    flows = flow_figures(
        date_from=date(2012, 1, 1), date_to=date(2024, 1, 1), period="year", regulations=regulations
    )
    for period in flows["periods"]:
        year = int(period["period"])
        span = {"date_from": date(year, 1, 1), "date_to": date(year + 1, 1, 1), "regulations": regulations}
        assert len(flow_client_ids(kind="in", **span)) == period["inflow"]
        assert len(flow_client_ids(kind="out", **span)) == period["outflow_total"]
        for reason in END_REASONS:
            assert len(flow_client_ids(kind="out", reason=reason, **span)) == period["outflow"][reason]


def test_the_drill_down_list_downloads_with_every_client_in_scope_and_is_audited(client, world):
    user = world["tl_noord"]
    client.force_login(user)
    query = {"cijfer": "bestand", "regelingen": "pw", "peildatum": "2022-12-01", "formaat": "csv"}
    response = client.get(reverse("dashboard:clients"), query)
    assert response.status_code == 200 and "monitor-klanten.csv" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["klantnummer", "naam", "consulent"]
    assert [r[0] for r in rows[1:]] == [f"N{i:03d}" for i in range(3, 8)]
    made = AuditEvent.objects.get(user=user, event="export_made")
    assert made.details["aantal"] == 5 and made.purpose == "monitor"
    assert {e.client_id for e in AuditEvent.objects.filter(user=user, event="client_listed")} == {
        f"N{i:03d}" for i in range(3, 8)
    }
    assert client.get(reverse("dashboard:clients"), query | {"formaat": "xlsx"}).content[:2] == b"PK"


def test_the_group_filter_narrows_every_figure_to_statushouders(client, world):
    """Statushouders: the Zuid clients Z000-Z005 (2 to work, 1 moved); every panel and the
    drill-down count only their benefits, by the same selectors."""
    from trede.clients.models import Client

    Client.objects.filter(client_id__startswith="Z").update(statushouder=True)
    Client.objects.filter(client_id__startswith="N").update(statushouder=False)
    day = date(2021, 1, 1)
    assert stock_totals(days=[day], group="statushouder")[day] == 6
    assert stock_figures(as_of=day, group="statushouder")["total"] == 6
    flows = flow_figures(
        date_from=date(2021, 1, 1), date_to=date(2022, 1, 1), period="year", group="statushouder"
    )
    assert flows["periods"][0]["outflow"]["werk"] == 2 and flows["periods"][0]["outflow"]["verhuizing"] == 1
    assert stock_client_ids(as_of=day, group="statushouder") == [f"Z{i:03d}" for i in range(6)]
    assert flow_client_ids(
        date_from=date(2021, 1, 1), date_to=date(2022, 1, 1), kind="out", reason="werk", group="statushouder"
    ) == ["Z000", "Z001"]
    with pytest.raises(Exception, match="onbekende groep"):
        stock_totals(days=[day], group="jongeren")

    client.force_login(world["tl_zuid"])
    page = client.get(reverse("dashboard:index"), QUERY | {"doelgroep": "statushouder"}).content.decode()
    assert "alleen statushouders" in page
    assert "doelgroep=statushouder" in page  # the drill-down links keep the group
    everyone = client.get(reverse("dashboard:index"), QUERY).content.decode()
    assert "doelgroep=statushouder" not in everyone
    assert client.get(reverse("dashboard:index"), QUERY | {"doelgroep": "jongeren"}).status_code == 400


def test_the_composition_by_client_group_and_its_drill_down(client, world):
    """The latest diagnosis with a client group counts; without one: onbekend."""
    from trede.casework.tests.factories import DiagnosisFactory

    for i in range(4):
        DiagnosisFactory(client_id=f"Z{i + 2:03d}", date=date(2021, 1, 1), client_group="zorg")
    client.force_login(world["tl_zuid"])
    context = client.get(reverse("dashboard:index"), QUERY | {"indeling": "by_client_group"}).context
    rows = {r["band"]: r for r in context["panels"]["composition"]}
    # On 2022-12-01: Z003-Z005 still on PW (Z002 moved), 5 of Noord; zorg = 3
    assert rows["zorg"]["count"] == 3 and rows["zorg"]["label"] == "Zorg"
    assert rows["onbekend"]["count"] == 5
    response = client.get(rows["zorg"]["url"])
    assert response.status_code == 200
    page = response.content.decode()
    assert all(f"Z00{i}" in page for i in (3, 4, 5))
    assert "Z002" not in page and "N000" not in page
