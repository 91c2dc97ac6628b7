"""Writing the audit log. Call it inside the same transaction as the change it records, so
that a change without its audit row (or the reverse) cannot exist; write a refusal outside
the transaction that is rolled back.

New code writes through `trede.audit.logevent` (one function per documented event);
`audit_record` is the primitive underneath.

Section reads are the exception to "write it now": a page that shows several sections of
a file (the client file, an intake with its diagnosis) would otherwise pay one INSERT per
section. `reads_in_one_insert()` collects the read rows of a block and writes them in one
INSERT when the block ends; `trede.audit.middleware.ReadsPerRequestMiddleware` wraps every
request in it, so the rows are in the database before the response leaves the server (a
failing write fails the request: no page without its rows) and every section read still
has its own row (NEN 7513). A read has no change to share a transaction with; changes and
refusals are written at once, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .models import Action, AuditEvent


def actor_fields(user) -> dict:
    """Who did it, copied at write time so the row keeps its meaning when the person is
    renamed, changes role or leaves."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "username": "", "full_name": "", "role": ""}
    return {
        "user": user,
        "username": user.get_username(),
        "full_name": (user.get_full_name() or "")[:300],
        "role": getattr(user, "role", "") or "",
    }


def _event(
    *,
    user,
    action: str,
    event: str = "",
    client_id: str = "",
    object_type: str = "",
    object_id: str = "",
    section: str = "",
    purpose: str = "",
    details: dict | None = None,
    username: str = "",
) -> AuditEvent:
    fields = actor_fields(user)
    if username and not fields["username"]:
        # An attempt by someone not logged in (a failed login): the name they typed.
        fields["username"] = username[:150]
    return AuditEvent(
        **fields,
        action=action,
        event=event,
        client_id=(client_id or "")[:64],
        object_type=object_type,
        object_id=str(object_id or "")[:64],
        section=section,
        purpose=purpose,
        details=details or {},
    )


def audit_record(**kwargs) -> AuditEvent:
    """Write one audit row (see `_event` for the fields)."""
    row = _event(**kwargs)
    row.save()
    return row


def audit_records(rows: Iterable[dict]) -> list[AuditEvent]:
    """Write many audit rows in one INSERT (a list page: one row per client shown)."""
    events = [_event(**row) for row in rows]
    return AuditEvent.objects.bulk_create(events) if events else []


# The read rows of the request (or block) being served; None outside `reads_in_one_insert`.
_pending_reads: ContextVar[list[AuditEvent] | None] = ContextVar("trede_audit_pending_reads", default=None)


@contextmanager
def reads_in_one_insert() -> Iterator[None]:
    """Write the section-read rows recorded inside the block in one INSERT at its end.

    Also when the block ends with an exception: the sections were read by then, and the
    log may show a read whose page failed but never miss one that was shown. Nested
    blocks join the outermost one.
    """
    if _pending_reads.get() is not None:
        yield
        return
    token = _pending_reads.set([])
    try:
        yield
    finally:
        rows = _pending_reads.get()
        _pending_reads.reset(token)
        if rows:
            AuditEvent.objects.bulk_create(rows)


def audit_reads(rows: Iterable[dict]) -> list[AuditEvent]:
    """Section reads: added to the current `reads_in_one_insert` block (the request), or,
    outside one (a command, a test calling a service), written now in one INSERT. The rows
    returned have no primary key until they are written."""
    events = [_event(**row) for row in rows]
    pending = _pending_reads.get()
    if pending is not None:
        pending.extend(events)
        return events
    return AuditEvent.objects.bulk_create(events) if events else []


def audit_read(*, user, client_id: str, section: str, purpose: str) -> AuditEvent:
    """One section of a client's file read (see `audit_reads`)."""
    (row,) = audit_reads(
        [
            {
                "user": user,
                "action": Action.READ,
                "event": "client_section_read",
                "client_id": client_id,
                "section": section,
                "purpose": purpose,
            }
        ]
    )
    return row


def audit_records_per_client(
    *,
    user,
    action: str,
    client_ids: list[str],
    client_event: str,
    client_details: dict,
    client_section: str,
    summary_event: str,
    summary_details: dict,
    purpose: str = "",
    object_type: str = "",
    object_id: str = "",
) -> int:
    """One summary row (no client) and one row per client, in one INSERT whatever the number
    of clients (bulk_create needs two above ~75 rows on SQLite, whose parameter limit Django
    takes as 999): the list of ids travels as one JSON parameter. Returns the rows written.
    """
    import json

    from django.db import connection
    from django.utils import timezone

    actor = actor_fields(user)
    ids = [""] + [str(c)[:64] for c in client_ids]
    table = AuditEvent._meta.db_table
    if connection.vendor == "postgresql":
        source, json_cast = "json_array_elements_text(%s::json) AS j(value)", "::jsonb"
    else:
        source, json_cast = "json_each(%s) AS j", ""
    sql = (
        f"INSERT INTO {table} (at, user_id, username, full_name, role, action, event, client_id, "
        "object_type, object_id, section, purpose, details) "
        "SELECT %s, %s, %s, %s, %s, %s, "
        "CASE WHEN j.value = '' THEN %s ELSE %s END, j.value, %s, %s, "
        "CASE WHEN j.value = '' THEN '' ELSE %s END, %s, "
        f"CASE WHEN j.value = '' THEN %s{json_cast} ELSE %s{json_cast} END "
        f"FROM {source}"
    )
    params = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        actor["user"].pk if actor["user"] is not None else None,
        actor["username"],
        actor["full_name"],
        actor["role"],
        action,
        summary_event,
        client_event,
        object_type,
        str(object_id or "")[:64],
        client_section,
        purpose,
        json.dumps(summary_details),
        json.dumps(client_details),
        json.dumps(ids),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return len(ids)
