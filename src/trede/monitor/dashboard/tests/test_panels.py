"""The dashboard's panels of other pages (instruments, budget, durability, enforcement): the
figures are those pages' own selectors', the period filter moves them, small counts are
hidden for beleid, each panel links to its page and downloads through the one export helper,
and a role without the page's permission gets no panel."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Role
from trede.accounts.permissions import role_may
from trede.audit.models import AuditEvent
from trede.benefits.models import Measure
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.finance.models import Budget, Payment
from trede.finance.selectors import as_of_through, budget_report
from trede.instruments.reporting import instrument_report
from trede.instruments.tests.factories import InstrumentFactory, ProviderFactory, TrajectoryFactory
from trede.monitor.duurzaam.selectors import durability_figures
from trede.monitor.handhaving.selectors import enforcement_figures

pytestmark = pytest.mark.django_db

QUERY = {
    "regelingen": "pw",
    "van": "2024-01",
    "tot": "2024-12",
    "periode": "month",
    "indeling": "by_age_band",
}


@pytest.fixture
def world():
    """Provider A: 7 referrals in 2024 (6 started, 5 succeeded, 1 no-show); provider B: 2
    referrals (1 succeeded), a small cell for beleid. 12 PW clients, 6 to work in 2024-05.
    A budget line for this year with a payment; 6 measures in 2024."""
    a = ProviderFactory(provider_id="PA", name="Aanbieder A")
    b = ProviderFactory(provider_id="PB", name="Aanbieder B")
    instrument = InstrumentFactory()
    clients = []
    for i in range(12):
        client = ClientFactory(client_id=f"P{i:03d}", birth_date=date(1980, 1, 1))
        clients.append(client)
        end = date(2024, 5, 1) if i < 6 else None
        BenefitFactory(
            client=client,
            regulation="pw",
            start_date=date(2022, 1, 1),
            end_date=end,
            end_reason="werk" if end else "",
        )
    for i in range(7):
        if i == 6:
            TrajectoryFactory(client=clients[i], instrument=instrument, provider=a)
        elif i == 5:
            TrajectoryFactory(client=clients[i], instrument=instrument, provider=a, started=True)
        else:
            TrajectoryFactory(
                client=clients[i], instrument=instrument, provider=a, succeeded=True, cost_eur=1000
            )
    TrajectoryFactory(client=clients[7], instrument=instrument, provider=b, succeeded=True, cost_eur=500)
    TrajectoryFactory(client=clients[8], instrument=instrument, provider=b, failed=True, cost_eur=200)
    year = timezone.localdate().year
    Budget.objects.create(
        budget_id="B1", year=year, line="trajecten", funding="reintegratiebudget", amount_eur=10000
    )
    Payment.objects.create(
        payment_id="P1",
        client=clients[0],
        date=date(year, 1, 1),
        amount_eur=2500,
        kind="traject",
        funding="reintegratiebudget",
        line="trajecten",
    )
    for i in range(6):
        Measure.objects.create(measure_id=f"M{i}", client=clients[i], date=date(2024, 3, 1), kind="maatregel")
    return {
        "beleid": UserFactory(username="beleid", role=Role.BELEID),
        "teamleider": UserFactory(username="tl", role=Role.TEAMLEIDER),
        "year": year,
    }


def _rows(response, table_id: str) -> list[list[str]]:
    """The cells of a table's body rows, tags stripped."""
    page = response.content.decode()
    table = page[page.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_the_instrument_panel_is_the_report_per_provider(client, world):
    client.force_login(world["teamleider"])
    response = client.get(reverse("dashboard:index"), QUERY)
    rows = _rows(response, "tabel-instrumenten")
    report = {r.provider_id: r for r in instrument_report(date(2024, 1, 1), date(2025, 1, 1), "provider")}
    assert [r[0] for r in rows] == ["Aanbieder A", "Aanbieder B"]
    a = report["PA"]
    assert (a.referrals, a.no_shows, a.successes) == (7, 1, 5)
    assert rows[0][1:4] == [str(a.referrals), str(a.no_shows), "14%"]
    assert rows[0][6] == "5"
    assert rows[1][1] == "2"
    assert "€ 1.000,00" in rows[0][9]  # cost per success: 5 x 1,000 / 5
    assert 'href="/instrumenten/"' in response.content.decode()


def test_the_period_filter_moves_the_instrument_panel(client, world):
    client.force_login(world["teamleider"])
    response = client.get(reverse("dashboard:index"), {**QUERY, "van": "2022-01", "tot": "2022-12"})
    assert 'id="tabel-instrumenten"' not in response.content.decode()
    assert "Geen trajecten in deze periode." in response.content.decode()


def test_small_instrument_cells_are_hidden_for_beleid(client, world):
    assert role_may(world["beleid"], "cijfers.alleen_afgeschermd")
    client.force_login(world["beleid"])
    response = client.get(reverse("dashboard:index"), QUERY)
    rows = _rows(response, "tabel-instrumenten")
    b = rows[1]
    assert b[1] == "<5"  # 2 referrals
    assert b[6] == "<5"  # 1 success
    assert b[9] == "<5"  # the cost per success rests on it
    # Complementary: with B hidden and the total shown, A is hidden too (or B is readable).
    page = response.content.decode()
    foot = page[page.index('id="tabel-instrumenten"') :]
    foot = foot[foot.index("<tfoot>") : foot.index("</tfoot>")]
    assert rows[0][1] == "<5" or "<5" in foot
    client.force_login(world["teamleider"])
    assert _rows(client.get(reverse("dashboard:index"), QUERY), "tabel-instrumenten")[1][1] == "2"


def test_the_budget_panel_is_the_budget_report(client, world):
    client.force_login(world["beleid"])
    year = world["year"]
    response = client.get(reverse("dashboard:index"), {**QUERY, "van": f"{year}-01", "tot": f"{year}-12"})
    rows = _rows(response, "tabel-budget")
    line = budget_report(year, as_of_through(timezone.localdate())).lines[0]
    assert rows[0][0] == "trajecten"
    assert rows[0][2] == "€ 10.000"
    assert rows[0][3] == f"€ {int(line.spent):,}".replace(",", ".")
    assert f'href="/budget/?jaar={year}"' in response.content.decode()


def test_the_durability_panel_is_the_durability_page_and_keeps_the_filters(client, world):
    client.force_login(world["teamleider"])
    response = client.get(reverse("dashboard:index"), QUERY)
    rows = _rows(response, "tabel-duurzaamheid")
    result = durability_figures(
        date_from=date(2024, 1, 1), date_to=date(2025, 1, 1), as_of=timezone.localdate(), regulations=["pw"]
    )
    assert rows[0][0] == "2024"
    assert rows[0][1] == str(result["outflow"][0].count) == "6"
    page = response.content.decode()
    assert "year_from=2024&amp;year_to=2024&amp;regulations=pw" in page
    # Only IOAW: nobody flowed out there.
    response = client.get(reverse("dashboard:index"), {**QUERY, "regelingen": "ioaw"})
    assert _rows(response, "tabel-duurzaamheid")[0][1] == "0"


def test_the_enforcement_panel_is_the_enforcement_page(client, world):
    client.force_login(world["beleid"])
    response = client.get(reverse("dashboard:index"), QUERY)
    rows = _rows(response, "tabel-handhaving")
    figures = enforcement_figures(year_from=2024, year_to=2024, as_of=timezone.localdate())
    assert figures[0].total == 6
    assert rows[0][0].startswith("2024")
    assert rows[0][1] == "6"


@pytest.mark.parametrize("table", ["instrumenten", "budget", "duurzaamheid", "handhaving"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_panel_downloads_and_is_audited(client, world, table, fmt):
    client.force_login(world["beleid"])
    before = AuditEvent.objects.count()
    year = world["year"]
    query = {**QUERY, "van": f"{year - 2}-01", "tot": f"{year}-12"} if table == "budget" else QUERY
    response = client.get(reverse("dashboard:index"), {**query, "tabel": table, "formaat": fmt})
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    if fmt == "csv":
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert len(lines) >= 2
        if table == "instrumenten":
            assert lines[1][0] == "Aanbieder A"
            assert lines[2][1] == "<5"  # beleid's download hides what the page hides
    else:
        assert response.content[:2] == b"PK"


def test_a_role_without_the_page_gets_no_panel(client, world, monkeypatch):
    """The teamleider and beleid may open all four pages; without a permission a panel is
    neither computed nor rendered."""
    from trede.monitor.dashboard import panels, views

    def refused(*_a, **_k):
        raise AssertionError("computed")

    monkeypatch.setattr(panels, "budget_panel", refused)
    real = views.role_may
    monkeypatch.setattr(
        views, "role_may", lambda user, perm: False if perm.name == "budget.lezen" else real(user, perm)
    )
    client.force_login(world["teamleider"])
    page = client.get(reverse("dashboard:index"), QUERY).content.decode()
    assert 'id="budget-titel"' not in page
    assert 'id="instrumenten-titel"' in page
