"""`trede bench load`: 50 consultants at once against a `trede serve` of its own.

1. a fresh database: a new SQLite file, or a new database on the PostgreSQL server of
   DATABASE_URL (dropped afterwards; the user needs CREATEDB): nothing of the test stays
   behind and no real data is touched;
2. `trede bench _load_setup` there: migrate, then consultants with caseloads and users
   with password and TOTP device (`setup.py`);
3. `trede serve` on a free port of 127.0.0.1, production settings (a key of its own, no demo
   mode, two-factor login required, JSON logs), workers as `trede serve` sizes them;
4. `locust --headless` as its own process (`locustfile.py`; never imported here: gevent's
   patching breaks Django) for the duration, while the CPU of gunicorn's processes and of
   the database's backends is sampled from /proc (`cpu.py`);
5. the contact moments counted again: every POST that locust saw succeed must be a row;
6. `trede bench_caseload --json` on the same database: the single-user figures beside it.

Exit status 1 when a request failed or a write was lost.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit

from trede.operations import process
from trede.operations.serving import default_workers

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PAGES = [
    "Inloggen (formulier)",
    "Inloggen (wachtwoord)",
    "Inloggen (code)",
    "Mijn klanten",
    "Werklijst",
    "Klantdossier",
    "Contactmoment (formulier)",
    "Contactmoment (opslaan)",
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def log(message: str) -> None:
    sys.stderr.write(f"[bench load] {message}\n")
    sys.stderr.flush()


@contextmanager
def fresh_database(base_url: str, workdir: Path):
    if not base_url.startswith("postgres"):
        yield f"sqlite:///{workdir / 'belasting.sqlite3'}"
        return
    from trede.monitor.management.commands.bench import fresh_database as fresh_postgres

    with fresh_postgres(base_url) as url:
        yield url


def _run(args: list[str], env: dict, what: str) -> str:
    done = subprocess.run(process.trede_command(*args), env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-20:])
        raise RuntimeError(f"{what} mislukt (exitcode {done.returncode}):\n{tail}")
    return done.stdout


def _database_pids(url: str):
    """A callable listing the backends of the test's database, when PostgreSQL runs here."""
    if not url.startswith("postgres") or (urlsplit(url).hostname or "localhost") not in (
        "127.0.0.1",
        "localhost",
        "::1",
    ):
        return None, nullcontext()
    import psycopg

    connection = psycopg.connect(url, autocommit=True)

    def pids():
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        return [row[0] for row in rows]

    if process_cpu_probe(pids()) is False:
        connection.close()
        return None, nullcontext()
    return pids, connection


def process_cpu_probe(pids: list[int]) -> bool:
    from .cpu import process_cpu_ms

    return all(process_cpu_ms(pid) is not None for pid in pids)


def run_load(
    *,
    users: int,
    seconds: int,
    clients: int,
    workers: int | None,
    spawn_rate: float,
    caseload_repeat: int,
    seed: int,
    keep: Path | None = None,
) -> dict:
    workdir = keep or Path(tempfile.mkdtemp(prefix="trede-belasting-"))
    workdir.mkdir(parents=True, exist_ok=True)
    base_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TREDE_DEMO", "PYTEST_VERSION", "PYTEST_XDIST_WORKER")
    }
    try:
        with fresh_database(os.environ.get("DATABASE_URL", ""), workdir) as url:
            env = base_env | {
                "DATABASE_URL": url,
                "SECRET_KEY": secrets.token_urlsafe(50),
                "TREDE_DATA_DIR": str(workdir / "data"),
                "TREDE_2FA_REQUIRED": "true",
                # One connection per worker for the whole run, as in production (60 s
                # would close and reopen them during a two-minute run and lose the
                # closed backends' CPU from the measurement).
                "TREDE_DB_CONN_MAX_AGE": "600",
                "TREDE_LOG_FORMAT": "json",
                "TREDE_LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
            return _measure(
                env, url, workdir, users, seconds, clients, workers, spawn_rate, caseload_repeat, seed
            )
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _measure(env, url, workdir, users, seconds, clients, workers, spawn_rate, caseload_repeat, seed) -> dict:
    vendor = "postgresql" if url.startswith("postgres") else "sqlite"
    started = time.perf_counter()
    spec_path = workdir / "spec.json"
    log(f"database ({vendor}) aanmaken (migrate) met {users} consulenten met elk {clients} klanten")
    _run(
        [
            "bench",
            "_load_setup",
            "--users",
            str(users),
            "--clients",
            str(clients),
            "--seed",
            str(seed),
            "--spec",
            str(spec_path),
        ],
        env,
        "de testgegevens",
    )
    spec = json.loads(spec_path.read_text())
    workers = workers or default_workers()
    port = process.free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = workdir / "server.log"
    log(f"trede serve op {base} met {workers} workers")
    server = process.start(
        process.trede_command("serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
        env=env,
        log=server_log,
    )
    results_path = workdir / "requests.jsonl"
    locust_log = workdir / "locust.log"
    try:
        process.wait_healthy(server, base, timeout=120, log=server_log)
        _warm_up(base + spec["urls"]["login"], workers)
        from .cpu import CpuSampler

        pids, database = _database_pids(url)
        with database:
            sampler = CpuSampler(server.pid, pids)
            locust_env = env | {"TREDE_LOAD_SPEC": str(spec_path), "TREDE_LOAD_RESULTS": str(results_path)}
            command = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                base,
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ]
            log(f"locust: {users} gelijktijdige consulenten, {seconds} s")
            sampler.start()
            load_started = time.perf_counter()
            children_before = _children_cpu_ms()
            with locust_log.open("wb") as handle:
                runner = subprocess.run(
                    command,
                    env=locust_env,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    timeout=seconds + 120,
                    check=False,
                )
            load_seconds = time.perf_counter() - load_started
            cpu = sampler.stop()
            # The server is not reaped yet, so the children's CPU that grew is locust's.
            locust_cpu = round(_children_cpu_ms() - children_before, 1)
    finally:
        process.stop(server)
    if runner.returncode != 0:
        raise RuntimeError(f"locust stopte met exitcode {runner.returncode}:\n{process.tail(locust_log)}")
    contacts_after = _contacts_count(url, spec["contacts_table"])
    log("trede bench_caseload: dezelfde pagina's door één gebruiker")
    caseload = json.loads(
        _run(
            [
                "bench_caseload",
                "--json",
                "--repeat",
                str(caseload_repeat),
                "--warmup",
                "2",
                "--limit",
                "1000000",
            ],
            env,
            "trede bench_caseload",
        )
    )
    report = _report(results_path, spec, contacts_after, cpu, load_seconds)
    report.update(
        {
            "database": vendor,
            "users": users,
            "seconds": seconds,
            "clients_per_consultant": clients,
            "workers": workers,
            "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
            "locust_cpu_ms": locust_cpu,
            "bench_caseload": caseload,
            "total_seconds": round(time.perf_counter() - started, 1),
        }
    )
    errors = _server_errors(server_log)
    report["server_errors_logged"] = errors
    return report


def _contacts_count(url: str, table: str) -> int:
    """Counted in the database directly: one Django process fewer to start."""
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as connection:
            return connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def _warm_up(url: str, workers: int) -> None:
    """Every worker loads the application after the fork and renders its first page slowly
    (URLs, templates); a few rounds of parallel requests reach each one before the clock runs."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def get(_):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
        except OSError:
            pass

    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        for _ in range(3):
            list(pool.map(get, range(workers * 2)))


def _children_cpu_ms() -> float:
    usage = os.times()
    return (usage.children_user + usage.children_system) * 1000


def _server_errors(server_log: Path) -> int:
    count = 0
    for line in server_log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("level") in ("ERROR", "CRITICAL"):
                count += 1
    return count


def _report(results_path: Path, spec: dict, contacts_after: int, cpu: dict, load_seconds: float) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    examples: list[str] = []
    saved = 0
    for line in results_path.read_text(encoding="utf-8").splitlines() if results_path.exists() else []:
        entry = json.loads(line)
        if "saved" in entry:
            saved += 1
            continue
        timings[entry["name"]].append(entry["ms"])
        if not entry["ok"]:
            failures[entry["name"]] += 1
            if len(examples) < 5:
                examples.append(f"{entry['name']}: {entry['error']}")
    requests = sum(len(t) for t in timings.values())
    pages = []
    for name in [*PAGES, *sorted(set(timings) - set(PAGES))]:
        values = timings.get(name)
        if not values:
            continue
        pages.append(
            {
                "page": name,
                "requests": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "p99_ms": round(percentile(values, 99), 1),
                "errors": failures.get(name, 0),
            }
        )
    stored = contacts_after - spec["contacts_before"]
    server_ms = cpu["server"]
    database_ms = cpu["database"] if cpu["database_measured"] else None
    return {
        "pages": pages,
        "requests": requests,
        "requests_per_second": round(requests / load_seconds, 1) if load_seconds else None,
        "load_seconds": round(load_seconds, 1),
        "errors": sum(failures.values()),
        "error_examples": examples,
        "contact_posts_succeeded": saved,
        "contact_rows_added": stored,
        "lost_writes": saved - stored,
        "server_cpu_ms_per_request": round(server_ms / requests, 1) if requests else None,
        "database_cpu_ms_per_request": round(database_ms / requests, 1)
        if requests and database_ms is not None
        else None,
    }


def render(report: dict) -> str:
    lines = [
        f"Belastingstest op {report['database']}: {report['users']} gelijktijdige consulenten, "
        f"{report['load_seconds']} s, {report['workers']} workers, {report['clients_per_consultant']} klanten per consulent",
        f"{'pagina':28} {'verzoeken':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'fouten':>7}",
    ]
    for page in report["pages"]:
        lines.append(
            f"{page['page']:28} {page['requests']:9d} {page['p50_ms']:8.1f} {page['p95_ms']:8.1f} "
            f"{page['p99_ms']:8.1f} {page['errors']:7d}"
        )
    lines.append(f"verzoeken per seconde: {report['requests_per_second']} ({report['requests']} verzoeken)")
    cpu = f"CPU van de webserver (gunicorn): {report['server_cpu_ms_per_request']} ms per verzoek"
    if report["database_cpu_ms_per_request"] is not None:
        cpu += f", van PostgreSQL: {report['database_cpu_ms_per_request']} ms per verzoek"
    lines.append(cpu)
    lines.append(f"CPU van locust zelf (op dezelfde machine): {report['locust_cpu_ms']} ms in totaal")
    lines.append(
        f"fouten: {report['errors']}"
        + (f" ({'; '.join(report['error_examples'])})" if report["errors"] else "")
    )
    lines.append(f"fouten in het serverlog: {report['server_errors_logged']}")
    lines.append(
        f"contactmomenten: {report['contact_posts_succeeded']} keer opgeslagen volgens de server, "
        f"{report['contact_rows_added']} regels erbij; verloren: {report['lost_writes']}"
    )
    lines.append("Ter vergelijking, één gebruiker (trede bench_caseload, zelfde database):")
    for result in report["bench_caseload"]["pages"]:
        db = result.get("db_cpu_ms")
        lines.append(
            f"  {result['label']:26} p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  "
            f"CPU {result['cpu_ms']:6.1f} ms" + (f" + PostgreSQL {db:.1f} ms" if db is not None else "")
        )
    if report["load_average"] is not None:
        lines.append(f"belasting van de machine (load average, 1 min): {report['load_average']:.1f}")
    return "\n".join(lines)
