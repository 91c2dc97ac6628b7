"""Enforcement in figures: measures per year and kind (imported and decided alike), per
1,000 on benefit, the cases and decisions; small counts hidden for beleid; the page."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.handhaving import services
from trede.benefits.handhaving.tests.test_handhaving import TODAY, _decide, _hear, _signal
from trede.benefits.handhaving.tests.test_handhaving import world as world  # noqa: F401 (fixture)
from trede.benefits.models import Measure
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.monitor.handhaving.selectors import enforcement_figures

pytestmark = pytest.mark.django_db

LAST_YEAR = TODAY.year - 1


@pytest.fixture
def history(world):  # noqa: F811
    """Last year: 12 imported measures (8 maatregelen, 4 waarschuwingen) for 10 clients, and
    20 more people on benefit all year. This year: one case decided with four eyes, one
    closed without a decision, one still waiting for horen."""
    for i in range(20):
        BenefitFactory(client=ClientFactory(client_id=f"HS{i:03d}"), start_date=date(LAST_YEAR - 1, 1, 1))
    for i in range(12):
        Measure.objects.create(
            measure_id=f"M{i}",
            client_id=f"HS{i % 10:03d}",
            date=date(LAST_YEAR, 3, 1) + timedelta(days=i),
            kind="maatregel" if i < 8 else "waarschuwing",
        )
    decided = _signal(world, days_ago=5)
    _hear(world, decided)
    decided.refresh_from_db()
    services.besluit_approve(user=world["tl"], besluit=_decide(world, decided))
    closed = _signal(world, client="HH002", days_ago=3)
    services.zaak_close(user=world["ink"], zaak=closed, reason="Toch een geldige reden: ziekenhuisopname.")
    _signal(world, client="HH009", user="zuid", days_ago=2)
    return world


def test_the_figures_count_imported_and_decided_measures_and_the_cases(history):
    if TODAY.month == 1 and TODAY.day <= 5:
        pytest.skip("the decided case would fall in last year")
    last, this = enforcement_figures(year_from=LAST_YEAR, year_to=TODAY.year, as_of=TODAY)
    assert last.measures == {"maatregel": 8, "waarschuwing": 4} and last.clients == 10
    assert last.whole and not this.whole
    # 20 on benefit all last year, plus the three clients of the world (benefits 30 months old)
    assert last.average_stock == 23
    assert last.per_1000 == pytest.approx(1000 * 12 / 23)
    assert this.measures == {"maatregel": 1}
    assert (this.zaken, this.besloten, this.afgezien, this.open) == (3, 1, 1, 1)
    assert (this.decisions, this.four_eyes, this.median_days_to_decision) == (1, 1, 5)


def test_the_teamleider_reads_the_page_and_downloads_it(client, history):
    user = history["tl"]
    client.force_login(user)
    response = client.get(reverse("handhaving_cijfers:index"))
    assert response.status_code == 200
    page = response.content.decode()
    row = page[page.index(f'<th scope="row">{LAST_YEAR}</th>') :]
    row = row[: row.index("</tr>")]
    cells = [c.split("<")[0] for c in row.split('<td class="num">')[1:]]
    assert cells == ["4", "0", "8", "0", "0", "12", "10", "521,7"]
    response = client.get(reverse("handhaving_cijfers:index"), {"formaat": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["jaar", "waarschuwing", "boete"]
    assert AuditEvent.objects.filter(event="export_made", user=user).count() == 1


def test_beleid_sees_small_counts_hidden_and_no_median_of_one(client, history):
    client.force_login(history["beleid"])
    page = client.get(reverse("handhaving_cijfers:index")).content.decode()
    row = page[page.index(f'<th scope="row">{LAST_YEAR}</th>') :]
    row = row[: row.index("</tr>")]
    cells = [c.split("<")[0] for c in row.split('<td class="num">')[1:]]
    # 4 waarschuwingen hidden, and the 8 maatregelen with them (else 12 - 8 gives the 4 back)
    assert cells[:6] == ["&lt;5", "0", "&lt;5", "0", "0", "12"]
    zaken = page[page.index('id="tabel-zaken"') :]
    this = zaken[zaken.index(f'<th scope="row">{TODAY.year}</th>') :]
    this = this[: this.index("</tr>")]
    assert this.count("&lt;5") >= 3 and "–" in this  # 1 besloten, 1 afgezien, 1 open; no median


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.CONSULENT_INKOMEN, Role.AANBIEDER, Role.INWONER])
@pytest.mark.django_db
def test_others_may_not_see_it(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("handhaving_cijfers:index")).status_code == 403
