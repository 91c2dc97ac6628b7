"""`trede bench import`: how fast is `import_folder`, against a plain load of the same CSVs?

One run generates a synthetic city (or takes `--folder`), migrates a fresh SQLite file and
a fresh PostgreSQL database, and times `import_folder` into each in a process of its own
(the hidden `trede bench _import`, so the peak memory is the import's: `ru_maxrss` of that
process, Django's start-up included). Beside it, in the same run, the peer: the same CSV
files loaded as text into scratch tables with a plain `COPY … FROM STDIN` (PostgreSQL) or
`executemany` (SQLite), no checks, no conversion. The ratio says how far the import is
from what the database itself can take.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sqlite3
import sys
import time
from pathlib import Path


def time_import(folder: Path) -> dict:
    """In this process: import `folder` into the (empty, migrated) database; time and peak RSS."""
    from .services import import_folder

    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = import_folder(folder)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        # The import's own CPU (the server's not included): steadier than wall time on a
        # shared machine.
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "rows": report.rows,
        "created": sum(report.created.values()),
        # Linux reports kilobytes.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _files(folder: Path) -> list[Path]:
    from .schema import FILES

    return [folder / spec.filename for spec in FILES if (folder / spec.filename).is_file()]


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def plain_copy_postgres(url: str, folder: Path) -> dict:
    """The peer on PostgreSQL: each file COPYed as CSV into a table of text columns."""
    import psycopg

    rows = 0
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        for number, path in enumerate(_files(folder)):
            columns = ", ".join(f'"c{i}" text' for i in range(len(_header(path))))
            table = f"bench_peer_{number}"
            conn.execute(f"CREATE TABLE {table} ({columns})")
            with conn.cursor() as cursor:
                sql = f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)"
                with cursor.copy(sql) as copy, path.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        copy.write(chunk)
                rows += cursor.rowcount
        conn.commit()
        seconds = time.perf_counter() - started
        for number in range(len(_files(folder))):
            conn.execute(f"DROP TABLE bench_peer_{number}")
        conn.commit()
    return {"seconds": seconds, "rows": rows}


def plain_copy_sqlite(database: Path, folder: Path) -> dict:
    """The peer on SQLite: csv.reader into executemany, one transaction, in a scratch file."""
    rows = 0
    started = time.perf_counter()
    conn = sqlite3.connect(database)
    try:
        for number, path in enumerate(_files(folder)):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                width = len(next(reader))
                table = f"bench_peer_{number}"
                conn.execute(f"CREATE TABLE {table} ({', '.join(f'c{i} text' for i in range(width))})")
                cursor = conn.executemany(
                    f"INSERT INTO {table} VALUES ({', '.join('?' * width)})",
                    (row for row in reader if len(row) == width),
                )
                rows += cursor.rowcount
        conn.commit()
    finally:
        conn.close()
    return {"seconds": time.perf_counter() - started, "rows": rows}


def _run_import(name: str, url: str, folder: Path) -> dict:
    from trede.monitor.management.commands.bench import log, run_trede

    log(f"{name}: migrate")
    run_trede(["migrate", "--no-input"], url)
    log(f"{name}: import_folder")
    _, output = run_trede(["bench", "_import", "--folder", str(folder)], url)
    return json.loads(output)


def _database(name: str, url: str, folder: Path, peer) -> dict:
    from trede.monitor.management.commands.bench import log

    result = {"name": name, "import": _run_import(name, url, folder)}
    log(f"{name}: gewone load (peer)")
    result["peer"] = peer()
    imp, peer_result = result["import"], result["peer"]
    imp["rows_per_second"] = imp["rows"] / imp["seconds"]
    peer_result["rows_per_second"] = peer_result["rows"] / peer_result["seconds"]
    result["ratio"] = imp["seconds"] / peer_result["seconds"]
    return result


def import_report(workdir: Path, options: dict) -> dict:
    from trede.monitor.management.commands.bench import (
        count_rows,
        fresh_database,
        log,
        pg_bindir,
        temporary_postgres,
    )

    report: dict = {"clients": options["clients"], "years": options["years"], "seed": options["seed"]}
    if options["folder"]:
        folder = Path(options["folder"]).resolve()
        report |= {"clients": None, "years": None, "seed": None}
    else:
        from trede.synthetic.generator import generate  # heavy (numpy): only when generating

        folder = workdir / "city"
        log(f"stad genereren: {options['clients']} cliënten, {options['years']} jaar")
        started = time.perf_counter()
        generate(folder, clients=options["clients"], years=options["years"], seed=options["seed"])
        report["generate_seconds"] = time.perf_counter() - started
    report["folder"] = str(folder)
    report["rows"] = count_rows(folder)
    report["databases"], report["skipped"] = [], {}
    if not options["no_sqlite"]:
        sqlite_file = workdir / "sqlite" / "trede.sqlite3"
        sqlite_file.parent.mkdir(exist_ok=True)
        for stale in sqlite_file.parent.glob("*.sqlite3*"):
            stale.unlink()
        peer_file = sqlite_file.parent / "peer.sqlite3"
        report["databases"].append(
            _database(
                "sqlite", f"sqlite:///{sqlite_file}", folder, lambda: plain_copy_sqlite(peer_file, folder)
            )
        )

    def postgres(url: str) -> None:
        report["databases"].append(
            _database("postgresql", url, folder, lambda: plain_copy_postgres(url, folder))
        )

    if options["no_postgres"]:
        report["skipped"]["postgresql"] = "--no-postgres"
    elif options["postgres_url"]:
        with fresh_database(options["postgres_url"]) as url:
            postgres(url)
    elif (bindir := pg_bindir()) is None:
        report["skipped"]["postgresql"] = "geen serverprogramma's (initdb, pg_ctl) gevonden"
    else:
        with temporary_postgres(bindir) as url:
            postgres(url)
    report["load_average"] = list(os.getloadavg())
    return report


def render_import(report: dict) -> str:
    lines = [
        f"Import: {report['rows']:,} rijen"
        + (f", {report['clients']:,} cliënten" if report.get("clients") else "")
        + f" ({report['folder']})",
    ]
    for db in report["databases"]:
        imp, peer = db["import"], db["peer"]
        lines.append(
            f"{db['name']:>10}: import_folder {imp['seconds']:.1f} s ({imp['cpu_seconds']:.1f} s CPU), "
            f"{imp['rows_per_second']:,.0f} rijen/s, "
            f"piekgeheugen {imp['peak_rss_mb']:,.0f} MB; gewone load {peer['seconds']:.2f} s, "
            f"{peer['rows_per_second']:,.0f} rijen/s; verhouding {db['ratio']:.1f}×"
        )
    for name, reason in report["skipped"].items():
        lines.append(f"{name:>10}: overgeslagen ({reason})")
    lines.append("Belasting / load average: " + ", ".join(f"{x:.1f}" for x in report["load_average"]))
    return "\n".join(lines) + "\n"


def main_import(folder: str) -> None:
    sys.stdout.write(json.dumps(time_import(Path(folder))) + "\n")
