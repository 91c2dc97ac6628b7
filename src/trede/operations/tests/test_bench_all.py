"""`trede bench all`: the parts' own JSON reports become one headline of goals.

The parts themselves are the benchmark commands with their own tests; here the wiring
(which command each part runs, with which city and database) and the verdicts are tested,
with the parts' reports in the shape those commands write."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trede.operations import bench_all


def _monitor(stock_ratio: float, flows_ratio: float, identical: bool = True) -> dict:
    def figure(name, ratio):
        return {
            "name": name,
            "median_seconds": 0.01 * ratio,
            "plain_duckdb_median_seconds": 0.01,
            "plain_ratio": ratio,
            "identical": True,
        }

    return {
        "databases": [
            {
                "name": "postgresql",
                "identical": identical,
                "figures": [
                    figure("stock 2020-01-01 pw", 0.5),
                    figure("stock 2021-07-01 pw", stock_ratio),
                    figure("flows month 2017..2026 pw", flows_ratio),
                    figure("flows quarter 2017..2026 pw", 1.0),
                ],
                "commands": [
                    {
                        "name": "trede monitor stock (x)",
                        "seconds": 0.9,
                        "plain_duckdb_seconds": 0.3,
                        "ratio": 3.0,
                    },
                    {
                        "name": "trede monitor flows (x)",
                        "seconds": 1.5,
                        "plain_duckdb_seconds": 0.3,
                        "ratio": 5.0,
                    },
                ],
            }
        ]
    }


PARTS = {
    "startup": {"seconds": 0.45, "python_seconds": 0.015},
    "monitor": _monitor(2.5, 4.0),
    "import": {
        "databases": [
            {
                "name": "postgresql",
                "import": {"rows_per_second": 25_000.0, "peak_rss_mb": 700.0},
                "peer": {"rows_per_second": 1_200_000.0},
                "ratio": 48.0,
            }
        ]
    },
    "dashboard": {"goals": [{"goal": "koud < 1 s", "seconds": 0.4, "met": True}]},
    "load": {
        "database": "postgresql",
        "users": 50,
        "errors": 0,
        "server_cpu_ms_per_request": 30.0,
        "pages": [
            {"page": "Inloggen (wachtwoord)", "p95_ms": 3000.0, "errors": 0},
            {"page": "Mijn klanten", "p95_ms": 120.0, "errors": 0},
            {"page": "Klantdossier", "p95_ms": 200.0, "errors": 0},
        ],
        "bench_caseload": {
            "pages": [
                {"label": "Mijn klanten", "p95_ms": 40.0, "cpu_ms": 8.0},
                {"label": "Klantdossier", "p95_ms": 50.0, "cpu_ms": 25.0},
            ]
        },
    },
    "effects": {
        "econml": True,
        "timing": {"trede_seconds": 5.0, "econml_seconds": 50.0, "ratio_econml_trede": 10.0},
        "accuracy": {
            "trede": {"covered": 13, "intervals": 13},
            "common": {
                "instruments": 13,
                "trede": {"mean_abs_error": 0.008},
                "econml": {"mean_abs_error": 0.058},
            },
        },
    },
    "match": {
        "clients": 35_000,
        "top": {"n": 20, "engine_s": 0.009, "baseline_s": 0.001, "ratio": 9.0},
        "assign": {"vacancies": 2000, "engine_s": 17.0, "baseline_s": 3.5, "ratio": 4.9},
        "quality": {"engine_top10_share": 0.30, "skill_overlap_top10_share": 0.01},
    },
}


def _verdicts(rows: list[dict]) -> dict[tuple[str, str], object]:
    return {(r["part"], r["what"]): r["met"] for r in rows}


def test_each_goal_is_judged_on_the_figure_the_part_measured():
    rows = bench_all.headline(PARTS)
    met = _verdicts(rows)
    assert met[("start-up", "trede monitor stock, hele opdracht, lege database")] is False
    # The slowest stock query (2.5×) is within 3×, the slowest flows query (4×) is not.
    assert met[("monitor postgresql", "query stock 2021-07-01 pw (traagste verhouding)")] is True
    assert met[("monitor postgresql", "query flows month 2017..2026 pw (traagste verhouding)")] is False
    assert met[("monitor postgresql", "trede monitor stock (x)")] is True
    assert met[("monitor postgresql", "trede monitor flows (x)")] is False
    assert met[("import postgresql", "rijen per seconde")] is False
    assert met[("import postgresql", "piekgeheugen")] is True
    assert met[("dashboard postgresql", "traagste weergave")] is True
    assert met[("pagina's postgresql", "Mijn klanten: p95 bij 50 consulenten")] is True
    assert met[("pagina's postgresql", "Klantdossier: p95 bij 50 consulenten")] is False
    assert met[("pagina's postgresql", "Mijn klanten: server-CPU per verzoek, één gebruiker")] is True
    assert met[("pagina's postgresql", "Klantdossier: server-CPU per verzoek, één gebruiker")] is False
    assert met[("effecten", "13 instrumenten schatten")] is True
    assert met[("effecten", "gemiddelde absolute fout (zelfde instrumenten)")] is True
    assert met[("matching", "top-20 voor één vacature onder 35,000 cliënten")] is False
    assert met[("matching", "aangenomen kandidaat in de top 10")] is True
    # The login page is not one of the goal's pages.
    assert not any("Inloggen" in r["what"] for r in rows)


def test_the_ratios_are_against_the_peer_of_the_same_run():
    rows = {(r["part"], r["what"]): r for r in bench_all.headline(PARTS)}
    page = rows[("pagina's postgresql", "Klantdossier: p95 bij 50 consulenten")]
    assert page["peer"] == 50.0 and page["ratio"] == pytest.approx(4.0)
    effects = rows[("effecten", "13 instrumenten schatten")]
    assert effects["ratio"] == pytest.approx(0.1)  # Trede's time over EconML's
    accuracy = rows[("effecten", "gemiddelde absolute fout (zelfde instrumenten)")]
    assert accuracy["value"] == 0.008 and accuracy["peer"] == 0.058


def test_figures_that_differ_from_duckdb_fail_the_monitor():
    rows = bench_all.headline({"monitor": _monitor(1.0, 1.0, identical=False)})
    assert _verdicts(rows)[("monitor postgresql", "alle cijfers gelijk aan de DuckDB-referentie")] is False


def test_without_econml_the_speed_goal_is_not_judged():
    effects = {
        "econml": False,
        "timing": {"trede_seconds": 4.0},
        "accuracy": {"trede": {"covered": 1, "intervals": 1}},
    }
    rows = bench_all.headline({"effects": effects})
    assert rows[0]["met"] is None and "EconML niet gemeten" in rows[0]["what"]


def test_run_all_gives_every_part_the_one_city_and_database_and_keeps_going_after_a_failure(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(bench_all.subprocess, "run", lambda *a, **k: None)  # the scratch migrate
    seen: dict[str, tuple[list[str], dict]] = {}

    def runner(command, env):
        part = command[4] if command[3] == "bench" else "effects"
        seen[part] = (command, env)
        if part == "import":
            return None, "exitcode 1, geen JSON-uitvoer", 1.0
        return dict(PARTS[part]), None, 2.0

    @contextmanager
    def postgres(options):
        yield "postgresql://bench@localhost/server"

    city = tmp_path / "city_c100_y2_s3"
    options = {
        "parts": list(bench_all.PARTS),
        "clients": 100,
        "years": 2,
        "seed": 3,
        "repeat": 1,
        "load_users": 5,
        "load_seconds": 10,
        "match_clients": 500,
        "match_vacancies": 20,
        "postgres_url": None,
        "no_postgres": False,
    }
    report = bench_all.run_all(
        options,
        tmp_path,
        runner=runner,
        timer=lambda command, env, repeat: 0.2,
        city=lambda workdir, opts: city,
        postgres=postgres,
    )
    for part in ("monitor", "import", "dashboard"):
        command = seen[part][0]
        assert command[command.index("--folder") + 1] == str(city)
        assert command[command.index("--postgres-url") + 1] == "postgresql://bench@localhost/server"
    effects = seen["effects"][0]
    assert effects[effects.index("--work-dir") + 1] == str(tmp_path)  # where the city was generated
    assert seen["load"][1]["DATABASE_URL"] == "postgresql://bench@localhost/server"
    assert seen["match"][1]["DATABASE_URL"] == f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    assert report["failed"] == {"import": "exitcode 1, geen JSON-uitvoer"}
    assert set(report["parts"]) == {"startup", "monitor", "dashboard", "load", "effects", "match"}
    assert not any(r["part"].startswith("import") for r in report["headline"])
    text = bench_all.render(report)
    assert "import: MISLUKT" in text and "trede monitor flows (x)" in text


def test_unknown_parts_are_refused_with_the_choices():
    with pytest.raises(CommandError, match="onbekend snelheid; kies uit startup"):
        call_command("bench", "all", "--parts", "monitor,snelheid")
