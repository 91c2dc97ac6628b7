"""Peers: import (good, bad, double), the rates against hand computations, the page, who
may, and the export."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.policy.models import PolicyPreset
from trede.casework.tests.factories_plans import UserFactory
from trede.clients.tests.factories import ClientFactory
from trede.monitor.models import PeerFigure, PeerImport, PeerMunicipality
from trede.monitor.peers import rates, selectors, services
from trede.monitor.peers.reading import COLUMNS, peers_read

G10 = selectors.EXAMPLE_FILE.read_bytes()
FULL = (
    b"gemeente,jaar,inwoners,uitkeringen,per_1000_inwoners,uitstroom_naar_werk\n"
    b"Voorbeeldstad,2018,100000,2700,27.0,310\n"
    b"Voorbeeldstad,2019,101000,2650,,300\n"
    b"Eindhoven,2018,231000,7200,,\n"  # replaces the G10 figure of 2018 when imported after it
)
BAD = (
    b"gemeente,jaar,inwoners,uitkeringen,per_1000_inwoners,uitstroom_naar_werk\n"
    b"Goedstad,2018,50000,1000,,\n"
    b",2018,1000,10,,\n"
    b"Foutstad,twintig,1000,10,,\n"
    b"Foutstad,2019,1000,2000,,\n"
    b"Foutstad,2020,1000,30,31.2,\n"
    b"Foutstad,2021,,,31.0,5\n"
    b"Goedstad,2018,50000,1000,,\n"
)


def _read(content: bytes, name="f.csv"):
    return peers_read(io.BytesIO(content), name)


# --------------------------------------------------------------------------- rates (pure)


def test_per_1000_by_hand():
    assert rates.per_1000(7200, 231000) == Decimal("31.2")  # 31.168… → 31.2
    assert rates.per_1000(3125, 100000) == Decimal("31.3")  # exactly 31.25: half up
    assert rates.per_1000(0, 5) == Decimal("0.0")
    with pytest.raises(ValueError):
        rates.per_1000(1, 0)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2_000_000), st.integers(1, 10_000_000))
def test_per_1000_is_the_exact_fraction_rounded_half_up(count, population):
    # Independent: exact rational arithmetic, rounding by integer floor of (x·10 + ½).
    exact = Fraction(count * 1000, population)
    tenths = int((exact * 10 + Fraction(1, 2)) // 1)
    assert rates.per_1000(count, population) == Decimal(tenths) / 10


# --------------------------------------------------------------------------- reading


def test_the_g10_file_reads_as_fifty_rates():
    reading = _read(G10, "g10.csv")
    assert reading.problems == []
    assert reading.layout == "breed" and reading.municipalities == 10 and len(reading.rows) == 50
    eindhoven = {r.year: r.per_1000 for r in reading.rows if r.name == "Eindhoven"}
    assert eindhoven == {
        2014: Decimal("29.3"),
        2015: Decimal("30.3"),
        2016: Decimal("31.0"),
        2017: Decimal("32.6"),
        2018: Decimal("31.2"),
    }


def test_a_bad_file_reports_every_row_in_dutch():
    reading = _read(BAD, "slecht.csv")
    by_line = {}
    for p in reading.problems:
        by_line.setdefault(p.line, []).append(p.message)
    assert set(by_line) == {3, 4, 5, 6, 7, 8}
    assert "gemeente: verplicht veld is leeg" in by_line[3]
    assert any("'twintig' is geen geheel getal" in m for m in by_line[4])
    assert any("uitkeringen 2000 is meer dan inwoners 1000" in m for m in by_line[5])
    assert any("per_1000_inwoners 31,2 past niet bij" in m and "30,0" in m for m in by_line[6])
    assert any("uitstroom_naar_werk heeft uitkeringen" in m for m in by_line[7])
    assert any("Goedstad 2018 staat twee keer in het bestand (ook op regel 2)" in m for m in by_line[8])
    assert str(reading.problems[0]).startswith("slecht.csv:3: ")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "het bestand is leeg"),
        (b"naam,2018\nX,1\n", "verplichte kolom 'gemeente' ontbreekt"),
        (b"gemeente,jaar,inwonerz\nX,2018,5\n", "onbekende kolom 'inwonerz'"),
        (b"gemeente,jaar\nX,2018\n", "geen kolom met cijfers"),
        (b"gemeente,2018,totaal\nX,1,2\n", "kolom 'totaal' is geen jaar"),
        (b"gemeente,2018\n", "het bestand bevat geen cijfers"),
        (b"gemeente,2018\nX,1.234\n", "meer dan twee decimalen"),
        (b"gemeente,2018\nX,1001\n", "ligt niet tussen 0 en 1000"),
        ("gemeente,2018\nK\xf6ln,3\n".encode("latin-1"), "geen geldige UTF-8"),
        (b"PK\x03\x04rest", "Excel- of zip-bestand"),
        (b'gemeente,2018\n"X,3\n', "aanhalingsteken"),
    ],
)
def test_file_level_problems(content, message):
    reading = _read(content)
    assert any(message in p.message for p in reading.problems), [str(p) for p in reading.problems]


def test_a_decimal_comma_in_quotes_and_names_without_case():
    reading = _read(b'gemeente,2018\n"Den  Haag","51,2"\n')
    assert reading.problems == []
    assert reading.rows[0].name == "Den Haag" and reading.rows[0].per_1000 == Decimal("51.2")
    twice = _read(b"gemeente,2018\nDen Haag,1\nden haag,2\n")
    assert any("twee keer" in p.message for p in twice.problems)


def test_the_documented_columns_are_the_read_columns():
    names = [name for name, _ in COLUMNS]
    assert names == [
        "gemeente",
        "jaar",
        "inwoners",
        "uitkeringen",
        "per_1000_inwoners",
        "uitstroom_naar_werk",
    ]


# --------------------------------------------------------------------------- import (database)


@pytest.mark.django_db
def test_import_of_both_files_and_replacement():
    first = services.peers_import(content=G10, filename="g10.csv", source=selectors.EXAMPLE_SOURCE)
    assert first.created and PeerFigure.objects.count() == 50 and PeerMunicipality.objects.count() == 10
    second = services.peers_import(content=FULL, filename="vol.csv", source="Divosa-benchmark")
    assert second.peer_import.figures == 3 and second.peer_import.municipalities == 2
    assert PeerFigure.objects.count() == 52  # Eindhoven 2018 replaced, not doubled
    eindhoven = PeerFigure.objects.get(municipality__name="Eindhoven", year=2018)
    assert (eindhoven.population, eindhoven.benefits, eindhoven.per_1000) == (231000, 7200, None)
    assert eindhoven.source_import == second.peer_import
    shown = selectors.peer_year(eindhoven)
    assert shown.per_1000 == Decimal("31.2") and shown.computed  # 7200 / 231000 × 1000 = 31.17
    v2019 = selectors.peer_year(PeerFigure.objects.get(municipality__name="Voorbeeldstad", year=2019))
    assert v2019.per_1000 == Decimal("26.2")  # 2650 / 101000 × 1000 = 26.24
    assert v2019.outflow_rate == pytest.approx(300 / 2650)
    events = AuditEvent.objects.filter(event="peers_imported")
    assert events.count() == 2 and events.first().purpose == "vergelijking"


@pytest.mark.django_db
def test_a_bad_file_saves_nothing_and_is_audited_as_refused():
    with pytest.raises(services.PeerImportRefused) as refused:
        services.peers_import(content=BAD, filename="slecht.csv", source="test")
    assert len(refused.value.problems) >= 6
    assert not PeerImport.objects.exists() and not PeerMunicipality.objects.exists()
    assert not PeerFigure.objects.exists()  # Goedstad's good row neither
    event = AuditEvent.objects.get(event="peers_imported")
    assert event.details["uitkomst"] == "geweigerd"


@pytest.mark.django_db
def test_a_missing_source_is_refused():
    with pytest.raises(services.PeerImportRefused) as refused:
        services.peers_import(content=G10, filename="g10.csv", source="  ")
    assert "bron" in refused.value.problems[0].message
    assert not PeerFigure.objects.exists()


@pytest.mark.django_db
def test_a_double_submit_imports_once():
    key = "5b0c1f3e2d4a4b6c8d9e0f1a2b3c4d5e"
    user = UserFactory(role=Role.BELEID)
    one = services.peers_import(content=FULL, filename="vol.csv", source="x", user=user, submission_key=key)
    two = services.peers_import(content=FULL, filename="vol.csv", source="x", user=user, submission_key=key)
    assert one.created and not two.created and one.peer_import == two.peer_import
    assert PeerImport.objects.count() == 1 and PeerFigure.objects.count() == 3
    assert AuditEvent.objects.filter(event="peers_imported").count() == 1


@pytest.mark.django_db
def test_the_command_imports_and_refuses(tmp_path, capsys):
    good = tmp_path / "g10.csv"
    good.write_bytes(G10)
    call_command("monitor", "peers", "import", str(good), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out == {"imported": True, "import_id": out["import_id"], "municipalities": 10, "figures": 50}
    bad = tmp_path / "slecht.csv"
    bad.write_bytes(BAD)
    with pytest.raises(CommandError) as failed:
        call_command("monitor", "peers", "import", str(bad))
    assert failed.value.returncode == 1
    assert "slecht.csv:3: gemeente: verplicht veld is leeg" in capsys.readouterr().err
    assert PeerImport.objects.count() == 1 and PeerFigure.objects.count() == 50


# --------------------------------------------------------------------------- own figures


def _on_benefit(n: int, *, start: date, end: date | None = None, reason="werk", prefix="K"):
    for i in range(n):
        BenefitFactory(
            client=ClientFactory(client_id=f"{prefix}-{i:04d}"),
            start_date=start,
            end_date=end,
            end_reason=reason if end else "",
            regulation="pw",
        )


@pytest.mark.django_db
def test_own_per_1000_is_the_stock_at_the_end_of_the_year_over_the_presets_population():
    # 40 on benefit through 2020 and 2021, 12 of them leave for work in June 2021, 10 more
    # arrive in March 2021: stock on 1 January 2021 = 40, on 1 January 2022 = 38.
    _on_benefit(28, start=date(2019, 5, 1), prefix="A")
    _on_benefit(12, start=date(2019, 5, 1), end=date(2021, 6, 15), prefix="B")
    _on_benefit(10, start=date(2021, 3, 10), prefix="C")
    population = selectors.peers_settings().population
    assert population == 78_000  # the default preset (Leidschendam-Voorburg)
    own = {o.year: o for o in selectors.own_figures(years=[2020, 2021, 2022], today=date(2022, 6, 1))}
    assert set(own) == {2020, 2021}  # 2022 is not complete
    assert own[2020].stock == 40 and own[2021].stock == 38
    # By hand: 40 / 78,000 × 1,000 = 0.5128… → 0.5; 38 / 78,000 × 1,000 = 0.4871… → 0.5
    assert own[2020].per_1000 == Decimal("0.5") and own[2021].per_1000 == Decimal("0.5")
    assert own[2021].outflow_to_work == 12
    # Mean of the month-start stocks of 2021: Jan-Mar 40, Apr-Jun 50, Jul-Dec 38 → 498 / 12.
    assert own[2021].outflow_rate == pytest.approx(12 / (498 / 12))


@pytest.mark.django_db
def test_the_population_is_the_stored_active_presets():
    preset = PolicyPreset.objects.get(key="hof_van_twente")
    assert selectors.peers_settings().population == 78_000
    PolicyPreset.objects.filter(active=True).update(active=False)
    preset.active = True
    preset.config = {k: v for k, v in preset.config.items() if k != "peers"}
    preset.save()
    assert selectors.peers_settings().population == 35_000  # its shipped value
    preset.config = {**preset.config, "peers": {"population": 1000}}
    preset.save()
    assert selectors.peers_settings().population == 1000
    _on_benefit(31, start=date(2019, 1, 1))
    own = selectors.own_figures(years=[2020], today=date(2021, 1, 1))
    assert own[0].per_1000 == Decimal("31.0")


# --------------------------------------------------------------------------- page


@pytest.fixture
def imported(db):
    services.peers_import(content=G10, filename="g10.csv", source=selectors.EXAMPLE_SOURCE)
    services.peers_import(content=FULL, filename="vol.csv", source="Divosa-benchmark")
    _on_benefit(39, start=date(2016, 1, 1))


@pytest.mark.parametrize(
    "role", [Role.CONSULENT_WERK, Role.AANBIEDER, Role.INWONER, Role.CONTRACTMANAGER, Role.BEHEERDER]
)
@pytest.mark.django_db
def test_others_may_not_see_the_comparison(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("peers:index")).status_code == 403


@pytest.mark.parametrize("role", [Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.AANBIEDER, Role.INWONER])
@pytest.mark.django_db
def test_others_may_not_import(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("peers:import")).status_code == 403
    upload = SimpleUploadedFile("g10.csv", G10, content_type="text/csv")
    assert client.post(reverse("peers:import"), {"file": upload, "source": "x"}).status_code == 403
    assert not PeerImport.objects.exists()


@pytest.mark.django_db
def test_the_anonymous_go_to_the_login(client):
    assert client.get(reverse("peers:index")).status_code == 302


@pytest.mark.parametrize("role", [Role.BELEID, Role.TEAMLEIDER])
def test_the_page_shows_own_and_peers_with_chart_and_tables(client, imported, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("peers:index"), {"year_from": "2016", "year_to": "2019"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'class="band"' in page and "Mediaan van de vergelijkingsgemeenten" in page
    assert 'id="tabel-per-1000"' in page and 'id="tabel-uitstroom"' in page
    # Own, 2018: 39 on benefit on 1 January 2019 / 78,000 × 1,000 = 0.5
    assert '<th scope="row">2018</th><td class="num">0,5</td><td class="num">39</td>' in page
    # Median of 2018 over the ten G10 figures (Eindhoven's now 31.2 computed) and Voorbeeldstad 27.0:
    values = sorted([31.2, 50.7, 63.2, 51.2, 30.3, 33.1, 51.2, 29.9, 27.0, 41.6, 27.0])
    assert f'<td class="num">{str(values[5]).replace(".", ",")}</td>' in page
    assert "11,5%" in page  # Voorbeeldstad's outflow to work in 2018: 310 / 2700
    # SVG coordinates are never localised (a decimal comma would break the drawing).
    points = re.findall(r'<polyline points="([^"]*)"', page)
    assert points and all(re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+)*", p) for p in points)
    assert not re.search(r'<(?:text|line|circle)[^>]* (?:x|y|x1|y1|cx|cy)="\d+,\d', page)


def test_the_table_downloads_as_csv_and_xlsx_and_is_audited(client, imported):
    user = UserFactory(role=Role.BELEID)
    client.force_login(user)
    response = client.get(reverse("peers:index"), {"year_from": "2014", "year_to": "2019", "formaat": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="vergelijking-2014-2019.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["gemeente", "jaar", "uitkeringen per 1.000 inwoners"]
    assert len(rows) == 1 + 6 + 52  # own 2014-2019, every peer figure
    breda = next(r for r in rows if r[0] == "Breda" and r[1] == "2018")
    assert breda[2] in ("27,0", "27.0", "27")
    event = AuditEvent.objects.get(event="export_made", user=user)
    assert event.purpose == "vergelijking" and event.details["formaat"] == "CSV"
    xlsx = client.get(reverse("peers:index"), {"formaat": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(event="export_made", user=user).count() == 2


@pytest.mark.django_db
def test_small_own_counts_are_hidden_for_beleid(client):
    _on_benefit(3, start=date(2016, 1, 1))
    client.force_login(UserFactory(role=Role.BELEID))
    page = client.get(reverse("peers:index"), {"year_from": "2018", "year_to": "2018"}).content.decode()
    assert '<th scope="row">2018</th><td class="num">&lt;5</td><td class="num">&lt;5</td>' in page
    client.force_login(UserFactory(role=Role.TEAMLEIDER))
    page = client.get(reverse("peers:index"), {"year_from": "2018", "year_to": "2018"}).content.decode()
    assert '<td class="num">0,0</td><td class="num">3</td>' in page


@pytest.mark.django_db
def test_bad_years_are_a_dutch_message(client):
    client.force_login(UserFactory(role=Role.BELEID))
    response = client.get(reverse("peers:index"), {"year_from": "2019", "year_to": "2015"})
    assert response.status_code == 400
    assert "ligt voor" in response.content.decode()


@pytest.mark.parametrize("role", [Role.BELEID, Role.BEHEERDER])
@pytest.mark.django_db
def test_the_page_imports_once_and_refuses_a_bad_file(client, role):
    client.force_login(UserFactory(role=role))
    form = client.get(reverse("peers:import"))
    assert form.status_code == 200 and "per_1000_inwoners" in form.content.decode()
    key = form.context["form"].initial["submission_key"]
    for _ in range(2):
        upload = SimpleUploadedFile("g10.csv", G10, content_type="text/csv")
        response = client.post(
            reverse("peers:import"), {"file": upload, "source": "CBS", "submission_key": key}
        )
        assert response.status_code == 302
    assert PeerImport.objects.count() == 1 and PeerFigure.objects.count() == 50
    upload = SimpleUploadedFile("slecht.csv", BAD, content_type="text/csv")
    response = client.post(
        reverse("peers:import"), {"file": upload, "source": "CBS", "submission_key": "a" * 32}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Niets ingelezen" in page and "regel 3: gemeente: verplicht veld is leeg" in page
    assert PeerImport.objects.count() == 1 and PeerFigure.objects.count() == 50


@pytest.mark.django_db
def test_the_example_is_loaded_once():
    assert services.peers_example_import() is not None
    assert services.peers_example_import() is None
    assert PeerFigure.objects.count() == 50
