"""The database triggers that keep the audit log append-only, and the one way around them.

After migration `audit.0003` the database itself refuses, for any client and raw SQL too:
- PostgreSQL: UPDATE and DELETE of a row (row trigger `audit_append_only`) and TRUNCATE
  of the table (statement trigger `audit_no_truncate`);
- SQLite: UPDATE (`audit_append_only`) and DELETE (`audit_no_delete`); SQLite has no
  TRUNCATE, its "DELETE FROM" without WHERE is a DELETE and refused.

Emptying the whole database is only possible in two places, both through
`triggers_suspended`: the test run (pytest-django empties the tables after each
`transaction=True` or live-server test with `flush`, and the `flush` command allows
that only under the test settings, see `audit/management/commands/flush.py`) and
`trede demo --reset` on a database that `trede demo` recognised as a demo database.
Deleting rows (not emptying) happens in one place only: the audit log's own retention run
(`trede.retention.services`), after one person proposed it and another approved it, for
the rows before the cut-off of the audit log's retention period (decision 92).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connections, transaction

TABLE = "audit_auditevent"
MESSAGE = "het auditlog is alleen aanvulbaar (append-only)"

# The same text as migration 0003 creates; `test_triggers_survive_a_test_flush` checks it.
SQLITE_DELETE_TRIGGER = f"""
CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
PG_TRUNCATE_TRIGGER = f"""
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION trede_audit_append_only();
"""


@contextmanager
def triggers_suspended(database: str = "default"):
    """Inside this block (one transaction) the audit table can be emptied; afterwards the
    triggers are back, also when the block fails (the transaction is rolled back)."""
    connection = connections[database]
    with transaction.atomic(using=database), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
            yield
            cursor.execute(SQLITE_DELETE_TRIGGER)
        elif connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            yield
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        else:
            yield


def demo_database_empty(database: str = "default") -> None:
    """Empty every table of a demo database, audit log included (`trede demo --reset`).

    The caller has established that this is a demo database; the `flush` command itself
    stays refused outside the tests.
    """
    from django.core.management import call_command
    from django.core.management.commands.flush import Command as DjangoFlush

    with triggers_suspended(database):
        call_command(DjangoFlush(), interactive=False, verbosity=0, database=database)
