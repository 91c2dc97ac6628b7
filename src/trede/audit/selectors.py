from __future__ import annotations

from .models import AuditEvent


def audit_events_for_client(*, client_id: str):
    return AuditEvent.objects.filter(client_id=client_id).order_by("-at", "-id")


AUDIT_CSV_COLUMNS = (
    "tijdstip",
    "gebruiker",
    "naam",
    "rol",
    "handeling",
    "onderdeel",
    "doel",
    "toelichting",
    "soort",
    "nummer",
)


def audit_rows(events):
    from trede.accounts.access import SECTION_LABELS

    from .rendering import ROLE_LABELS, describe

    for e in events:
        yield (
            e.at,  # the export writes it in local time, as the screen shows it
            e.username,
            e.full_name,
            ROLE_LABELS.get(e.role, e.role),
            e.get_action_display(),
            SECTION_LABELS.get(e.section, e.section),
            e.purpose,
            describe(e),
            e.object_type,
            e.object_id,
        )
