"""Small cells for policy staff: every count of 1-4 shown to `beleid` reads `<5` (point 9)."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from trede.benefits.tests.factories import BenefitFactory
from trede.clients.tests.factories import ClientFactory

from .data import AS_OF, small_municipality

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _one_ioaz_client():
    client = ClientFactory(client_id="Z1", birth_date=date(1962, 3, 1), household="alleenstaand")
    BenefitFactory(benefit_id="BZ1", client=client, start_date=date(2023, 1, 1), regulation="ioaz")


def test_household_csv_for_ioaz_shows_no_1_to_policy_staff(client, make_user):
    """The finding: `/cijfers/huishouden.csv?regeling=ioaz` as beleid showed a 1."""
    small_municipality()
    _one_ioaz_client()
    client.force_login(make_user(role="beleid"))
    response = client.get("/cijfers/huishouden.csv", {"regeling": "ioaz", "peildatum": AS_OF.isoformat()})
    assert response.status_code == 200
    rows = _csv(response)
    counts = {r["huishouden"]: r["aantal"] for r in rows}
    assert counts["alleenstaand"] == "<5"
    assert "1" not in counts.values()
    # The share would give the count back (1 of 1 = 100 %).
    assert {r["aandeel"] for r in rows if r["aantal"] == "<5"} == {""}


def test_other_roles_keep_the_exact_counts(client, make_user):
    small_municipality()
    _one_ioaz_client()
    client.force_login(make_user(username="tl", role="teamleider"))
    rows = _csv(client.get("/cijfers/huishouden.csv", {"regeling": "ioaz", "peildatum": AS_OF.isoformat()}))
    assert {r["huishouden"]: r["aantal"] for r in rows}["alleenstaand"] == "1"


def _numbers_in_cells(html: str) -> list[str]:
    return re.findall(r'<td class="num">([^<]*)</td>', html)


def test_start_page_for_policy_staff_has_no_count_of_1_to_4(client, make_user):
    small_municipality()  # every count in it is below 5
    client.force_login(make_user(role="beleid"))
    html = client.get(reverse("portal:home"), {"peildatum": AS_OF.isoformat()}).content.decode()
    cells = _numbers_in_cells(html)
    assert cells and "&lt;5" in cells
    assert not [c for c in cells if re.fullmatch(r"[−+-]?[1-4]", c.strip())], cells
    key = re.search(r'data-testid="bestand-totaal">([^<]*)<', html).group(1)
    assert key == "&lt;5"
    # The chart would draw the hidden counts: it is left out, the table says why.
    assert "<svg" not in html.split('id="ontwikkeling-titel"')[1].split("</section>")[0]
    assert "minder dan 5" in html


@pytest.mark.parametrize("table", ["leeftijd", "duur", "huishouden", "trede", "ontwikkeling", "stromen"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_download_for_policy_staff_hides_1_to_4(client, make_user, table, fmt):
    small_municipality()
    client.force_login(make_user(role="beleid"))
    response = client.get(
        reverse("portal:figures_csv", args=[table]), {"peildatum": AS_OF.isoformat(), "formaat": fmt}
    )
    assert response.status_code == 200
    if fmt == "csv":
        table_rows = _csv(response)
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        table_rows = [dict(zip(values[0], r, strict=True)) for r in values[1:]]
    counts = [
        value
        for row in table_rows
        for column, value in row.items()
        if column in ("aantal", "instroom", "uitstroom", "netto") or column.startswith("uitstroom_")
    ]
    assert counts
    shown = [v for v in counts if v not in ("<5", "", None) and not str(v).startswith("0,")]
    assert not [v for v in shown if 1 <= abs(float(str(v).replace(",", "."))) <= 4], table_rows
    assert "<5" in counts


def test_a_total_beside_one_hidden_cell_does_not_give_it_back(client, make_user):
    """Ages: 6 clients of 21-30 and one of 61+: hiding only the 1 would leave total − 6 = 1."""
    for i in range(6):
        c = ClientFactory(client_id=f"Y{i}", birth_date=date(1999, 1, 1))
        BenefitFactory(benefit_id=f"BY{i}", client=c, start_date=date(2023, 1, 1))
    old = ClientFactory(client_id="O1", birth_date=date(1950, 1, 1))
    BenefitFactory(benefit_id="BO1", client=old, start_date=date(2023, 1, 1))
    client.force_login(make_user(role="beleid"))
    rows = _csv(
        client.get(reverse("portal:figures_csv", args=["leeftijd"]), {"peildatum": AS_OF.isoformat()})
    )
    counts = {r["leeftijdsklasse"]: r["aantal"] for r in rows}
    assert counts[">=61"] == "<5" and counts["21-30"] == "<5"  # the second (secondary) cell
    assert counts["31-40"] == "0"
