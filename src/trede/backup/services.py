"""Back-up and restore of the whole database (`trede backup create|restore FILE`).

- PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, whatever writes
  meanwhile) and `pg_restore` in one transaction, without owners and grants, so a backup
  can be restored under another role or on another server. The tools are taken next to
  the server binaries of the server's major version (`/usr/lib/postgresql/<major>/bin`,
  as `scripts/pg-temp` uses), else from PATH: `pg_dump` refuses a newer server.
- SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent
  snapshot page by page while the web server keeps reading and writing (WAL); the copy is
  one self-contained file (journal mode DELETE, no `-wal` beside it). Restore is the same
  API the other way round, then the target is put back in WAL mode.

Everything Trede keeps is in the database: letters' PDFs are a column of
`letters_letter`, imports are read from a folder and kept as rows. The audit log is
copied as rows with its append-only triggers (a dump holds the trigger function and the
triggers; a SQLite copy holds every page, triggers included); a restore checks that the
triggers are there afterwards and fails loudly otherwise.

A restore goes into an empty database only. A database that has tables is refused with a
Dutch message saying whether it holds Trede data, unless `overwrite` is given: then the
backup replaces what is there (PostgreSQL: `--clean --if-exists`; SQLite: every page).
A backup file is written beside its name and renamed when complete, so a failed backup
never leaves a file that looks like one; an existing file is never overwritten.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.db.utils import load_backend

from trede.audit.triggers import TABLE as AUDIT_TABLE

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# The triggers that keep the audit log append-only (audit/triggers.py), per database.
AUDIT_TRIGGERS = {
    "sqlite": ("audit_append_only", "audit_no_delete"),
    "postgresql": ("audit_append_only", "audit_no_truncate"),
}
# Tables that tell a database holds Trede data, for the refusal message.
DATA_TABLES = ("clients_client", AUDIT_TABLE, "accounts_user")


class BackupError(Exception):
    """A backup or restore that did not happen; the message is Dutch, for IT."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    vendor: str
    size: int
    seconds: float
    audit_rows: int


def _vendor(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"back-up en herstel kennen alleen SQLite en PostgreSQL, niet {engine}")


def _wrapper(settings_dict: dict):
    """A Django connection to the database this dict describes (which need not be one of
    the configured aliases: a restore target in the tests, say)."""
    settings_dict = connections.configure_settings({"default": dict(settings_dict)})["default"]
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "backup-target")


# --------------------------------------------------------------------------- PostgreSQL


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables for the database; the password never on a command line."""
    options = settings_dict.get("OPTIONS") or {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    pairs = {
        "PGHOST": settings_dict.get("HOST") or options.get("host"),
        "PGPORT": settings_dict.get("PORT") or options.get("port"),
        "PGUSER": settings_dict.get("USER") or options.get("user"),
        "PGPASSWORD": settings_dict.get("PASSWORD") or options.get("password"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGAPPNAME": "trede-backup",
    }
    env.update({k: str(v) for k, v in pairs.items() if v not in (None, "")})
    return env


def _pg_server_major(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_tool(name: str, server_major: int) -> str:
    """`pg_dump` or `pg_restore` of the server's own major version where installed (Debian
    installs each version under /usr/lib/postgresql/<major>/bin), else a newer one, else
    the one on PATH (which refuses, with its own message, when it is too old)."""
    root = Path("/usr/lib/postgresql")
    versions = []
    if root.is_dir():
        for bindir in root.glob("*/bin"):
            if bindir.parent.name.isdigit() and (bindir / name).is_file():
                versions.append((int(bindir.parent.name), bindir / name))
    for major, path in sorted(versions):
        if major == server_major:
            return str(path)
    for major, path in sorted(versions):
        if major > server_major:
            return str(path)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is niet gevonden; installeer de PostgreSQL-clientprogramma's van versie "
            f"{server_major} of hoger (Debian: apt-get install postgresql-client-{server_major})"
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise BackupError(f"{what} is mislukt ({Path(command[0]).name}, code {done.returncode}): {detail}")


def _pg_create(settings_dict: dict, partial: Path) -> None:
    wrapper = _wrapper(settings_dict)
    try:
        major = _pg_server_major(wrapper)
    finally:
        wrapper.close()
    env = _pg_environment(settings_dict)
    _run(
        [pg_tool("pg_dump", major), "--format=custom", "--no-password", f"--file={partial}"],
        env,
        "De back-up",
    )
    # The dump must hold the audit log's triggers, or it is no backup of Trede.
    listing = subprocess.run(
        [pg_tool("pg_restore", major), "--list", str(partial)], capture_output=True, text=True, check=False
    )
    missing = [
        t for t in AUDIT_TRIGGERS["postgresql"] if not re.search(rf"\bTRIGGER\b.*\b{t}\b", listing.stdout)
    ]
    if listing.returncode != 0 or missing:
        raise BackupError(f"de back-up bevat de triggers van het auditlog niet ({', '.join(missing)})")


def _pg_restore(settings_dict: dict, source: Path, *, overwrite: bool) -> None:
    wrapper = _wrapper(settings_dict)
    try:
        major = _pg_server_major(wrapper)
    finally:
        wrapper.close()
    command = [
        pg_tool("pg_restore", major),
        "--no-password",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={settings_dict['NAME']}",
    ]
    if overwrite:
        command += ["--clean", "--if-exists"]
    _run([*command, str(source)], _pg_environment(settings_dict), "Het herstel")


# --------------------------------------------------------------------------- SQLite


def _sqlite_problems(name: str) -> list:
    """SQLite's quick check of a file, through Django's connection: the check constraints
    call the functions Django registers (`django_date_extract`, ...)."""
    wrapper = _wrapper({"ENGINE": "django.db.backends.sqlite3", "NAME": name})
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA quick_check")
            problems = cursor.fetchall()
    finally:
        wrapper.close()
    return [] if problems == [("ok",)] else problems[:3]


def _sqlite_create(database: str, partial: Path) -> None:
    source = connections[database]
    if source.in_atomic_block:
        # The copy would wait for this very transaction, for ever (the backup API retries a
        # locked source); the command never runs inside one.
        raise BackupError("een back-up van SQLite kan niet binnen een open transactie worden gemaakt")
    source.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        # All pages in one step: one read snapshot, so the copy is consistent even while
        # others write (WAL readers do not block writers, nor writers them).
        source.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    problems = _sqlite_problems(str(partial))
    if problems:
        raise BackupError(f"de kopie is niet in orde: {problems}")


def _in_memory(name) -> bool:
    name = str(name)
    return name == ":memory:" or "mode=memory" in name


def _sqlite_restore(settings_dict: dict, source_path: Path) -> None:
    if _in_memory(settings_dict["NAME"]):
        raise BackupError("een database in het geheugen kan niet worden hersteld; herstel in een bestand")
    problems = _sqlite_problems(f"file:{source_path}?mode=ro")
    if problems:
        raise BackupError(f"het back-upbestand is beschadigd: {problems}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(settings_dict["NAME"])
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()
        target.close()


# --------------------------------------------------------------------------- shared


def _audit_rows(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {AUDIT_TABLE}")
        return cursor.fetchone()[0]


def triggers_on(wrapper, table: str) -> set[str]:
    """The names of the triggers on a table, asked of the database."""
    with wrapper.cursor() as cursor:
        if wrapper.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = to_regclass(%s)", [table]
            )
        return {row[0] for row in cursor.fetchall()}


def contents(settings_dict: dict) -> tuple[list[str], dict[str, int]]:
    """The tables a database has, and the rows of those that say it holds Trede data.
    A SQLite file that does not exist yet is empty."""
    name = settings_dict["NAME"]
    if _vendor(settings_dict) == "sqlite" and not _in_memory(name) and not Path(name).exists():
        return [], {}
    wrapper = _wrapper(settings_dict)
    try:
        with wrapper.cursor() as cursor:
            tables = sorted(wrapper.introspection.table_names(cursor))
            rows = {}
            for table in DATA_TABLES:
                if table in tables:
                    cursor.execute(f"SELECT COUNT(*) FROM {wrapper.ops.quote_name(table)}")
                    rows[table] = cursor.fetchone()[0]
        return tables, rows
    finally:
        wrapper.close()


def _refusal(tables: list[str], rows: dict[str, int]) -> str:
    if any(rows.values()):
        what = (
            f"er staan Trede-gegevens in ({rows.get('clients_client', 0)} klanten, "
            f"{rows.get(AUDIT_TABLE, 0)} regels in het auditlog, {rows.get('accounts_user', 0)} gebruikers)"
        )
    elif "django_migrations" in tables:
        what = (
            f"er staan al {len(tables)} tabellen van Trede in, zonder gegevens (is 'trede migrate' gedraaid?)"
        )
    else:
        what = f"er staan al {len(tables)} tabellen in"
    return (
        f"Herstel geweigerd: de doeldatabase is niet leeg, {what}. Herstel gaat alleen in een lege "
        "database: maak een nieuwe, lege database (PostgreSQL: createdb; SQLite: een nieuw bestand) en "
        "herstel daarin. Wilt u echt alles in deze database vervangen door de back-up, geef dan "
        "--overwrite."
    )


def _file_kind(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        raise BackupError(f"het back-upbestand {path} bestaat niet") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is geen back-up van Trede (geen SQLite-bestand en geen pg_dump --format=custom)"
    )


def backup_create(path: Path, *, database: str = "default") -> Outcome:
    """Write a backup of the database to `path` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise BackupError(
            f"{path} bestaat al; een back-up overschrijft nooit een bestand, kies een andere naam"
        )
    if not path.parent.is_dir():
        raise BackupError(f"de map {path.parent} bestaat niet")
    settings_dict = connections[database].settings_dict
    vendor = _vendor(settings_dict)
    partial = path.with_name(path.name + ".onvolledig")
    started = time.monotonic()
    try:
        if vendor == "sqlite":
            _sqlite_create(database, partial)
        else:
            _pg_create(settings_dict, partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(
        path, vendor, path.stat().st_size, time.monotonic() - started, _audit_rows(connections[database])
    )


def backup_restore(
    path: Path, *, database: str = "default", target: dict | None = None, overwrite: bool = False
) -> Outcome:
    """Restore the backup at `path` into the database (`target`, a DATABASES entry, or the
    alias `database`), which must be empty unless `overwrite`."""
    path = Path(path)
    settings_dict = dict(target or connections[database].settings_dict)
    vendor = _vendor(settings_dict)
    kind = _file_kind(path)
    if kind != vendor:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{path} is een back-up van {names[kind]}, de doeldatabase is {names[vendor]}; "
            "zet gegevens tussen de twee over met 'trede export' en 'trede import'"
        )
    tables, rows = contents(settings_dict)
    if tables and not overwrite:
        raise BackupError(_refusal(tables, rows))
    if target is None:
        connections[database].close()  # no connection of ours holds the file or the tables
    started = time.monotonic()
    if vendor == "sqlite":
        _sqlite_restore(settings_dict, path)
    else:
        _pg_restore(settings_dict, path, overwrite=overwrite)
    wrapper = _wrapper(settings_dict)
    try:
        missing = set(AUDIT_TRIGGERS[vendor]) - triggers_on(wrapper, AUDIT_TABLE)
        if missing:
            raise BackupError(
                "Herstel onvolledig: de triggers die het auditlog alleen aanvulbaar houden ontbreken "
                f"({', '.join(sorted(missing))}). Gebruik deze database niet; herstel opnieuw in een lege database."
            )
        audit_rows = _audit_rows(wrapper)
    finally:
        wrapper.close()
    return Outcome(path, vendor, path.stat().st_size, time.monotonic() - started, audit_rows)
