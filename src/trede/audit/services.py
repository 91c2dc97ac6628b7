"""Writing the audit log. Call `audit_record` inside the same transaction as the change
it records, so that a change without its audit row (or the reverse) cannot exist."""

from __future__ import annotations

from .models import Action, AuditEvent


def audit_record(
    *,
    user,
    action: str,
    client_id: str = "",
    object_type: str = "",
    object_id: str = "",
    section: str = "",
    purpose: str = "",
    details: dict | None = None,
) -> AuditEvent:
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        role=getattr(user, "role", "") if authenticated else "",
        action=action,
        client_id=client_id or "",
        object_type=object_type,
        object_id=str(object_id or ""),
        section=section,
        purpose=purpose,
        details=details or {},
    )


def audit_read(*, user, client_id: str, section: str, purpose: str) -> AuditEvent:
    return audit_record(user=user, action=Action.READ, client_id=client_id, section=section, purpose=purpose)
