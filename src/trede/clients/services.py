"""Writes of the consultant's hub: waarneming (access to a colleague's client) and the
audit rows of what a page showed. Each write and its audit rows share one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.models import Waarneming
from trede.audit import events
from trede.audit.models import Action
from trede.audit.services import audit_read, audit_record

WAARNEMING_MAX_DAYS = 30


def waarneming_request(*, user, client, reason: str, days: int = 14) -> Waarneming:
    """Give a consultant, teamleider or inkomen consultant access to a colleague's client
    for `days` days (perms.WAARNEMING_REQUEST).

    The reason is mandatory and kept with the waarneming (the privacy officer reads it);
    the audit log records the grant (events.WAARNEMING) in the same transaction, a refusal
    before it opens.
    """
    perms.check(user, perms.WAARNEMING_REQUEST, purpose=events.WAARNEMING)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Geef een reden op voor de waarneming.", code="reason_required")
    if not 1 <= int(days) <= WAARNEMING_MAX_DAYS:
        raise ValidationError(
            f"Een waarneming duurt 1 tot {WAARNEMING_MAX_DAYS} dagen.", code="days_out_of_range"
        )
    with transaction.atomic():
        waarneming = Waarneming.objects.create(
            user=user,
            client=client,
            reason=reason[:300],
            valid_until=timezone.now() + timedelta(days=int(days)),
        )
        audit_record(
            user=user,
            action=Action.GRANT,
            client_id=client.pk,
            object_type="waarneming",
            object_id=waarneming.pk,
            purpose=events.WAARNEMING,
            details={"dagen": int(days)},
        )
    return waarneming


def file_sections_read(
    *, user, client_id: str, sections: Iterable[str], purpose: str = events.CLIENT_FILE
) -> int:
    """One audit row per section of a client file a page showed; all or none."""
    count = 0
    with transaction.atomic():
        for section in sections:
            audit_read(user=user, client_id=client_id, section=section, purpose=purpose)
            count += 1
    return count


def access_denied_record(
    *, user, client_id: str = "", section: str = "", purpose: str = "", reason: str = ""
) -> None:
    """Log a refused attempt to open a client file (shown to the privacy officer)."""
    audit_record(
        user=user,
        action=Action.DENIED,
        client_id=(client_id or "")[:64],
        section=section,
        purpose=purpose,
        details={"reden": reason} if reason else None,
    )
