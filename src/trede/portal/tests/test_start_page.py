import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from trede.portal.selectors import default_as_of, line_chart, start_figures

from .data import AS_OF, small_municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_user(make_user):
    """The small municipality's counts are all below 5: policy staff see them as `<5`
    (test_small_cells.py). These tests check the exact figures, as a teamleider sees them."""

    def make(username="teamleider", role="teamleider", **extra):
        return make_user(username=username, role=role, **extra)

    return make


def cell_after(html: str, label: str) -> str:
    """The first number cell after a row heading, as displayed."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>\s*<td class="num">([^<]*)</td>', html)
    assert match, f"row {label!r} not found"
    return match.group(1)


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    csv_response = client.get(reverse("portal:figures_csv", args=["leeftijd"]))
    assert csv_response.status_code == 302


def test_login_page_is_dutch(client):
    html = client.get(reverse("login")).content.decode()
    assert 'lang="nl"' in html
    assert "Gebruikersnaam" in html and "Wachtwoord" in html
    assert 'href="#inhoud"' in html


def login_form(username, password):
    # The login is a wizard (password, then a code when set up): its fields carry a prefix.
    return {"trede_login_view-current_step": "auth", "auth-username": username, "auth-password": password}


def test_wrong_password_gives_dutch_error(client, make_user):
    make_user(username="beleid", role="beleid")
    response = client.post(reverse("login"), login_form("beleid", "fout"))
    assert "Inloggen is niet gelukt" in response.content.decode()


def test_login_then_start_page(client, make_user):
    make_user(username="beleid", role="beleid", password="een-lang-wachtwoord-42")
    response = client.post(reverse("login"), login_form("beleid", "een-lang-wachtwoord-42"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Uitkeringen in cijfers" in html
    assert "Uitloggen" in html and 'method="post" action="/uitloggen/"' in html


def test_start_page_shows_stock_and_bands(client, make_user):
    small_municipality()
    client.force_login(make_user())
    html = client.get(reverse("portal:home"), {"peildatum": AS_OF.isoformat()}).content.decode()
    assert re.search(r'data-testid="bestand-totaal">3<', html)
    assert "Klanten met een uitkering op 30 juni 2024" in html
    assert cell_after(html, "20 jaar of jonger") == "1"
    assert cell_after(html, "21 tot en met 30 jaar") == "1"
    assert cell_after(html, "31 tot en met 40 jaar") == "0"
    assert cell_after(html, "5 jaar of langer") == "1"
    assert cell_after(html, "alleenstaand") == "2"
    assert cell_after(html, "3 – deelname aan georganiseerde activiteiten") == "1"
    assert cell_after(html, "geen trede vastgesteld") == "2"
    # Yearly flows: 2024 up to the peildatum has inflow 2 and outflow 1 (to work).
    assert cell_after(html, "2024 (tot en met 30 juni 2024)") == "2"
    # Stock development: month-start stock on 1 June 2024 is 3 (c3 left on 1 May).
    assert cell_after(html, "1 juni 2024") == "3"
    assert cell_after(html, "1 april 2024") == "4"
    assert "<svg" in html and "<caption>Leeftijd</caption>" in html
    assert "Zo zijn de cijfers bepaald" in html


def test_regulation_choice(client, make_user):
    small_municipality()
    client.force_login(make_user())
    response = client.get(
        reverse("portal:home"), {"peildatum": AS_OF.isoformat(), "regeling": ["pw", "ioaw"]}
    )
    html = response.content.decode()
    assert re.search(r'data-testid="bestand-totaal">4<', html)
    assert "Participatiewet en IOAW" in html
    assert re.search(r'value="ioaw" checked', html)


def test_default_peildatum_is_last_data_day(client, make_user):
    small_municipality()
    client.force_login(make_user())
    html = client.get(reverse("portal:home")).content.decode()
    # Latest date in the data is the end of B3 (1 May 2024); c3 is no longer counted then.
    assert 'value="2024-05-01"' in html
    assert re.search(r'data-testid="bestand-totaal">3<', html)
    assert default_as_of(None, today=date(2020, 1, 1)) == date(2020, 1, 1)


def test_invalid_peildatum_falls_back_with_dutch_message(client, make_user):
    small_municipality()
    client.force_login(make_user())
    html = client.get(reverse("portal:home"), {"peildatum": "morgen", "regeling": "ioaw"}).content.decode()
    assert "Vul een geldige datum in" in html
    assert re.search(r'data-testid="bestand-totaal">1<', html)  # the valid part (ioaw) is kept


@pytest.mark.parametrize("day", ["2099-01-01", "9999-12-31", "1800-01-01"])
def test_peildatum_far_outside_the_data_is_refused_not_a_500(client, make_user, day):
    small_municipality()
    client.force_login(make_user())
    response = client.get(reverse("portal:home"), {"peildatum": day})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een peildatum tussen" in html
    assert "de gegevens lopen van" in html
    # The figures fall back to the last day of the data instead of counting for 2099.
    assert 'value="2024-05-01"' in html
    csv = client.get(reverse("portal:figures_csv", args=["ontwikkeling"]), {"peildatum": day})
    assert csv.status_code == 200


def test_peildatum_just_after_the_data_is_shown_with_a_notice(client, make_user):
    small_municipality()
    client.force_login(make_user())
    html = client.get(reverse("portal:home"), {"peildatum": "2024-12-31"}).content.decode()
    assert "Kies een peildatum tussen" not in html
    assert "de peildatum ligt na de laatste datum in de gegevens" in html


def test_empty_database(client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("portal:home")).content.decode()
    assert "Nog geen gegevens" in html


def test_htmx_request_gets_only_the_figures(client, make_user):
    small_municipality()
    client.force_login(make_user())
    html = client.get(
        reverse("portal:home"), {"peildatum": AS_OF.isoformat()}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in html
    assert "HX-Request" in client.get(reverse("portal:home"))["Vary"]
    assert re.search(r'data-testid="bestand-totaal">3<', html)


def test_resident_sees_own_plan_page(client, make_user):
    small_municipality()
    client.force_login(make_user(username="inwoner", role="inwoner"))
    html = client.get(reverse("portal:home")).content.decode()
    assert "Uw plan van aanpak" in html
    assert reverse("casework:my_plan") in html
    assert "bestand-totaal" not in html
    refused = client.get(reverse("portal:figures_csv", args=["leeftijd"]))
    assert refused.status_code == 403
    assert "Geen toegang" in refused.content.decode()


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_csv_breakdown(client, make_user):
    small_municipality()
    client.force_login(make_user())
    url = reverse("portal:figures_csv", args=["leeftijd"])
    rows = read_csv(client.get(url, {"peildatum": AS_OF.isoformat()}))
    assert [r["leeftijdsklasse"] for r in rows] == ["<=20", "21-30", "31-40", "41-50", "51-60", ">=61"]
    counts = {r["leeftijdsklasse"]: int(r["aantal"]) for r in rows}
    assert counts == {"<=20": 1, "21-30": 1, "31-40": 0, "41-50": 0, "51-60": 0, ">=61": 1}
    assert {r["peildatum"] for r in rows} == {"2024-06-30"}
    assert rows[0]["aandeel"] == "0,3333"  # a decimal comma: Dutch Excel reads it as a number

    rows = read_csv(
        client.get(
            reverse("portal:figures_csv", args=["huishouden"]),
            {"peildatum": AS_OF.isoformat(), "regeling": ["pw", "ioaw"]},
        )
    )
    assert {r["huishouden"]: int(r["aantal"]) for r in rows}["alleenstaand"] == 3
    assert rows[0]["regelingen"] == "pw,ioaw"


def test_csv_flows_and_development(client, make_user):
    small_municipality()
    client.force_login(make_user())
    rows = read_csv(
        client.get(reverse("portal:figures_csv", args=["stromen"]), {"peildatum": AS_OF.isoformat()})
    )
    by_year = {r["jaar"]: r for r in rows}
    assert by_year["2024"]["heel_jaar"] == "nee" and by_year["2024"]["tot"] == "2024-07-01"
    assert (by_year["2024"]["instroom"], by_year["2024"]["uitstroom"], by_year["2024"]["uitstroom_werk"]) == (
        "2",
        "1",
        "1",
    )
    assert by_year["2018"]["instroom"] == "1"
    assert by_year["2023"]["uitstroom_naar_werk_ratio"] == "0"
    assert by_year["2024"]["uitstroom_naar_werk_ratio"] == ""

    rows = read_csv(
        client.get(reverse("portal:figures_csv", args=["ontwikkeling"]), {"peildatum": AS_OF.isoformat()})
    )
    assert rows[0]["datum"] == "2018-01-01" and rows[-1]["datum"] == "2024-06-01"
    assert {r["datum"]: int(r["aantal"]) for r in rows}["2024-04-01"] == 4


def test_csv_unknown_table(client, make_user):
    client.force_login(make_user())
    response = client.get("/cijfers/geheim.csv")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_stock_identity_on_the_page_figures():
    """stock(peildatum) = stock(day before the first year) + inflow − outflow, as shown."""
    small_municipality()
    figures = start_figures(as_of=AS_OF, regulations=["pw"])
    assert figures.flows[0]["year"] == "2018"  # no benefits before 2018: stock on 2017-12-31 is 0
    assert figures.total == sum(f["inflow"] - f["outflow"] for f in figures.flows) == 3
    assert figures.development[0] == {**figures.development[0], "day": date(2018, 1, 1), "count": 1}


def test_line_chart_geometry():
    points = [
        {"day": date(2020, m, 1), "count": c, "month_text": f"m{m}", "date_text": "x", "count_text": str(c)}
        for m, c in ((1, 0), (2, 50), (3, 100))
    ]
    chart = line_chart(points)
    ys = [float(p.split(",")[1]) for p in chart["series"][0]["polyline"].split()]
    assert ys[0] == chart["bottom"] and ys[2] < ys[1] < ys[0]
    assert chart["last"] == {"x": chart["right"], "y": ys[2]}  # "now" is ringed
    assert chart["y_ticks"][-1]["label"] == "100"
    assert line_chart([]) is None


@pytest.mark.parametrize("language", ["nl", "en"])
def test_chart_coordinates_are_not_localised(client, make_user, language):
    """A Dutch browser must not get `cx="120,5"` (a decimal comma breaks the SVG)."""
    small_municipality()
    client.force_login(make_user())
    html = client.get(
        reverse("portal:home"), {"peildatum": AS_OF.isoformat()}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    start = html.index('class="line-chart"')
    svg = html[start : html.index("</svg>", start)]
    for attribute in re.findall(r'\b(?:cx|cy|x|y|x1|x2|y1|y2)="([^"]*)"', svg):
        float(attribute)
    widths = re.findall(r'<rect class="bar-fill" width="([^"]*)"', html)
    assert widths
    for width in widths:
        float(width)
