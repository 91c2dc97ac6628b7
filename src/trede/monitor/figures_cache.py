"""A cache of the monitor's figures that the database itself invalidates (decision 98).

The dashboard's figures are aggregates over three tables: benefits, clients (age,
household, statushouder) and diagnoses (ladder step), and they read the policy preset
(the ladder target's groups). A counter in
`monitor_figuresversion` goes up whenever one of them changes, by triggers in the database,
so an import, a raw SQL fix or a retention run invalidates the cache as surely as a form
does. A figure is cached under the counter read *before* it is computed: a change that
commits while it is computed raises the counter, so its result is never found again
(cached "too fresh", never stale).

- PostgreSQL: a deferred constraint trigger per row bumps the counter once per transaction,
  at commit (a transaction-local setting remembers it did), so the counter's row lock is
  taken last and held for the commit only; TRUNCATE bumps it by a statement trigger.
- SQLite: a trigger per row and operation (SQLite has one writer at a time, so no lock
  order to mind; it costs about 4 µs per written row).

A bulk load (the import) turns the PostgreSQL row trigger off for its load and raises the
counter once itself, in its own transaction (`bumped_once`, decision 181).

The counter is a table of its own without a Django model, so the test runner's flush does
not empty it (and a flush of the watched tables bumps it). SQLite drops a table's triggers
when a migration rebuilds the table: `install` runs after every `migrate` (apps.py) and
recreates whatever is missing. Without the counter's row the cache is simply not used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

T = TypeVar("T")

TABLE = "monitor_figuresversion"
# The policy presets too: the dashboard's ladder progression reads its target's client
# groups from the active preset, and a changed preset must not leave it stale.
WATCHED = ("benefits_benefit", "clients_client", "casework_diagnosis", "casework_policypreset")
# Also an upper bound on how long an entry lives, in case a writer bypassed everything.
TIMEOUT_SECONDS = 60 * 60


def _sqlite_statements() -> list[str]:
    statements = [
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, version integer NOT NULL)",
        f"INSERT OR IGNORE INTO {TABLE} (id, version) VALUES (1, 0)",
    ]
    for table in WATCHED:
        for operation in ("INSERT", "UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_figures_{operation.lower()} AFTER {operation} ON {table} "
                f"BEGIN UPDATE {TABLE} SET version = version + 1 WHERE id = 1; END"
            )
    return statements


def _postgresql_statements() -> list[str]:
    statements = [
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, version bigint NOT NULL)",
        f"INSERT INTO {TABLE} (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
        f"""CREATE OR REPLACE FUNCTION trede_figures_changed() RETURNS trigger AS $$
BEGIN
    IF TG_LEVEL = 'ROW' AND current_setting('trede.figures_bumped', true) = 'on' THEN
        RETURN NULL;
    END IF;
    UPDATE {TABLE} SET version = version + 1 WHERE id = 1;
    PERFORM set_config('trede.figures_bumped', 'on', true);
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    ]
    for table in WATCHED:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_figures_changed ON {table}",
            f"CREATE CONSTRAINT TRIGGER {table}_figures_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION trede_figures_changed()",
            f"DROP TRIGGER IF EXISTS {table}_figures_truncated ON {table}",
            f"CREATE TRIGGER {table}_figures_truncated AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_figures_changed()",
        ]
    return statements


def install(using_connection=None) -> None:
    """Create the counter and the triggers where missing (idempotent); nothing while a
    watched table does not exist (a migration back to zero)."""
    conn = using_connection or connection
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}.get(conn.vendor)
    if statements is None or not set(WATCHED) <= set(conn.introspection.table_names()):
        return
    with conn.cursor() as cursor:
        for statement in statements():
            cursor.execute(statement)


def uninstall(using_connection=None) -> None:
    conn = using_connection or connection
    with conn.cursor() as cursor:
        for table in WATCHED:
            if conn.vendor == "sqlite":
                for operation in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_figures_{operation}")
            elif conn.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_figures_changed ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_figures_truncated ON {table}")
        if conn.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS trede_figures_changed()")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


@contextmanager
def bumped_once(cursor, tables: Iterable[str]):
    """A bulk load of watched tables inside the caller's transaction: on PostgreSQL the
    per-row trigger is off for the block (each written row would queue an event for the
    commit, a call of the trigger function per row) and the counter goes up once at its
    end, as the trigger would have made it. The trigger change is part of the
    transaction: a failure or a SIGKILL leaves it as it was. SQLite: unchanged (its
    triggers fire per row as always)."""
    conn = cursor.db
    watched = [table for table in WATCHED if table in set(tables)]
    if conn.vendor != "postgresql" or not watched:
        yield
        return
    if not conn.in_atomic_block:
        raise RuntimeError("bumped_once needs a transaction (transaction.atomic)")
    cursor.execute(
        "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = ANY(%s)",
        [[f"{table}_figures_changed" for table in watched]],
    )
    installed = sorted(row[0] for row in cursor.fetchall())
    # PostgreSQL refuses to alter a table while checks of rows written earlier in this
    # transaction wait for the commit: run them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for table in installed:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_figures_changed")
    yield
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for table in installed:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_figures_changed")
    if installed:
        bump(cursor)


def bump(cursor) -> None:
    """Raise the counter once for this transaction (PostgreSQL), as the trigger does."""
    cursor.execute(
        f"UPDATE {TABLE} SET version = version + 1 WHERE id = 1 "
        "AND current_setting('trede.figures_bumped', true) IS DISTINCT FROM 'on'"
    )
    cursor.execute("SELECT set_config('trede.figures_bumped', 'on', true)")


def figures_version() -> int | None:
    """The counter, or None when the table or its row is missing (then nothing is cached)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
            row = cursor.fetchone()
    except Exception:  # a database without the table: no cache, the figures still come
        return None
    return None if row is None else int(row[0])


def cached(name: str, parameters: dict, compute: Callable[[], T]) -> T:
    """`compute()`'s result for these parameters, from the cache while the data is unchanged.

    Inside an open transaction (a request that also writes, a test) the cache is bypassed:
    its own uncommitted changes have not raised the counter yet."""
    if not connection.get_autocommit():
        return compute()
    version = figures_version()
    if version is None:
        return compute()
    digest = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode()).hexdigest()
    key = f"trede:monitor:{name}:{connection.alias}:{version}:{digest}"
    found = cache.get(key)
    if found is not None:
        return found
    result = compute()
    cache.set(key, result, TIMEOUT_SECONDS)
    return result
