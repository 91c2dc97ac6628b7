"""`trede bench all`: every benchmark of issue 13 in one run, as ratios against its peers.

Each part is the project's own benchmark command run as a subprocess with `--json`
(`trede bench monitor`, `import`, `dashboard`, `load`, `match`, `trede bench_effects --city`),
so the figures here are exactly those commands' figures and nothing is measured twice in
two ways. One synthetic city is generated once (in the folder `bench_effects` reuses) and
given to the monitor, import and dashboard parts with `--folder`; one PostgreSQL server
(temporary, or `--postgres-url`) serves every part, each in a fresh database. Start-up is
`trede monitor stock` as a whole command on an empty migrated SQLite database, so its own
work is next to nothing and the time is what a command costs before it starts.

The headline table gives per goal of issue 13 the measured figure, its peer in the same
run, the ratio and whether the goal is met; the full reports of the parts are in `--json`.
A part that fails is reported as failed with the tail of its error and the rest still runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from trede.operations.process import trede_command as trede

PARTS = ("startup", "monitor", "import", "dashboard", "load", "effects", "match")

# The goals of issue 13 (and issue 10 point 9 for matching), in one place for this report.
STARTUP_GOAL_SECONDS = 0.3
MONITOR_GOAL_RATIO = 3.0
IMPORT_GOAL_ROWS_PER_SECOND = 50_000
IMPORT_GOAL_PEAK_MB = 1024
LOAD_GOAL_P95_MS = 150.0
PAGE_GOAL_CPU_MS = 10.0
EFFECTS_GOAL_SPEEDUP = 5.0
MATCH_TOP_GOAL_RATIO = 3.0
MATCH_ASSIGN_GOAL_RATIO = 2.0
LOAD_PAGES = ("Mijn klanten", "Werklijst", "Klantdossier")


def log(message: str) -> None:
    sys.stderr.write(f"[bench all] {message}\n")
    sys.stderr.flush()


def run_json(command: list[str], env: dict[str, str]) -> tuple[dict | None, str | None, float]:
    """Run one part; its stdout is one JSON object even when it exits 1 (figures differ).
    Its progress on stderr goes straight through, so a long run shows where it is."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - started
    try:
        return json.loads(done.stdout), None, seconds
    except json.JSONDecodeError:
        return None, f"exitcode {done.returncode}, geen JSON-uitvoer", seconds


def median_seconds(command: list[str], env: dict[str, str], repeat: int) -> float:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


# --- the parts ------------------------------------------------------------------------------


def part_commands(options: dict, folder: Path, workdir: Path, postgres_url: str | None) -> dict:
    """The command line of every part (a function of its own so tests can check the wiring)."""
    pg = ["--postgres-url", postgres_url] if postgres_url else ["--no-postgres"]
    repeat = ["--repeat", str(options["repeat"])]
    return {
        "monitor": trede("bench", "monitor", "--folder", str(folder), *pg, *repeat, "--json"),
        "import": trede("bench", "import", "--folder", str(folder), *pg, "--json"),
        "dashboard": trede("bench", "dashboard", "--folder", str(folder), *pg, *repeat, "--json"),
        "load": trede(
            "bench",
            "load",
            "--users",
            str(options["load_users"]),
            "--seconds",
            str(options["load_seconds"]),
            "--json",
        ),
        "effects": trede(
            "bench_effects",
            "--city",
            "--clients",
            str(options["clients"]),
            "--years",
            str(options["years"]),
            "--seed",
            str(options["seed"]),
            "--work-dir",
            str(workdir),
            "--no-progress",
            "--json",
        ),
        "match": trede(
            "bench",
            "match",
            "--clients",
            str(options["match_clients"]),
            "--vacancies",
            str(options["match_vacancies"]),
            "--json",
        ),
    }


def run_all(
    options: dict,
    workdir: Path,
    *,
    runner: Callable[[list[str], dict[str, str]], tuple[dict | None, str | None, float]] = run_json,
    timer: Callable[[list[str], dict[str, str], int], float] = median_seconds,
    city: Callable[[Path, dict], Path] | None = None,
    postgres: Callable[[dict], object] | None = None,
) -> dict:
    parts = options["parts"]
    report: dict = {
        "clients": options["clients"],
        "years": options["years"],
        "seed": options["seed"],
        "parts": {},
        "failed": {},
        "cpus": os.cpu_count(),
    }
    folder = (city or _city)(workdir, options)
    report["folder"] = str(folder)
    scratch = workdir / "scratch.sqlite3"
    base_env = os.environ | {"PYTHONUNBUFFERED": "1"}
    scratch_env = base_env | {"DATABASE_URL": f"sqlite:///{scratch}"}
    if "startup" in parts or "match" in parts:
        # Matching reads the policy preset, start-up needs tables to answer from: one
        # migrated, empty SQLite file serves both.
        log("lege SQLite-database migreren (start-up en matching)")
        subprocess.run(trede("migrate", "--no-input", "-v0"), env=scratch_env, check=True)
    with (postgres or _postgres)(options) as postgres_url:
        report["postgresql"] = "ja" if postgres_url else "nee"
        commands = part_commands(options, folder, workdir, postgres_url)
        for part in PARTS:
            if part not in parts:
                continue
            started = time.perf_counter()
            if part == "startup":
                log("start-up: trede monitor stock op een lege database")
                command = trede("monitor", "stock", "--as-of", "2025-01-01", "--json")
                report["parts"]["startup"] = {
                    "command": "trede monitor stock --as-of 2025-01-01 --json (lege database)",
                    "seconds": timer(command, scratch_env, options["repeat"]),
                    "python_seconds": timer([sys.executable, "-c", "pass"], scratch_env, options["repeat"]),
                }
                report["parts"]["startup"]["wall_seconds"] = time.perf_counter() - started
                continue
            log(f"{part}: {' '.join(commands[part][2:])}")
            env = scratch_env if part == "match" else base_env
            if part == "load":
                env = base_env | {"DATABASE_URL": postgres_url} if postgres_url else scratch_env
            found, error, seconds = runner(commands[part], env)
            if found is None:
                report["failed"][part] = error
                log(f"{part} mislukt: {error}")
                continue
            found["wall_seconds"] = seconds
            report["parts"][part] = found
    report["load_average"] = list(os.getloadavg())
    report["headline"] = headline(report["parts"])
    return report


def _city(workdir: Path, options: dict) -> Path:
    from trede.effects.benchmark import city_folder

    log(f"stad genereren: {options['clients']} cliënten, {options['years']} jaar, seed {options['seed']}")
    folder, _ = city_folder(workdir, clients=options["clients"], years=options["years"], seed=options["seed"])
    return folder


@contextmanager
def _postgres(options: dict) -> Iterator[str | None]:
    from trede.monitor.management.commands.bench import pg_bindir, temporary_postgres

    if options["no_postgres"]:
        yield None
        return
    if options["postgres_url"]:
        yield options["postgres_url"]
        return
    bindir = pg_bindir()
    if bindir is None:
        log("geen PostgreSQL-serverprogramma's: alleen SQLite")
        yield None
        return
    log(f"tijdelijke PostgreSQL-server starten ({bindir})")
    with temporary_postgres(bindir) as url:
        yield url


# --- the headline ---------------------------------------------------------------------------


def _row(
    part: str,
    what: str,
    value,
    unit: str,
    peer=None,
    peer_name: str = "",
    ratio=None,
    goal: str = "",
    met=None,
):
    return {
        "part": part,
        "what": what,
        "value": value,
        "unit": unit,
        "peer": peer,
        "peer_name": peer_name,
        "ratio": ratio,
        "goal": goal,
        "met": met,
    }


def _worst(figures: list[dict], kind: str) -> dict | None:
    chosen = [f for f in figures if f["name"].startswith(kind) and f.get("plain_ratio") is not None]
    return max(chosen, key=lambda f: f["plain_ratio"]) if chosen else None


def headline(parts: dict) -> list[dict]:
    """Per goal the figure, its peer and whether it was met; only what the parts measured."""
    rows: list[dict] = []
    if startup := parts.get("startup"):
        s = startup["seconds"]
        rows.append(
            _row(
                "start-up",
                "trede monitor stock, hele opdracht, lege database",
                s,
                "s",
                startup["python_seconds"],
                "python -c pass",
                s / startup["python_seconds"] if startup["python_seconds"] else None,
                f"≤ {STARTUP_GOAL_SECONDS} s",
                s <= STARTUP_GOAL_SECONDS,
            )
        )
    if monitor := parts.get("monitor"):
        for db in monitor["databases"]:
            for kind in ("stock", "flows"):
                worst = _worst(db["figures"], kind)
                if worst:
                    rows.append(
                        _row(
                            f"monitor {db['name']}",
                            f"query {worst['name']} (traagste verhouding)",
                            worst["median_seconds"],
                            "s",
                            worst["plain_duckdb_median_seconds"],
                            "gewone DuckDB-SQL (koud)",
                            worst["plain_ratio"],
                            f"≤ {MONITOR_GOAL_RATIO:g}×",
                            worst["plain_ratio"] <= MONITOR_GOAL_RATIO,
                        )
                    )
            for command in db["commands"]:
                rows.append(
                    _row(
                        f"monitor {db['name']}",
                        command["name"],
                        command["seconds"],
                        "s",
                        command["plain_duckdb_seconds"],
                        "gewone DuckDB als opdracht",
                        command["ratio"],
                        f"≤ {MONITOR_GOAL_RATIO:g}×",
                        command["ratio"] <= MONITOR_GOAL_RATIO,
                    )
                )
            rows.append(
                _row(
                    f"monitor {db['name']}",
                    "alle cijfers gelijk aan de DuckDB-referentie",
                    "ja" if db["identical"] else "NEE",
                    "",
                    goal="gelijk",
                    met=bool(db["identical"]),
                )
            )
    if imports := parts.get("import"):
        for db in imports["databases"]:
            imp, peer = db["import"], db["peer"]
            postgres = db["name"] == "postgresql"
            rows.append(
                _row(
                    f"import {db['name']}",
                    "rijen per seconde",
                    imp["rows_per_second"],
                    "rijen/s",
                    peer["rows_per_second"],
                    "gewone COPY" if postgres else "gewone executemany",
                    db["ratio"],
                    f"≥ {IMPORT_GOAL_ROWS_PER_SECOND:,} rijen/s" if postgres else "",
                    imp["rows_per_second"] >= IMPORT_GOAL_ROWS_PER_SECOND if postgres else None,
                )
            )
            rows.append(
                _row(
                    f"import {db['name']}",
                    "piekgeheugen",
                    imp["peak_rss_mb"],
                    "MB",
                    goal=f"< {IMPORT_GOAL_PEAK_MB} MB",
                    met=imp["peak_rss_mb"] < IMPORT_GOAL_PEAK_MB,
                )
            )
    if dashboard := parts.get("dashboard"):
        from trede.monitor.dashboard.benchmark import goals

        for goal in dashboard.get("goals") or goals(dashboard):
            rows.append(
                _row(
                    "dashboard postgresql",
                    "trede report council, hele opdracht"
                    if "raadsrapportage" in goal["goal"]
                    else "traagste weergave",
                    goal["seconds"],
                    "s",
                    goal=goal["goal"],
                    met=goal["met"],
                )
            )
    if load := parts.get("load"):
        single = {p["label"]: p for p in load.get("bench_caseload", {}).get("pages", [])}
        for page in load["pages"]:
            if page["page"] not in LOAD_PAGES:
                continue
            alone = single.get(page["page"])
            rows.append(
                _row(
                    f"pagina's {load['database']}",
                    f"{page['page']}: p95 bij {load['users']} consulenten",
                    page["p95_ms"],
                    "ms",
                    alone["p95_ms"] if alone else None,
                    "één gebruiker (bench_caseload)",
                    page["p95_ms"] / alone["p95_ms"] if alone and alone["p95_ms"] else None,
                    f"< {LOAD_GOAL_P95_MS:g} ms",
                    page["p95_ms"] < LOAD_GOAL_P95_MS and page["errors"] == 0,
                )
            )
        for label, alone in single.items():
            rows.append(
                _row(
                    f"pagina's {load['database']}",
                    f"{label}: server-CPU per verzoek, één gebruiker",
                    alone["cpu_ms"],
                    "ms",
                    goal=f"≤ {PAGE_GOAL_CPU_MS:g} ms",
                    met=alone["cpu_ms"] <= PAGE_GOAL_CPU_MS,
                )
            )
        rows.append(
            _row(
                f"pagina's {load['database']}",
                "server-CPU per verzoek onder belasting",
                load["server_cpu_ms_per_request"],
                "ms",
                goal=f"≤ {PAGE_GOAL_CPU_MS:g} ms",
                met=load["server_cpu_ms_per_request"] <= PAGE_GOAL_CPU_MS,
            )
        )
        rows.append(
            _row(
                f"pagina's {load['database']}",
                "fouten",
                load["errors"],
                "",
                goal="0",
                met=load["errors"] == 0,
            )
        )
    if effects := parts.get("effects"):
        timing = effects["timing"]
        if effects.get("econml") and timing.get("ratio_econml_trede"):
            common = effects["accuracy"]["common"]
            rows.append(
                _row(
                    "effecten",
                    f"{common['instruments']} instrumenten schatten",
                    timing["trede_seconds"],
                    "s",
                    timing["econml_seconds"],
                    "EconML DRLearner",
                    timing["trede_seconds"] / timing["econml_seconds"],
                    f"≥ {EFFECTS_GOAL_SPEEDUP:g}× zo snel",
                    timing["ratio_econml_trede"] >= EFFECTS_GOAL_SPEEDUP,
                )
            )
            a, b = common["trede"]["mean_abs_error"], common["econml"]["mean_abs_error"]
            rows.append(
                _row(
                    "effecten",
                    "gemiddelde absolute fout (zelfde instrumenten)",
                    a,
                    "",
                    b,
                    "EconML (zelfde afkapping)",
                    a / b if a is not None and b else None,
                    "≤ EconML",
                    None if a is None or b is None else a <= b,
                )
            )
        else:
            rows.append(
                _row(
                    "effecten",
                    "instrumenten schatten (EconML niet gemeten)",
                    timing["trede_seconds"],
                    "s",
                    goal=f"≥ {EFFECTS_GOAL_SPEEDUP:g}× zo snel als EconML",
                    met=None,
                )
            )
        trede_accuracy = effects["accuracy"]["trede"]
        rows.append(
            _row(
                "effecten",
                "intervallen die de ware waarde bevatten",
                f"{trede_accuracy['covered']}/{trede_accuracy['intervals']}",
                "",
            )
        )
    if match := parts.get("match"):
        top, assign = match["top"], match["assign"]
        rows.append(
            _row(
                "matching",
                f"top-{top['n']} voor één vacature onder {match['clients']:,} cliënten",
                top["engine_s"],
                "s",
                top["baseline_s"],
                "NumPy + scipy",
                top["ratio"],
                f"≤ {MATCH_TOP_GOAL_RATIO:g}×",
                top["ratio"] <= MATCH_TOP_GOAL_RATIO,
            )
        )
        rows.append(
            _row(
                "matching",
                f"verdeling {assign['vacancies']:,} vacatures",
                assign["engine_s"],
                "s",
                assign["baseline_s"],
                "NumPy + scipy",
                assign["ratio"],
                f"≤ {MATCH_ASSIGN_GOAL_RATIO:g}×",
                assign["ratio"] <= MATCH_ASSIGN_GOAL_RATIO,
            )
        )
        quality = match.get("quality") or {}
        if "engine_top10_share" in quality:
            rows.append(
                _row(
                    "matching",
                    "aangenomen kandidaat in de top 10",
                    quality["engine_top10_share"],
                    "aandeel",
                    quality["skill_overlap_top10_share"],
                    "alleen overlap van vaardigheden",
                    None,
                    "> overlap",
                    quality["engine_top10_share"] > quality["skill_overlap_top10_share"],
                )
            )
    return rows


def _value(value, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "rijen/s":
        return f"{value:,.0f}/s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "aandeel":
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def render(report: dict) -> str:
    lines = [
        f"Alle benchmarks — {report['clients']:,} cliënten, {report['years']} jaar, seed {report['seed']}; "
        f"PostgreSQL: {report['postgresql']}; {report['cpus']} CPU's",
        "",
    ]
    header = f"{'onderdeel':<22} {'wat':<58} {'Trede':>13} {'tegen':>13} {'ratio':>7}  {'doel':<22} gehaald"
    lines.append(header)
    lines.append("-" * len(header))
    for row in report["headline"]:
        met = {True: "ja", False: "NEE", None: "-"}[row["met"]]
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        peer = _value(row["peer"], row["unit"]) if row["peer"] is not None else "-"
        lines.append(
            f"{row['part']:<22} {row['what'][:58]:<58} {_value(row['value'], row['unit']):>13} "
            f"{peer:>13} {ratio:>7}  {row['goal']:<22} {met}"
        )
    peers = sorted({(r["part"], r["peer_name"]) for r in report["headline"] if r["peer_name"]})
    if peers:
        lines.append("")
        lines.append("tegen = gemeten in dezelfde run: " + "; ".join(f"{p}: {n}" for p, n in peers))
    for part, error in report["failed"].items():
        lines.append(f"{part}: MISLUKT ({error})")
    lines.append(
        "belasting van de machine na afloop: " + " ".join(f"{x:.2f}" for x in report["load_average"])
    )
    return "\n".join(lines) + "\n"
