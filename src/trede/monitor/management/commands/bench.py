"""`trede bench monitor`: how fast are the core figures, and are they right?

One run generates a synthetic city (or takes `--folder`), loads it into a fresh SQLite
file and a fresh PostgreSQL database through the `trede` command itself (`trede migrate`,
`trede import DIR` as subprocesses, so the import is timed as a municipality would run
it), then times `stock_figures` and `flow_figures` in a subprocess per database (the
hidden `trede bench _figures`, so that start-up time is not measured) and compares every
figure with the independent DuckDB reference computed from the same CSV files
(`trede.monitor.reference_duckdb`). Exit 1 when any figure differs.

DuckDB is timed "cold": its cache is cleared before every call, so each call reads the
CSV files again. Trede's figures are timed on a loaded database. The ratios that count
are against the peer, plain DuckDB SQL over the same CSV files (`plain_duckdb`: one
statement per figure, types detected, parallel, also cold), whose figures are checked
against the reference too; the reference itself is simple rather than fast. Whole
commands (`trede monitor stock` and `flows`, start-up included) are timed against the
peer run as a command of its own (`python -m trede.monitor.plain_duckdb`). The report
gives the load average, since the machine may be shared. PostgreSQL is a
temporary server (started here, like scripts/pg-temp, with normal durability settings)
unless `--postgres-url` names one; then a fresh database is created on that server.
Without PostgreSQL server binaries the PostgreSQL part is skipped with a message.
"""

from __future__ import annotations

import csv
import json
import math
import os
import pwd
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.management.base import BaseCommand, CommandError

FLOAT_REL_TOL = 1e-12  # rates are floats; equal up to rounding of the last bits counts as identical


def log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


# --- comparing figures ----------------------------------------------------------------------


def differences(trede: object, duckdb: object, path: str = "") -> list[str]:
    """Every place where two JSON-like figures differ, as `path: trede X, duckdb Y`."""
    if isinstance(trede, dict) and isinstance(duckdb, dict):
        found = []
        for key in list(trede) + [k for k in duckdb if k not in trede]:
            where = f"{path}.{key}" if path else str(key)
            if key not in duckdb:
                found.append(f"{where}: alleen in Trede ({trede[key]!r})")
            elif key not in trede:
                found.append(f"{where}: alleen in DuckDB ({duckdb[key]!r})")
            else:
                found.extend(differences(trede[key], duckdb[key], where))
        return found
    if isinstance(trede, list) and isinstance(duckdb, list):
        if len(trede) != len(duckdb):
            return [f"{path}: {len(trede)} elementen in Trede, {len(duckdb)} in DuckDB"]
        found = []
        for index, (a, b) in enumerate(zip(trede, duckdb, strict=True)):
            label = a.get("period", index) if isinstance(a, dict) else index
            found.extend(differences(a, b, f"{path}[{label}]"))
        return found
    if isinstance(trede, float) and isinstance(duckdb, float | int) and not isinstance(duckdb, bool):
        if math.isclose(trede, duckdb, rel_tol=FLOAT_REL_TOL):
            return []
    elif type(trede) is type(duckdb) and trede == duckdb:
        return []
    return [f"{path}: Trede {trede!r}, DuckDB {duckdb!r}"]


# --- what to compute ------------------------------------------------------------------------


def data_range(folder: Path) -> tuple[date, date]:
    """First start and last start or end date among the benefits."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        first, last = con.execute(
            """SELECT min(TRY_CAST(NULLIF(TRIM(start_date), '') AS DATE)),
                      max(greatest(TRY_CAST(NULLIF(TRIM(start_date), '') AS DATE),
                                   COALESCE(TRY_CAST(NULLIF(TRIM(end_date), '') AS DATE), DATE '0001-01-01')))
               FROM read_csv(?, all_varchar = true, header = true)""",
            [str(folder / "benefits.csv")],
        ).fetchone()
    finally:
        con.close()
    if first is None:
        raise CommandError(f"{folder}/benefits.csv bevat geen uitkeringen")
    return first, last


def figure_specs(first: date, last: date) -> list[dict]:
    """For data from `first` to `last` (inclusive): stock on days spread over it (month
    starts, a leap day, year ends) and flows per month, quarter and year over its whole
    calendar years, plus a range that cuts periods."""
    y0 = first.year + 1 if first > date(first.year, 1, 1) else first.year
    y1 = (last + timedelta(days=1)).year  # [y0-01-01, y1-01-01) holds whole years only
    if y1 <= y0:
        y0, y1 = first.year, first.year + 1
    middle = (y0 + y1) // 2
    leap = next((y for y in range(middle, y1) if y % 4 == 0 and (y % 100 or y % 400 == 0)), None)
    days = [
        date(y0, 1, 1),
        date(middle, 7, 1),
        date(middle, 12, 31),
        date(y1 - 1, 3, 1),
        date(y1, 1, 1) - timedelta(days=1),
    ]
    if leap:
        days.append(date(leap, 2, 29))
    specs: list[dict] = []
    cut_from, cut_to = date(y0, 3, 15), date(max(y1 - 1, y0 + 1), 8, 20)
    for regulations in (["pw"], ["pw", "ioaw", "ioaz", "bbz"]):
        tag = ",".join(regulations)
        for day in sorted(set(days)):
            specs.append(
                {
                    "name": f"stock {day} {tag}",
                    "kind": "stock",
                    "as_of": day.isoformat(),
                    "regulations": regulations,
                }
            )
        for period in ("month", "quarter", "year"):
            specs.append(
                {
                    "name": f"flows {period} {y0}..{y1} {tag}",
                    "kind": "flows",
                    "date_from": date(y0, 1, 1).isoformat(),
                    "date_to": date(y1, 1, 1).isoformat(),
                    "period": period,
                    "regulations": regulations,
                }
            )
        specs.append(
            {
                "name": f"flows quarter {cut_from}..{cut_to} {tag}",
                "kind": "flows",
                "date_from": cut_from.isoformat(),
                "date_to": cut_to.isoformat(),
                "period": "quarter",
                "regulations": regulations,
            }
        )
    return specs


def compute(spec: dict, stock: Callable[..., dict], flows: Callable[..., dict], *args) -> dict:
    if spec["kind"] == "stock":
        return stock(*args, as_of=date.fromisoformat(spec["as_of"]), regulations=spec["regulations"])
    return flows(
        *args,
        date_from=date.fromisoformat(spec["date_from"]),
        date_to=date.fromisoformat(spec["date_to"]),
        period=spec["period"],
        regulations=spec["regulations"],
    )


def _plain(spec: dict, folder: Path) -> dict:
    """One figure from plain DuckDB SQL over the CSV files, on a fresh connection (cold)."""
    import duckdb

    from trede.monitor import plain_duckdb

    con = duckdb.connect(":memory:")
    try:
        return compute(spec, plain_duckdb.stock, plain_duckdb.flows, con, folder)
    finally:
        con.close()


def timed(
    call: Callable[[], dict], repeat: int, before: Callable[[], None] | None = None
) -> tuple[dict, list]:
    seconds, result = [], {}
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    return result, seconds


# --- subprocesses of the `trede` command ----------------------------------------------------


def trede_command(*args: str) -> list[str]:
    # `python -m trede.cli` is the console script `trede`, without relying on PATH.
    return [sys.executable, "-m", "trede.cli", *args]


def run_trede(args: list[str], database_url: str, *, log_file: Path | None = None) -> tuple[float, str]:
    env = os.environ | {"DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    done = subprocess.run(trede_command(*args), env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if log_file:
        log_file.write_text(done.stderr, encoding="utf-8")
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise CommandError(f"'trede {' '.join(args)}' gaf exitcode {done.returncode}:\n{tail}")
    return seconds, done.stdout


def count_rows(folder: Path) -> int:
    """Data records in the files the importer reads (blank lines excluded)."""
    from trede.interchange.schema import FILES

    total = 0
    for spec in FILES:
        path = folder / spec.filename
        if path.is_file():
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                next(reader, None)
                total += sum(1 for row in reader if any(cell.strip() for cell in row))
    return total


# --- PostgreSQL -----------------------------------------------------------------------------


def pg_bindir() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(pg_ctl).resolve().parent
    return None


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root: then run it as `postgres` or `trede-pg`."""
    if os.geteuid() != 0:
        return None
    for name in ("trede-pg", "postgres"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "trede-pg"], check=True
    )
    return "trede-pg"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def temporary_postgres(bindir: Path) -> Iterator[str]:
    """A throwaway server (scripts/pg-temp in Python); yields its DATABASE_URL."""
    import psycopg

    directory = Path(tempfile.mkdtemp(prefix="trede-bench-pg-"))
    user = _server_user()
    prefix = ["runuser", "-u", user, "--"] if user else []
    if user:
        shutil.chown(directory, user)
    data, run = directory / "data", directory / "run"

    def as_user(*args, **kwargs):
        return subprocess.run(
            [*prefix, *map(str, args)], check=True, capture_output=True, text=True, **kwargs
        )

    started = False
    try:
        as_user("mkdir", "-p", data, run)
        as_user(bindir / "initdb", "-D", data, "-U", "trede", "--auth=trust", "--encoding=UTF8", "--locale=C")
        for _attempt in range(5):
            port = _free_port()
            options = f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={run} -p {port}"
            try:
                log_file = directory / "server.log"
                as_user(
                    bindir / "pg_ctl", "-D", data, "-l", log_file, "-w", "-t", "60", "-o", options, "start"
                )
                started = True
                break
            except subprocess.CalledProcessError:
                continue  # the port was taken in between
        if not started:
            server_log = directory / "server.log"
            tail = server_log.read_text(errors="replace")[-2000:] if server_log.exists() else ""
            raise CommandError(f"de tijdelijke PostgreSQL-server start niet:\n{tail}")
        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=trede dbname=postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE trede")
        yield f"postgres://trede@127.0.0.1:{port}/trede"
    except subprocess.CalledProcessError as exc:
        raise CommandError(f"PostgreSQL: {' '.join(exc.cmd)} mislukt:\n{exc.stderr}") from exc
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new empty database on the server of `url`, dropped afterwards."""
    import psycopg

    name = f"trede_bench_{os.getpid()}_{int(time.time())}"
    parts = urlsplit(url)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        raise CommandError(
            f"kan geen nieuwe database maken op {parts.hostname}: {exc}. "
            "De benchmark heeft een gebruiker met CREATEDB nodig."
        ) from exc
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the command ----------------------------------------------------------------------------


def _city_arguments(parser, *, repeat_help: str) -> None:
    """The options both benchmarks share: which city, which databases, how often."""
    parser.add_argument("--clients", type=int, default=20000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", help="bestaande map in het uitwisselformaat (niet genereren)")
    parser.add_argument("--postgres-url", help="PostgreSQL-server (er wordt een nieuwe database gemaakt)")
    parser.add_argument("--no-postgres", action="store_true", help="alleen SQLite")
    parser.add_argument("--workdir", help="werkmap (blijft staan); standaard een tijdelijke map")
    parser.add_argument("--repeat", type=int, default=5, help=repeat_help)
    parser.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")


class Command(BaseCommand):
    help = "Benchmark: snelheid en juistheid van de stuurcijfers (SQLite, PostgreSQL, DuckDB)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{all,monitor,dashboard,import,load,match}"
        )
        # Every benchmark of issue 13 in one run (trede/operations/bench_all.py).
        everything = sub.add_parser(
            "all", help="alle benchmarks in één run: verhoudingen tegen hun vergelijkers en de doelen"
        )
        from trede.operations.bench_all import PARTS

        everything.add_argument("--clients", type=int, default=20000)
        everything.add_argument("--years", type=int, default=10)
        everything.add_argument("--seed", type=int, default=1)
        everything.add_argument(
            "--postgres-url", help="PostgreSQL-server (elk onderdeel een nieuwe database)"
        )
        everything.add_argument("--no-postgres", action="store_true", help="alleen SQLite")
        everything.add_argument("--workdir", help="werkmap (blijft staan); standaard een tijdelijke map")
        everything.add_argument("--repeat", type=int, default=5, help="herhalingen (mediaan)")
        everything.add_argument(
            "--parts",
            default=",".join(PARTS),
            help=f"onderdelen, kommagescheiden (standaard {','.join(PARTS)})",
        )
        everything.add_argument("--load-users", type=int, default=50)
        everything.add_argument("--load-seconds", type=int, default=120)
        everything.add_argument("--match-clients", type=int, default=35_000)
        everything.add_argument("--match-vacancies", type=int, default=2_000)
        everything.add_argument(
            "--json", action="store_true", help="precies één JSON-object op standaarduitvoer"
        )
        monitor = sub.add_parser(
            "monitor",
            help="genereer een stad, importeer, meet en vergelijk de stuurcijfers met DuckDB",
        )
        _city_arguments(monitor, repeat_help="herhalingen per cijfer (mediaan)")
        dashboard = sub.add_parser(
            "dashboard",
            help="genereer een stad, importeer, meet het dashboard (koud en warm) en de raadsrapportage tegen DuckDB",
        )
        _city_arguments(dashboard, repeat_help="warme herhalingen (mediaan)")
        dashboard.add_argument("--no-sqlite", action="store_true", help="alleen PostgreSQL")
        imports = sub.add_parser(
            "import",
            help="genereer een stad, meet import_folder (rijen/s, piekgeheugen) tegen een gewone COPY",
        )
        _city_arguments(imports, repeat_help="(niet gebruikt: één import per database)")
        imports.add_argument("--no-sqlite", action="store_true", help="alleen PostgreSQL")
        # The matching engine against a NumPy + scipy baseline (trede/employers/matching/bench.py).
        match = sub.add_parser(
            "match", help="meet top-20 en verdeling van de matching tegen een NumPy-basislijn"
        )
        match.add_argument("--clients", type=int, default=35_000)
        match.add_argument("--vacancies", type=int, default=2_000, help="vacatures in de verdeling")
        match.add_argument("--quality-vacancies", type=int, default=500)
        match.add_argument("--seed", type=int, default=1)
        match.add_argument("--json", action="store_true")
        # Hidden: one import_folder in this process (used by `import`).
        one_import = sub.add_parser("_import")
        one_import.add_argument("--folder", required=True)
        # The load test: consultants at once against `trede serve` (trede/operations/load/).
        from trede.operations.load.command import add_load_arguments

        add_load_arguments(sub)
        # Hidden: the dashboard's figures timed in a fresh process (used by `dashboard`).
        panel = sub.add_parser("_dashboard")
        panel.add_argument("--spec", required=True)
        panel.add_argument("--repeat", type=int, default=5)
        # Hidden: times the selectors in this process for one database (used by `monitor`).
        figures = sub.add_parser("_figures")
        figures.add_argument("--spec", required=True)
        figures.add_argument("--repeat", type=int, default=5)
        figures.add_argument("--json", action="store_true")

    def _match(self, options):
        from trede.employers.matching import bench
        from trede.employers.matching.selectors import matching_settings

        if options["clients"] < 1 or options["vacancies"] < 1 or options["quality_vacancies"] < 0:
            raise CommandError("--clients en --vacancies moeten minstens 1 zijn", returncode=2)
        report = bench.run(
            matching_settings(),
            clients=options["clients"],
            vacancies=options["vacancies"],
            quality_vacancies=options["quality_vacancies"],
            seed=options["seed"],
        )
        sys.stdout.write(json.dumps(report) + "\n" if options["json"] else bench.render(report))
        if not report["identical"]:
            sys.exit(1)

    def handle(self, *args, action, **options):
        if action in ("load", "_load_setup"):
            from trede.operations.load.command import handle_load

            handle_load(self, action, options)
            return
        if action == "_figures":
            self._figures(Path(options["spec"]), options["repeat"])
            return
        if action == "_dashboard":
            from trede.monitor.dashboard.benchmark import time_dashboard

            sys.stdout.write(json.dumps(time_dashboard(Path(options["spec"]), options["repeat"])) + "\n")
            return
        if action == "_import":
            from trede.interchange.benchmark import main_import

            main_import(options["folder"])
            return
        if action == "match":
            self._match(options)
            return
        if action == "all":
            self._all(options)
            return
        if options["repeat"] < 1 or options["clients"] < 1 or options["years"] < 1:
            raise CommandError("--repeat, --clients en --years moeten minstens 1 zijn", returncode=2)
        keep = bool(options["workdir"])
        workdir = Path(options["workdir"] or tempfile.mkdtemp(prefix="trede-bench-")).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            if action == "dashboard":
                from trede.monitor.dashboard.benchmark import dashboard_report, render_dashboard

                report = dashboard_report(self, workdir, options)
            elif action == "import":
                from trede.interchange.benchmark import import_report, render_import

                report = import_report(workdir, options)
                # What can be compared here: both loaded every data row of the folder
                # (the values themselves are the import's own tests' business).
                report["identical"] = all(
                    db["import"]["rows"] == db["peer"]["rows"] == report["rows"] for db in report["databases"]
                )
            else:
                report = self._monitor(workdir, options)
        finally:
            if not keep:
                shutil.rmtree(workdir, ignore_errors=True)
        if options["json"]:
            sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        else:
            if action == "import":
                sys.stdout.write(render_import(report))
            else:
                sys.stdout.write(render_dashboard(report) if action == "dashboard" else render(report))
        if not report["identical"]:
            sys.exit(1)

    def _all(self, options):
        from trede.operations import bench_all

        parts = [p.strip() for p in options["parts"].split(",") if p.strip()]
        unknown = sorted(set(parts) - set(bench_all.PARTS))
        if unknown or not parts:
            raise CommandError(
                f"--parts: onbekend {', '.join(unknown) or '(leeg)'}; kies uit {', '.join(bench_all.PARTS)}",
                returncode=2,
            )
        if min(options["repeat"], options["clients"], options["years"], options["load_users"]) < 1:
            raise CommandError(
                "--repeat, --clients, --years en --load-users moeten minstens 1 zijn", returncode=2
            )
        keep = bool(options["workdir"])
        workdir = Path(options["workdir"] or tempfile.mkdtemp(prefix="trede-bench-all-")).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            report = bench_all.run_all(options | {"parts": parts}, workdir)
        finally:
            if not keep:
                shutil.rmtree(workdir, ignore_errors=True)
        sys.stdout.write(
            json.dumps(report, ensure_ascii=False) + "\n" if options["json"] else bench_all.render(report)
        )
        if report["failed"]:
            sys.exit(1)

    def _figures(self, spec_file: Path, repeat: int) -> None:
        from trede.monitor.selectors import flow_figures, stock_figures

        specs = json.loads(spec_file.read_text(encoding="utf-8"))
        out = []
        for spec in specs:
            result, seconds = timed(lambda s=spec: compute(s, stock_figures, flow_figures), repeat)
            out.append({"name": spec["name"], "result": result, "seconds": seconds})
        sys.stdout.write(json.dumps({"figures": out}) + "\n")

    def _monitor(self, workdir: Path, options: dict) -> dict:
        from trede.monitor import reference_duckdb

        report: dict = {
            "clients": options["clients"],
            "years": options["years"],
            "seed": options["seed"],
            "repeat": options["repeat"],
        }
        if options["folder"]:
            folder = Path(options["folder"]).resolve()
            if not (folder / "benefits.csv").is_file():
                raise CommandError(f"{folder}: geen map in het uitwisselformaat", returncode=2)
            report |= {"clients": None, "years": None, "seed": None, "generate_seconds": None}
            # A generated folder (e.g. from `trede bench all`) says which window its data
            # covers; its figures are taken over that window, as when generated here.
            truth = folder / "ground_truth.json"
            summary: dict = json.loads(truth.read_text(encoding="utf-8")) if truth.is_file() else {}
        else:
            folder = workdir / "city"
            from trede.synthetic.generator import generate  # heavy (numpy): only when generating

            log(
                f"stad genereren: {options['clients']} cliënten, {options['years']} jaar, seed {options['seed']}"
            )
            started = time.perf_counter()
            summary = generate(
                folder, clients=options["clients"], years=options["years"], seed=options["seed"]
            )
            report["generate_seconds"] = time.perf_counter() - started
        report["folder"] = str(folder)
        report["rows"] = count_rows(folder)
        first, last = data_range(folder)
        if summary.get("data_start") and summary.get("data_end"):
            # The generator also writes earlier history; the figures cover its window.
            first = date.fromisoformat(summary["data_start"])
            last = date.fromisoformat(summary["data_end"]) - timedelta(days=1)
        specs = figure_specs(first, last)
        spec_file = workdir / "figures.json"
        spec_file.write_text(json.dumps(specs), encoding="utf-8")
        repeat = options["repeat"]
        report["figures_from"], report["figures_to"] = first.isoformat(), last.isoformat()

        log(f"DuckDB-referentie: {len(specs)} cijfers × {repeat} (elke keer opnieuw uit CSV)")
        reference = []
        for spec in specs:
            result, seconds = timed(
                lambda s=spec: compute(s, reference_duckdb.stock, reference_duckdb.flows, folder),
                repeat,
                before=reference_duckdb.clear_cache,
            )
            reference.append(
                {"name": spec["name"], "result": result, "median_seconds": statistics.median(seconds)}
            )
        report["duckdb"] = [{k: v for k, v in r.items() if k != "result"} for r in reference]

        log(f"gewone DuckDB-SQL: {len(specs)} cijfers × {repeat} (elke keer opnieuw uit CSV)")
        plain = []
        for spec, theirs in zip(specs, reference, strict=True):
            result, seconds = timed(lambda s=spec: _plain(s, folder), repeat)
            plain.append(
                {
                    "name": spec["name"],
                    "median_seconds": statistics.median(seconds),
                    "differences": differences(result, theirs["result"]),
                }
            )
        report["plain_duckdb"] = plain
        report["plain_identical"] = not any(p["differences"] for p in plain)

        report["databases"], report["skipped"] = [], {}
        sqlite_file = workdir / "sqlite" / "trede.sqlite3"
        sqlite_file.parent.mkdir(exist_ok=True)
        for stale in sqlite_file.parent.glob("trede.sqlite3*"):
            stale.unlink()
        report["databases"].append(
            self._database(
                "sqlite", f"sqlite:///{sqlite_file}", folder, workdir, spec_file, specs, reference, report
            )
        )
        if options["no_postgres"]:
            report["skipped"]["postgresql"] = "--no-postgres"
        elif options["postgres_url"]:
            with fresh_database(options["postgres_url"]) as url:
                report["databases"].append(
                    self._database("postgresql", url, folder, workdir, spec_file, specs, reference, report)
                )
        elif (bindir := pg_bindir()) is None:
            reason = "geen serverprogramma's (initdb, pg_ctl) gevonden / no server binaries found"
            log(f"PostgreSQL overgeslagen: {reason}")
            report["skipped"]["postgresql"] = reason
        else:
            log(f"tijdelijke PostgreSQL-server starten ({bindir})")
            with temporary_postgres(bindir) as url:
                report["databases"].append(
                    self._database("postgresql", url, folder, workdir, spec_file, specs, reference, report)
                )
        report["load_average"] = list(os.getloadavg())
        report["identical"] = report["plain_identical"] and all(db["identical"] for db in report["databases"])
        return report

    def _whole_command(self, spec: dict, url: str, folder: Path, expected: dict, repeat: int) -> dict:
        regulations = ",".join(spec["regulations"])
        if spec["kind"] == "stock":
            trede_args = [
                "monitor",
                "stock",
                "--as-of",
                spec["as_of"],
                "--regulations",
                regulations,
                "--json",
            ]
            peer_args = [str(folder), "stock", spec["as_of"], regulations]
        else:
            trede_args = ["monitor", "flows", "--from", spec["date_from"], "--to", spec["date_to"]]
            trede_args += ["--period", spec["period"], "--regulations", regulations, "--json"]
            peer_args = [
                str(folder),
                "flows",
                spec["date_from"],
                spec["date_to"],
                spec["period"],
                regulations,
            ]
        peer_command = [sys.executable, "-m", "trede.monitor.plain_duckdb", *peer_args]
        trede_seconds, peer_seconds, found = [], [], []
        for _ in range(repeat):
            seconds, output = run_trede(trede_args, url)
            trede_seconds.append(seconds)
            found = differences(json.loads(output), expected)
            started = time.perf_counter()
            done = subprocess.run(peer_command, capture_output=True, text=True, check=True)
            peer_seconds.append(time.perf_counter() - started)
            found += [f"gewone DuckDB: {d}" for d in differences(json.loads(done.stdout), expected)]
        trede_median, peer_median = statistics.median(trede_seconds), statistics.median(peer_seconds)
        return {
            "name": f"trede monitor {spec['kind']} ({spec['name']})",
            "seconds": trede_median,
            "plain_duckdb_seconds": peer_median,
            "ratio": trede_median / peer_median,
            "identical": not found,
            "differences": found,
        }

    def _database(
        self,
        name: str,
        url: str,
        folder: Path,
        workdir: Path,
        spec_file: Path,
        specs: list[dict],
        reference: list[dict],
        report: dict,
    ) -> dict:
        shown = url.split("@")[-1] if "@" in url else url
        log(f"{name}: migrate ({shown})")
        migrate_seconds, _ = run_trede(
            ["migrate", "--no-input"], url, log_file=workdir / f"{name}-migrate.log"
        )
        log(f"{name}: import van {report['rows']} regels")
        import_seconds, _ = run_trede(
            ["import", str(folder), "--quiet-warnings", "--no-progress"],
            url,
            log_file=workdir / f"{name}-import.log",
        )
        log(f"{name}: {len(specs)} cijfers × {report['repeat']}, gemeten in één proces")
        _, output = run_trede(
            ["bench", "_figures", "--spec", str(spec_file), "--repeat", str(report["repeat"])], url
        )
        measured = json.loads(output)["figures"]
        figures, identical = [], True
        for spec, mine, theirs, peer in zip(specs, measured, reference, report["plain_duckdb"], strict=True):
            diff = differences(mine["result"], theirs["result"])
            identical &= not diff
            trede_median = statistics.median(mine["seconds"])
            figures.append(
                {
                    "name": spec["name"],
                    "median_seconds": trede_median,
                    "duckdb_median_seconds": theirs["median_seconds"],
                    "ratio": trede_median / theirs["median_seconds"] if theirs["median_seconds"] else None,
                    "plain_duckdb_median_seconds": peer["median_seconds"],
                    "plain_ratio": trede_median / peer["median_seconds"] if peer["median_seconds"] else None,
                    "identical": not diff,
                    "differences": diff,
                }
            )
        # Whole commands, start-up included, checked the same way: Trede's `monitor stock` and
        # `monitor flows` against the plain DuckDB SQL run as a command of its own.
        commands = []
        for index in (0, next(i for i, sp in enumerate(specs) if sp["kind"] == "flows")):
            spec = specs[index]
            commands.append(
                self._whole_command(spec, url, folder, reference[index]["result"], report["repeat"])
            )
        identical &= all(c["identical"] for c in commands)
        cli_seconds, cli_diff = commands[0]["seconds"], commands[0]["differences"]
        return {
            "name": name,
            "url": shown,
            "migrate_seconds": migrate_seconds,
            "import_seconds": import_seconds,
            "import_rows_per_second": report["rows"] / import_seconds,
            "cli_stock_seconds": cli_seconds,
            "cli_identical": not cli_diff,
            "cli_differences": cli_diff,
            "commands": commands,
            "figures": figures,
            "identical": identical,
        }


# --- output ---------------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def render(report: dict) -> str:
    lines = []
    source = (
        f"{report['clients']} cliënten, {report['years']} jaar, seed {report['seed']}"
        if report.get("generate_seconds") is not None
        else report["folder"]
    )
    lines.append(f"Benchmark stuurcijfers / core figures — {source}; {report['rows']} regels / rows")
    if report.get("generate_seconds") is not None:
        lines.append(f"Genereren / generate: {report['generate_seconds']:.1f} s")
    lines.append("")
    lines.append(
        f"{'database':<11} {'migrate s':>10} {'import s':>9} {'regels/s rows/s':>16} {'CLI stock s':>12} {'CLI gelijk':>10}"
    )
    for db in report["databases"]:
        lines.append(
            f"{db['name']:<11} {db['migrate_seconds']:>10.1f} {db['import_seconds']:>9.1f} "
            f"{db['import_rows_per_second']:>16,.0f} {db['cli_stock_seconds']:>12.2f} "
            f"{'ja/yes' if db['cli_identical'] else 'NEE/NO':>10}"
        )
    for name, reason in report["skipped"].items():
        lines.append(f"{name:<11} overgeslagen / skipped: {reason}")
    lines.append("")
    width = max([len(f["name"]) for db in report["databases"] for f in db["figures"]] + [20])
    lines.append(
        f"{'database':<11} {'cijfer / figure':<{width}} {'Trede ms':>10} {'ref. ms':>10} "
        f"{'ratio':>7} {'DuckDB ms':>10} {'ratio':>7}  gelijk / identical"
    )
    for db in report["databases"]:
        for fig in db["figures"]:
            ratio = "-" if fig["ratio"] is None else f"{fig['ratio']:.2f}"
            plain = "-" if fig["plain_ratio"] is None else f"{fig['plain_ratio']:.2f}"
            lines.append(
                f"{db['name']:<11} {fig['name']:<{width}} {_ms(fig['median_seconds']):>10} "
                f"{_ms(fig['duckdb_median_seconds']):>10} {ratio:>7} "
                f"{_ms(fig['plain_duckdb_median_seconds']):>10} {plain:>7}  "
                f"{'ja/yes' if fig['identical'] else 'NEE/NO'}"
            )
            lines.extend(f"{'':<11}   {d}" for d in fig["differences"][:20])
            if len(fig["differences"]) > 20:
                lines.append(f"{'':<11}   … en nog {len(fig['differences']) - 20} verschillen")
        lines.extend(f"{'':<11}   CLI: {d}" for d in db["cli_differences"][:20])
    lines.append("")
    lines.append(
        f"{'database':<11} {'hele opdracht / whole command':<{width}} {'Trede s':>10} {'DuckDB s':>10} {'ratio':>7}"
    )
    for db in report["databases"]:
        for command in db["commands"]:
            lines.append(
                f"{db['name']:<11} {command['name']:<{width}} {command['seconds']:>10.2f} "
                f"{command['plain_duckdb_seconds']:>10.2f} {command['ratio']:>7.2f}"
            )
            lines.extend(f"{'':<11}   {d}" for d in command["differences"][:20])
    for peer in report["plain_duckdb"]:
        lines.extend(
            f"gewone DuckDB-SQL / plain DuckDB SQL {peer['name']}: {d}" for d in peer["differences"][:20]
        )
    lines.append("")
    lines.append(
        "Alle cijfers GELIJK aan DuckDB / all figures IDENTICAL to DuckDB"
        if report["identical"]
        else "VERSCHILLEN met DuckDB / figures DIFFER from DuckDB"
    )
    lines.append(
        f"(mediaan van {report['repeat']} keer; ref. = de onafhankelijke DuckDB-referentie, DuckDB = gewone "
        "DuckDB-SQL; beide lezen elke keer de CSV-bestanden opnieuw; belasting / load average "
        f"{report['load_average'][0]:.1f} {report['load_average'][1]:.1f} {report['load_average'][2]:.1f})"
    )
    return "\n".join(lines) + "\n"
