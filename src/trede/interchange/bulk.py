"""Fast inserts for the import: plain `executemany` instead of ORM instances.

Building a model instance and preparing each value through the ORM costs far more than
the insert itself (a 300,000-row folder spent 85 % of its time there). Here every column
gets one converter, chosen once per field, and rows go to the database in batches. Only
for new rows of the interchange models and their history rows; updates use the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, models

BATCH = 5000


def _converter(field: models.Field) -> Callable:
    if isinstance(field, models.JSONField):
        # JSON text: SQLite stores it as is, and COPY's text format casts it to jsonb.
        return lambda v: None if v is None else json.dumps(v)
    if connection.vendor == "sqlite" and isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else v.isoformat(sep=" ")
    if connection.vendor == "sqlite" and isinstance(field, models.DateField):
        return lambda v: None if v is None else v.isoformat()
    if connection.vendor == "sqlite" and isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    return lambda v: v


def insert_rows(model: type[models.Model], rows: Iterable[dict], extra: dict | None = None) -> int:
    """Insert dicts (model attribute → python value); missing attributes get the field default."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    converters = [_converter(f) for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    extra = extra or {}
    attnames = [f.attname for f in fields]
    if connection.vendor == "postgresql":
        return _copy_rows(model, fields, attnames, converters, defaults, extra, rows)
    count = 0
    batch: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            values = []
            for attname, convert in zip(attnames, converters, strict=True):
                if attname in row:
                    value = row[attname]
                elif attname in extra:
                    value = extra[attname]
                else:
                    value = defaults[attname]
                values.append(convert(value))
            batch.append(values)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _copy_rows(model, fields, attnames, converters, defaults, extra, rows) -> int:
    """PostgreSQL: COPY … FROM STDIN, an order of magnitude faster than INSERTs."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        convert(row[a] if a in row else extra[a] if a in extra else defaults[a])
                        for a, convert in zip(attnames, converters, strict=True)
                    ]
                )
                count += 1
    return count


def analyze(models_: Iterable[type[models.Model]]) -> None:
    """Fresh planner statistics after a large load, or the first queries plan badly."""
    tables = []
    for model in models_:
        tables.append(model._meta.db_table)
        if hasattr(model, "history"):
            tables.append(model.history.model._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def insert_history_rows(
    model: type[models.Model],
    rows: Sequence[dict],
    *,
    when: datetime,
    user_id,
    reason: str,
    history_type: str = "+",
) -> int:
    """The simple-history rows for freshly inserted records.

    On PostgreSQL they are copied inside the server from the rows just written
    (`INSERT … SELECT`), so each value crosses from Python once instead of twice: the
    history rows were half of everything the import sent. SQLite has no such gap
    between client and server and writes them as the records themselves.
    """
    history_model = model.history.model
    extra = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user_id,
    }
    if connection.vendor == "postgresql":
        return _history_from_live(model, history_model, [row[model._meta.pk.attname] for row in rows], extra)
    return insert_rows(history_model, rows, extra)


def _history_from_live(model, history_model, ids: list, extra: dict) -> int:
    quote = connection.ops.quote_name
    live = {f.attname: f.column for f in model._meta.concrete_fields}
    columns, selected, params = [], [], []
    for field in history_model._meta.concrete_fields:
        if isinstance(field, models.AutoField):
            continue
        columns.append(quote(field.column))
        if field.attname in extra:
            selected.append("%s")
            params.append(extra[field.attname])
        else:
            # A tracked field has the live field's attname (excluded fields are absent).
            selected.append(quote(live[field.attname]))
    sql = (
        f"INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, list(ids)])
        return cursor.rowcount


# --- PostgreSQL: foreign keys checked once per table -----------------------------------
#
# Django creates every foreign key DEFERRABLE INITIALLY DEFERRED: each row written queues
# a check for the commit, where PostgreSQL runs it as one index probe per row (and holds
# the queue in memory). For a table that receives many rows, dropping its foreign keys
# before the load and adding them again after lets PostgreSQL check each key in one pass
# over the table (a join) instead. It all happens inside the import's transaction:
# PostgreSQL's DDL is transactional, so a failure or a SIGKILL at any moment leaves the
# constraints as they were (decision 180).

WORTH_CHECKING_ONCE = 10  # rows loaded ≥ 1/10 of the rows after the load


def worth_checking_once(loaded: int, before: int) -> bool:
    """Whether checking a table's foreign keys once after the load beats per row: the table
    was empty, or the rows loaded are at least a tenth of its rows after the load."""
    if loaded <= 0:
        return False
    return before == 0 or loaded * WORTH_CHECKING_ONCE >= before + loaded


def check_deferred_now(cursor) -> None:
    """Run the checks that wait for the commit now, so their errors surface here (inside
    the caller's error handling) and PostgreSQL lets this transaction alter the tables (it
    refuses while checks of earlier rows are pending); later ones are deferred again."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def foreign_keys(cursor, tables: Iterable[str], referenced: Iterable[str]) -> list[tuple[str, str, str]]:
    """(table, constraint name, definition) of the foreign keys of `tables` to one of
    `referenced`, exactly as PostgreSQL prints them back (`pg_get_constraintdef`)."""
    tables, referenced = list(tables), list(referenced)
    if not tables or not referenced:
        return []
    cursor.execute(
        "SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid) "
        "FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid "
        "WHERE con.contype = 'f' AND con.conrelid = ANY(%s::text[]::regclass[]) "
        "AND con.confrelid = ANY(%s::text[]::regclass[]) "
        "ORDER BY rel.relname, con.conname",
        [tables, referenced],
    )
    return [tuple(row) for row in cursor.fetchall()]


@contextmanager
def foreign_keys_checked_once(cursor, tables: Iterable[str], *, referenced: Iterable[str]):
    """Inside the caller's transaction: the foreign keys of `tables` to one of `referenced`
    dropped during the block and added again after it, with the same name and definition,
    so PostgreSQL checks each in one pass. A violation raises IntegrityError from the
    re-add and the caller's transaction rolls back (the drop with it). Nothing on other
    databases.

    Dropping a key locks the table it references against readers until the commit
    (ACCESS EXCLUSIVE), so `referenced` should be tables the caller writes anyway, never
    e.g. the users table (every request reads it). Enter before anything else is written
    in the transaction: PostgreSQL refuses to alter a table while checks on it wait."""
    if connection.vendor != "postgresql":
        yield []
        return
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_once needs a transaction (transaction.atomic)")
    quote = connection.ops.quote_name
    dropped = foreign_keys(cursor, tables, referenced)
    if dropped:
        check_deferred_now(cursor)
    for table, name, _ in dropped:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield dropped
    if dropped:
        # Deferred checks of the rows written meanwhile (tables kept per row) first, so
        # their errors surface here rather than at the commit.
        check_deferred_now(cursor)
    for table, name, definition in dropped:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
