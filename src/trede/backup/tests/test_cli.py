"""`trede backup` as IT runs it: fresh processes, an SQLite file in WAL mode that another
connection is writing to while the backup is made."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="WAL is SQLite's")

INSERT = (
    "INSERT INTO interchange_importrun (started_at, finished_at, folder, status, rows_read, counts, "
    "error_count, warning_count, problems) VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00', ?, "
    "'geslaagd', 0, '{}', 0, 0, '')"
)


def trede(*args, database, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TREDE_", "DATABASE_"))}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["TREDE_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "trede.cli", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def folders(database) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [row[0] for row in conn.execute("SELECT folder FROM interchange_importrun ORDER BY folder")]


@pytest.fixture
def live(transactional_db, tmp_path):
    """A migrated database file in WAL mode: a copy of the (migrated, empty) test database,
    which is quicker than `trede migrate` in a process of its own."""
    path = tmp_path / "trede.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return path


def test_a_backup_while_someone_writes_holds_what_was_committed(live, tmp_path):
    restored, file = tmp_path / "hersteld.sqlite3", tmp_path / "trede.backup"
    writer = sqlite3.connect(live, isolation_level=None)
    assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    writer.execute(INSERT, ["vastgelegd"])
    # A write transaction stays open during the backup: WAL lets the backup read past it.
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(INSERT, ["onderweg"])

    done = trede("backup", "create", str(file), database=live, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Back-up gemaakt" in done.stdout
    writer.execute("COMMIT")
    writer.close()
    assert folders(live) == ["onderweg", "vastgelegd"]

    done = trede("backup", "restore", str(file), database=restored, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "triggers van het auditlog aanwezig" in done.stdout
    assert folders(restored) == ["vastgelegd"]  # what was committed when the backup began
    with sqlite3.connect(restored) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)

    again = trede("backup", "restore", str(file), database=restored, tmp_path=tmp_path)
    assert again.returncode == 1
    assert "Herstel geweigerd" in again.stderr and "--overwrite" in again.stderr
    same = trede("backup", "create", str(file), database=live, tmp_path=tmp_path)
    assert same.returncode == 1 and "bestaat al" in same.stderr
    usage = trede("backup", database=live, tmp_path=tmp_path)
    assert usage.returncode == 2
