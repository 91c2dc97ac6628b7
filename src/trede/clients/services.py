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
from trede.audit import events, logevent

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
        logevent.waarneming_granted(user, waarneming, days=int(days))
    return waarneming


def file_sections_read(
    *, user, client_id: str, sections: Iterable[str], purpose: str = events.CLIENT_FILE
) -> int:
    """One audit row per section of a client file a page showed; all or none."""
    return len(logevent.client_sections_read(user, client_id, list(sections), purpose=purpose))


def access_denied_record(
    *, user, client_id: str = "", section: str = "", purpose: str = "", reason: str = ""
) -> None:
    """Log a refused attempt to open a client file (shown to the privacy officer)."""
    logevent.access_denied(user, client_id=client_id, section=section, purpose=purpose, reason=reason)
