"""Writes of rechtmatigheidsonderzoeken: register one held, correct it with a reason (the
history keeps what was first recorded), or withdraw a mistaken one. Each is checked
against the one permission declaration, refused with a Dutch message when the input
cannot be right, and audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.utils.concurrency import claim_version, create_once, edit_token

from ..models import Benefit
from .models import Outcome, Rechtmatigheidsonderzoek

PURPOSE = events.RECHTMATIGHEID
FIELDS = ("held_on", "outcome", "note")
REASON_MIN, REASON_MAX = 5, 500
NOTE_MAX = 500


def edit_token_for(onderzoek: Rechtmatigheidsonderzoek) -> str:
    return edit_token(onderzoek, FIELDS)


def _clean(client, *, held_on, outcome: str, note: str, today: date) -> dict:
    errors = {}
    if not isinstance(held_on, date):
        errors["held_on"] = "Vul de datum van het onderzoek in."
    elif held_on > today:
        errors["held_on"] = (
            "Een onderzoek dat nog moet plaatsvinden kan niet worden vastgelegd: kies vandaag of eerder."
        )
    else:
        first = (
            Benefit.objects.filter(client=client)
            .order_by("start_date")
            .values_list("start_date", flat=True)
            .first()
        )
        if first is None:
            errors["held_on"] = f"{client.name} heeft geen uitkering: er is geen recht om te onderzoeken."
        elif held_on < first:
            errors["held_on"] = (
                f"Het onderzoek ligt vóór de eerste uitkering ({first.strftime('%d-%m-%Y')}): controleer de datum."
            )
    if outcome not in Outcome.values:
        errors["outcome"] = "Kies de uitkomst van het onderzoek."
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = f"De toelichting is {len(note)} tekens; het mogen er hoogstens {NOTE_MAX} zijn."
    if errors:
        raise ValidationError(errors)
    return {"held_on": held_on, "outcome": outcome, "note": note}


def _reason(reason: str, *, what: str) -> str:
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ValidationError(
            {"reason": f"Geef een reden voor het {what} (van {REASON_MIN} tot {REASON_MAX} tekens)."}
        )
    return reason


def onderzoek_register(
    *, user, client, held_on, outcome: str, note: str = "", submission_key=None, today: date | None = None
) -> Rechtmatigheidsonderzoek:
    """Record an onderzoek held; the same form submitted twice records it once."""
    perms.check(user, perms.ONDERZOEK_REGISTER, client, purpose=PURPOSE)
    values = _clean(client, held_on=held_on, outcome=outcome, note=note, today=today or timezone.localdate())

    def create(key):
        onderzoek = Rechtmatigheidsonderzoek.objects.create(
            client=client, recorded_by=user, submission_key=key, **values
        )
        logevent.onderzoek_registered(user, onderzoek)
        return onderzoek

    onderzoek, _created = create_once(Rechtmatigheidsonderzoek, submission_key, create)
    return onderzoek


def onderzoek_correct(
    *, user, onderzoek: Rechtmatigheidsonderzoek, token: str, held_on, outcome: str, note: str, reason: str
) -> Rechtmatigheidsonderzoek:
    """Correct what was recorded, with a reason; refused over a colleague's newer edit."""
    perms.check(user, perms.ONDERZOEK_REGISTER, onderzoek.client, purpose=PURPOSE)
    if onderzoek.withdrawn_at is not None:
        raise ValidationError("Dit onderzoek is ingetrokken en kan niet meer worden gecorrigeerd.")
    values = _clean(onderzoek.client, held_on=held_on, outcome=outcome, note=note, today=timezone.localdate())
    reason = _reason(reason, what="corrigeren")
    with transaction.atomic():
        current = claim_version(onderzoek, token, FIELDS, what="dit onderzoek")
        changed = [
            str(Rechtmatigheidsonderzoek._meta.get_field(f).verbose_name)
            for f in FIELDS
            if getattr(current, f) != values[f]
        ]
        if not changed:
            raise ValidationError("Er is niets gewijzigd: pas de datum, de uitkomst of de toelichting aan.")
        for field, value in values.items():
            setattr(current, field, value)
        current.correction_reason = reason
        current._change_reason = reason  # simple_history keeps it with the new version
        current.save()
        logevent.onderzoek_corrected(user, current, changed=", ".join(changed), reason=reason)
    return current


def onderzoek_withdraw(*, user, onderzoek: Rechtmatigheidsonderzoek, token: str, reason: str):
    """A mistaken registration (wrong client, never held): kept, but it no longer counts."""
    perms.check(user, perms.ONDERZOEK_REGISTER, onderzoek.client, purpose=PURPOSE)
    if onderzoek.withdrawn_at is not None:
        raise ValidationError("Dit onderzoek is al ingetrokken.")
    reason = _reason(reason, what="intrekken")
    with transaction.atomic():
        current = claim_version(onderzoek, token, FIELDS, what="dit onderzoek")
        current.withdrawn_at = timezone.now()
        current.withdrawal_reason = reason
        current._change_reason = reason
        current.save()
        logevent.onderzoek_withdrawn(user, current, reason=reason)
    return current
