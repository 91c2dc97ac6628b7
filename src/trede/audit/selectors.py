from __future__ import annotations

from .models import AuditEvent


def audit_events_for_client(*, client_id: str):
    return AuditEvent.objects.filter(client_id=client_id).order_by("-at", "-id")


AUDIT_CSV_COLUMNS = ("tijdstip", "gebruiker", "rol", "handeling", "onderdeel", "doel", "soort", "nummer")


def audit_rows(events):
    for e in events:
        yield (
            e.at,  # the export writes it in local time, as the screen shows it
            e.username,
            e.role,
            e.get_action_display(),
            e.section,
            e.purpose,
            e.object_type,
            e.object_id,
        )
