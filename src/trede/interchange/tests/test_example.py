"""The example folder of the format (docs/interchange/voorbeeld-v2) imports all or
nothing, holds every file of the format, and gives the figures its README computes by
hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from trede.interchange.schema import FILES

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[4] / "docs" / "interchange" / "voorbeeld-v2"


@pytest.fixture
def imported(capsys):
    call_command("import", str(EXAMPLE))
    return capsys.readouterr().err


@pytest.fixture
def run(capsys):
    """A command's --json object (the commands write to standard output themselves)."""

    def run(*args) -> dict:
        capsys.readouterr()
        call_command(*args, "--json")
        return json.loads(capsys.readouterr().out)

    return run


def test_the_example_has_every_file_and_every_column():
    for spec in FILES:
        header = (EXAMPLE / spec.filename).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [c.name for c in spec.all_columns], spec.filename
    assert sorted(p.name for p in EXAMPLE.glob("*.csv")) == sorted(s.filename for s in FILES)


def test_the_example_imports_with_the_one_warning_its_readme_names(imported, run):
    assert "Import geslaagd: 62 regels gelezen, 62 nieuw, 0 bijgewerkt, 1 waarschuwing(en)" in imported
    assert "consultants.csv: waarschuwing: consulent 'CON3' is onbekend en wordt aangemaakt" in imported
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "62 regels, 1 waarschuwing" in readme


def test_the_stock_as_computed_by_hand(imported, run):
    stock = run("monitor", "stock", "--as-of", "2025-01-01")
    assert stock["total"] == 5
    assert stock["by_age_band"] == {"<=20": 1, "21-30": 1, "31-40": 1, "41-50": 1, "51-60": 0, ">=61": 1}
    assert stock["by_duration_band"] == {"<1": 2, "1-3": 1, "3-5": 0, ">=5": 2}
    assert stock["by_household"] == {
        "alleenstaand": 3,
        "alleenstaande_ouder": 1,
        "gehuwd_samenwonend": 0,
        "overig": 0,
        "onbekend": 1,
    }
    assert stock["by_ladder_step"] == {"1": 0, "2": 2, "3": 0, "4": 1, "5": 0, "6": 0, "onbekend": 2}
    both = run("monitor", "stock", "--as-of", "2025-01-01", "--regulations", "pw,ioaw")
    assert (both["total"], both["by_age_band"][">=61"], both["by_duration_band"]["1-3"]) == (6, 2, 2)
    assert (both["by_household"]["gehuwd_samenwonend"], both["by_ladder_step"]["onbekend"]) == (1, 3)
    # The day before K006's first day without benefit, K006 is still there.
    assert run("monitor", "stock", "--as-of", "2024-12-31")["total"] == 5
    assert run("monitor", "stock", "--as-of", "2023-12-31")["total"] == 5


def test_the_flows_as_computed_by_hand(imported, run):
    flows = run("monitor", "flows", "--from", "2024-01-01", "--to", "2025-01-01", "--period", "year")
    (year,) = flows["periods"]
    assert (year["period"], year["inflow"], year["outflow_total"]) == ("2024", 1, 1)
    assert year["outflow"]["werk"] == 1
    assert sum(year["outflow"].values()) == 1
    assert flows["outflow_to_work_rate"]["2024"] == pytest.approx(12 / 65)


def test_the_instruments_and_the_budget_as_computed_by_hand(imported, run):
    report = run("instruments", "report", "--from", "2024-01-01", "--to", "2025-01-01")
    rows = {r["instrument_code"]: r for r in report["rows"]}
    assert set(rows) == {"JC", "TS"}
    jc, ts = rows["JC"], rows["TS"]
    assert (jc["referrals"], jc["no_shows"], jc["starts"], jc["ended"], jc["successes"]) == (3, 0, 3, 3, 2)
    assert (jc["cost_eur"], jc["cost_per_success_eur"]) == (3400.0, 1700.0)
    assert (ts["referrals"], ts["no_shows"], ts["starts"], ts["success_rate"]) == (1, 1, 0, None)
    budget = run("budget", "report", "--year", "2024", "--as-of", "2025-01-01")
    spent = {line["line"]: line["spent_eur"] for line in budget["lines"]}
    assert spent == {"uitkeringen": 2500.0, "trajecten": 1900.0, "loonkostensubsidie": 850.0}
    assert budget["by_funding"]["buig"]["spent_eur"] == 3350.0
    assert budget["by_funding"]["buig"]["budget_eur"] == 280000.0
    assert budget["by_funding"]["reintegratiebudget"] == {
        "budget_eur": 20000.0,
        "spent_eur": 1900.0,
        "forecast_eur": 1900.0,
    }
