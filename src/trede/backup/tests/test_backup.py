"""Backup and restore keep everything: a database with a row in every table is backed up
with `trede backup create`, restored into an empty database (PostgreSQL: a second
database; SQLite: a new file) and compared table by table, row by row; the audit log's
triggers still refuse UPDATE and DELETE afterwards. On both databases."""

from __future__ import annotations

import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from trede.audit.models import AuditEvent
from trede.audit.triggers import TABLE as AUDIT_TABLE
from trede.backup import services
from trede.backup.services import BackupError, backup_restore

from .world import fill_every_table

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def target(tmp_path):
    """An empty database beside the test database, described as a DATABASES entry."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "hersteld.sqlite3")
        yield settings_dict
        return
    name = f"{settings_dict['NAME']}_herstel"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings_dict["NAME"] = name
    yield settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot(conn) -> dict[str, list[tuple]]:
    """Every row of every table the database lists, in a fixed order."""
    found = {}
    with conn.cursor() as cursor:
        for table in conn.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")
            rows = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
            found[table] = sorted(rows, key=repr)
    return found


def all_triggers(conn) -> set[tuple[str, str]]:
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
        return set(cursor.fetchall())


def audit_rows(conn) -> list[tuple]:
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AUDIT_TABLE} ORDER BY id")
        return [tuple(_plain(v) for v in row) for row in cursor.fetchall()]


def test_a_full_database_survives_backup_and_restore(tmp_path, target, capsys):
    assert fill_every_table() == []  # the world really has a row in every table
    assert AuditEvent.objects.count() >= 5
    before = snapshot(connection)
    triggers_before = all_triggers(connection)
    assert {name for table, name in triggers_before if table == AUDIT_TABLE} >= set(
        services.AUDIT_TRIGGERS[connection.vendor]
    )
    file = tmp_path / "trede.backup"

    call_command("backup", "create", str(file))
    assert "Back-up gemaakt" in capsys.readouterr().out
    if connection.vendor == "sqlite":
        # One self-contained file: not in WAL mode, nothing beside it.
        assert sqlite3.connect(file).execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["trede.backup"]

    done = backup_restore(file, target=target)
    restored = services._wrapper(target)
    try:
        after = snapshot(restored)
        assert sorted(after) == sorted(before)
        assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
        assert min(len(r) for r in after.values()) >= 1
        for table in before:
            assert after[table] == before[table], table
        assert audit_rows(restored) == audit_rows(connection)
        assert done.audit_rows == AuditEvent.objects.count()
        assert all_triggers(restored) == triggers_before

        # The restored audit log is still append-only, for raw SQL too.
        first_id = audit_rows(restored)[0][0]
        refused = [
            f"UPDATE {AUDIT_TABLE} SET username = 'ander' WHERE id = {first_id}",
            f"DELETE FROM {AUDIT_TABLE} WHERE id = {first_id}",
            f"DELETE FROM {AUDIT_TABLE}",
        ]
        if restored.vendor == "postgresql":
            refused.append(f"TRUNCATE {AUDIT_TABLE}")
        for statement in refused:
            with pytest.raises(DatabaseError, match="append-only"), restored.cursor() as cursor:
                cursor.execute(statement)
        assert audit_rows(restored) == audit_rows(connection)
    finally:
        restored.close()

    # A second restore into the same database is refused, and names what is there ...
    with pytest.raises(BackupError, match="Trede-gegevens") as refusal:
        backup_restore(file, target=target)
    assert "--overwrite" in str(refusal.value)
    # ... unless explicitly asked for: then the backup replaces everything.
    backup_restore(file, target=target, overwrite=True)
    restored = services._wrapper(target)
    try:
        assert snapshot(restored) == before
        assert all_triggers(restored) == triggers_before
    finally:
        restored.close()


def test_the_command_refuses_to_restore_over_trede_data(tmp_path):
    from trede.audit import logevent

    logevent.client_section_read(None, "KA0001", "basis")
    file = tmp_path / "b.backup"
    call_command("backup", "create", str(file))
    with pytest.raises(CommandError, match="Herstel geweigerd: de doeldatabase is niet leeg") as refusal:
        call_command("backup", "restore", str(file))
    assert refusal.value.returncode == 1
    assert "1 regels in het auditlog" in str(refusal.value)
    assert AuditEvent.objects.count() == 1


def test_create_never_overwrites_a_file(tmp_path):
    file = tmp_path / "bestaat.backup"
    file.write_text("eerdere back-up")
    with pytest.raises(CommandError, match="bestaat al"):
        call_command("backup", "create", str(file))
    assert file.read_text() == "eerdere back-up"


def test_restore_refuses_a_file_that_is_no_backup(tmp_path, target):
    file = tmp_path / "iets.csv"
    file.write_text("client_id,bsn\n")
    with pytest.raises(BackupError, match="geen back-up van Trede"):
        backup_restore(file, target=target)
    with pytest.raises(BackupError, match="bestaat niet"):
        backup_restore(tmp_path / "weg.backup", target=target)


def test_restore_refuses_a_backup_of_the_other_database(tmp_path, target):
    other = tmp_path / "ander.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(services.PG_CUSTOM_MAGIC + b"\x01\x0e\x00")
        expected = "back-up van PostgreSQL, de doeldatabase is SQLite"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
        expected = "back-up van SQLite, de doeldatabase is PostgreSQL"
    with pytest.raises(BackupError, match=expected):
        backup_restore(other, target=target)


def test_the_tools_of_the_servers_version_are_preferred():
    import os

    if os.path.isfile("/usr/lib/postgresql/15/bin/pg_dump"):
        assert services.pg_tool("pg_dump", 15) == "/usr/lib/postgresql/15/bin/pg_dump"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup API")
def test_a_backup_inside_a_transaction_is_refused_not_stuck(tmp_path):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(BackupError, match="open transactie"):
        services.backup_create(tmp_path / "b.backup")
    assert not list(tmp_path.iterdir())
