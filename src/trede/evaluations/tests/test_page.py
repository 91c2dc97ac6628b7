"""The 'Wat werkt voor wie' pages: roles, small-cell suppression, CSV, client decision support."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from trede.audit.models import AuditEvent
from trede.evaluations.models import EffectEstimate, EffectRun
from trede.evaluations.selectors import client_segments, recommendations
from trede.instruments.models import Instrument
from trede.tests_e2e.world import build_world

A = "KA0001"  # Sanne's client: born 1990, trede 3, a running placement (geplaatst)
B = "KB0002"  # Bob's client


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.fixture
def run(db):
    run = EffectRun.objects.create(
        horizon_months=12,
        first_start_month="2021-01",
        last_start_month="2024-12",
        data_until=date(2026, 1, 1),
        method="aipw",
        n_instruments=3,
        duration_seconds=2.0,
    )
    wep = Instrument.objects.update_or_create(
        instrument_code="WEP", defaults={"name": "Werkervaringsplaats"}
    )[0]
    jc = Instrument.objects.update_or_create(instrument_code="JC", defaults={"name": "Jobcoaching"})[0]

    def add(code, inst, est, n, dim="", level="", **flags):
        return EffectEstimate.objects.create(
            run=run,
            instrument=inst,
            instrument_code=code,
            dimension=dim,
            level=level,
            estimate=est,
            ci_low=None if est is None else est - 0.03,
            ci_high=None if est is None else est + 0.03,
            n_treated=n,
            n_control=5000,
            **flags,
        )

    add("WEP", wep, 0.05, 400)
    add("JC", jc, 0.08, 300)
    add("SKILLS", None, 0.037, 7, small_n=True)  # a small cell overall
    add("LKS", None, None, 3, small_n=True)
    # Segments: WEP is better for geplaatst, JC better for statushouders (must not matter).
    add("WEP", wep, 0.15, 120, "client_group", "geplaatst")
    add("JC", jc, 0.02, 90, "client_group", "geplaatst")
    add("WEP", wep, 0.01, 50, "statushouder", "1")
    add("JC", jc, 0.40, 50, "statushouder", "1")
    add("WEP", wep, 0.06, 60, "ladder_step", "3")
    add("JC", jc, 0.09, 6, "ladder_step", "3", small_n=True)  # small: falls back to overall
    add("WEP", wep, 0.5, 4, "age_band", ">=61", small_n=True)
    return run


def login(client, world, key):
    client.force_login(world.user(key))


@pytest.mark.parametrize(
    "key,status", [("beleid", 200), ("sanne", 200), ("tl_noord", 200), ("beheerder", 200), ("am", 403)]
)
def test_page_roles(world, run, client, key, status):
    login(client, world, key)
    assert client.get(reverse("evaluations:index")).status_code == status
    assert client.get(reverse("evaluations:instrument", args=["WEP"])).status_code == status
    assert client.get(reverse("evaluations:export")).status_code == status


def test_inwoner_and_anonymous_are_refused(world, run, client):
    assert client.get(reverse("evaluations:index")).status_code == 302  # to the login page
    client.force_login(world.user("inwoner_a"))
    assert client.get(reverse("evaluations:index")).status_code == 403


def test_table_shows_intervals_flags_chart_and_meaning(world, run, client):
    login(client, world, "sanne")
    page = client.get(reverse("evaluations:index")).content.decode()
    assert "Werkervaringsplaats" in page and "+5,0 %-punt" in page and "+2,0 %-punt tot +8,0 %-punt" in page
    assert "<svg" in page and "weinig starts" in page
    assert "Geen experiment" in page
    detail = client.get(reverse("evaluations:instrument", args=["WEP"])).content.decode()
    assert "kwamen binnen 12 maanden 5,0 %-punt vaker aan werk dan vergelijkbare klanten" in detail
    assert "Geplaatst" in detail and "Statushouder" in detail
    assert "niet zijn geregistreerd" in detail


def test_small_cells_suppressed_for_beleid_only(world, run, client):
    login(client, world, "beleid")
    page = client.get(reverse("evaluations:index")).content.decode()
    assert "+3,7 %-punt" not in page and "niet getoond" in page
    detail = client.get(reverse("evaluations:instrument", args=["WEP"])).content.decode()
    assert "+50,0 %-punt" not in detail
    login(client, world, "sanne")
    assert "+3,7 %-punt" in client.get(reverse("evaluations:index")).content.decode()


def test_csv_export(world, run, client):
    login(client, world, "beleid")
    response = client.get(reverse("evaluations:export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_code = {r["instrument"]: r for r in rows}
    assert by_code["JC"]["effect_procentpunt"] == "8,00" and by_code["JC"]["starts"] == "300"
    # 7 starts: the estimate is hidden (fewer than 10), the count is not small (1-4).
    assert by_code["SKILLS"]["effect_procentpunt"] == "" and by_code["SKILLS"]["starts"] == "7"
    assert by_code["LKS"]["starts"] == "<5"
    assert "3" not in by_code["LKS"].values()
    assert [r["instrument"] for r in rows][:2] == ["JC", "WEP"]
    assert AuditEvent.objects.filter(action="export", object_type="effect_run", client_id="").count() == 1


def test_client_advice_for_own_caseload_only(world, run, client):
    login(client, world, "sanne")
    response = client.get(reverse("evaluations:client", args=[A]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit is een hulpmiddel bij uw afweging, geen besluit." in page
    assert page.index("Werkervaringsplaats") < page.index("Jobcoaching")  # segment beats overall
    event = AuditEvent.objects.get(action="read", client_id=A)
    assert event.section == "diagnose" and event.event == "effects_advice_read"
    # Bob's client is not in Sanne's scope: 403 with the waarneming form (as the file).
    refused = client.get(reverse("evaluations:client", args=[B]))
    assert refused.status_code == 403 and "Waarneming aanvragen" in refused.content.decode()
    assert AuditEvent.objects.filter(action="denied", client_id=B).exists()
    # Policy staff never see a client.
    login(client, world, "beleid")
    assert client.get(reverse("evaluations:client", args=[A])).status_code == 403


def test_ranking_ignores_statushouder(world, run):
    a = world.clients["A"]
    ranks = []
    for value in (False, True, None):
        a.statushouder = value
        a.save()
        segments = client_segments(a, date(2025, 6, 1))
        assert "statushouder" not in segments
        ranked, without = recommendations(run, segments)
        ranks.append([(r.instrument_code, round(r.score, 6)) for r in ranked])
        assert [w.instrument_code for w in without] == ["LKS"]
    assert ranks[0] == ranks[1] == ranks[2]
    assert ranks[0][0][0] == "WEP"
    # Even a segments dict that carries statushouder is not used for ranking.
    with_sh = recommendations(run, {**client_segments(a, date(2025, 6, 1)), "statushouder": "1"})[0]
    assert [(r.instrument_code, round(r.score, 6)) for r in with_sh] == ranks[0]


def test_client_segments_and_fallback(world, run):
    segments = client_segments(world.clients["A"], date(2025, 6, 1))
    assert segments == {
        "age_band": "31-40",
        "duration_band": "1-3",
        "ladder_step": "3",
        "client_group": "geplaatst",
    }
    ranked, _ = recommendations(run, segments)
    jc = next(r for r in ranked if r.instrument_code == "JC")
    ladder = next(f for f in jc.figures if f.dimension == "ladder_step")
    assert ladder.fallback and ladder.used.estimate == pytest.approx(0.08)


def test_navigation_item(world, run, client):
    login(client, world, "beleid")
    assert "Wat werkt voor wie" in client.get(reverse("evaluations:index")).content.decode()
    login(client, world, "am")
    home = client.get(reverse("portal:home")).content.decode()
    assert "Wat werkt voor wie" not in home


def test_xlsx_export_has_the_same_rules(world, run, client):
    from openpyxl import load_workbook

    login(client, world, "beleid")
    response = client.get(reverse("evaluations:export"), {"formaat": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, rows = values[0], values[1:]
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert float(by_code["JC"]["effect_procentpunt"]) == 8.0 and by_code["JC"]["starts"] == 300
    assert by_code["LKS"]["starts"] == "<5" and by_code["SKILLS"]["effect_procentpunt"] is None


def test_counts_of_1_to_4_read_lt5_for_beleid_with_secondary_suppression(world, run, client):
    """LKS has 3 starts and WEP's age band >=61 has 4: both read `<5` for beleid only.
    (Secondary suppression within a dimension is tested on `protect` itself.)"""
    login(client, world, "beleid")
    page = client.get(reverse("evaluations:index")).content.decode()
    assert '<td class="num">&lt;5</td>' in page  # LKS: 3 starts
    assert '<td class="num">3</td>' not in page
    detail = client.get(reverse("evaluations:instrument", args=["WEP"])).content.decode()
    assert '<td class="num">4</td>' not in detail and "&lt;5" in detail
    login(client, world, "sanne")
    assert '<td class="num">3</td>' in client.get(reverse("evaluations:index")).content.decode()


def test_trimmed_starters_of_1_to_4_read_lt5_for_beleid(world, run, client):
    wep = EffectEstimate.objects.get(run=run, instrument_code="WEP", dimension="")
    wep.diagnostics = {"overlap": {"n_trimmed_treated": 2, "share_trimmed_treated": 0.005}}
    wep.save()
    login(client, world, "beleid")
    detail = client.get(reverse("evaluations:instrument", args=["WEP"])).content.decode()
    assert "&lt;5 van de starters hadden geen" in detail and "0,5 %" not in detail
    login(client, world, "sanne")
    detail = client.get(reverse("evaluations:instrument", args=["WEP"])).content.decode()
    assert "2 van de starters (0,5 %) hadden geen" in detail
