"""Writing the audit log. Call it inside the same transaction as the change it records, so
that a change without its audit row (or the reverse) cannot exist; write a refusal outside
the transaction that is rolled back.

New code writes through `trede.audit.logevent` (one function per documented event);
`audit_record` is the primitive underneath.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def audit_read(*, user, client_id: str, section: str, purpose: str) -> AuditEvent:
    return audit_record(
        user=user,
        action=Action.READ,
        event="client_section_read",
        client_id=client_id,
        section=section,
        purpose=purpose,
    )
