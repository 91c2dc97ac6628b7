"""Past research exports, read from the audit log (the log is the register of exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trede.audit.models import AuditEvent
from trede.audit.rendering import who

EVENT = "research_export_made"


@dataclass(frozen=True)
class PastExport:
    at: datetime
    who: str
    via: str
    purpose: str
    files: dict
    generalisation: str
    k: int | None

    @property
    def clients(self) -> int | None:
        return self.files.get("clients.csv")


def past_exports(limit: int = 100) -> list[PastExport]:
    """The latest research exports, newest first."""
    rows = AuditEvent.objects.filter(event=EVENT).order_by("-at", "-id")[:limit]
    return [
        PastExport(
            at=row.at,
            who=who(row) if row.username else "–",
            via=str(row.details.get("via", "")),
            purpose=str(row.details.get("doel", "")),
            files=dict(row.details.get("regels") or {}),
            generalisation=str(row.details.get("generalisatie", "")),
            k=row.details.get("k"),
        )
        for row in rows
    ]
