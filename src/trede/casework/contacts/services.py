"""Writes on contact moments (the contact regime of issue 3, point 7).

A contact moment registered in Trede gets a number "TC" + a zero-padded sequence, so it
never collides with numbers that came in through the interchange import.

A contact moment is never silently changed (issue 7, point 6): its author corrects it with
a reason (`contact_correct`), or withdraws it with a reason (`contact_withdraw`); the
earlier versions stay in its history. A withdrawn contact no longer counts as contact.
Both edits carry the edit token of the page the user saw (`contact_edit_token`), so an
edit over someone else's newer save is refused (`StaleEditError`), not a lost update.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.utils.concurrency import claim_version, create_once, edit_token

from ..caseload.models import Consultant
from ..constants import ContactKind, ContactOutcome
from .models import Contact

CONTACT_ID_PREFIX = "TC"
# A verslag is a few paragraphs; a pasted document or a runaway script is refused.
NOTE_MAX_LENGTH = 10_000
EARLIEST_CONTACT = date(1900, 1, 1)
CONTACT_ID_ATTEMPTS = 12
# A reason says what was wrong in a sentence ("verkeerde klant", "datum verwisseld"), not
# a new verslag.
REASON_MIN_LENGTH = 5
REASON_MAX_LENGTH = 500
# What a correction may change, and what the edit token remembers of the page the user saw.
CORRECTED_FIELDS = ("date", "kind", "outcome", "note")
TOKEN_FIELDS = (*CORRECTED_FIELDS, "withdrawn_at")
FIELD_LABELS = {"date": "datum", "kind": "soort contact", "outcome": "uitkomst", "note": "verslag"}
WHAT = "dit contactmoment"


def contact_may_register(user, client) -> bool:
    return perms.allowed(user, perms.CONTACT_WRITE, client)


def _next_contact_id(attempt: int = 0) -> str:
    """The next free-looking number. After a collision (a colleague's save took it in the
    same instant, not yet visible to us) a random step past it, so ten simultaneous saves
    spread over different numbers instead of all retrying the same one; gaps are harmless."""
    last = (
        Contact.objects.filter(contact_id__startswith=CONTACT_ID_PREFIX, contact_id__regex=r"^TC[0-9]{8}$")
        .order_by("-contact_id")
        .values_list("contact_id", flat=True)
        .first()
    )
    number = (int(last[len(CONTACT_ID_PREFIX) :]) if last else 0) + 1
    if attempt:
        number += secrets.randbelow(4 * attempt + 1)
    return f"{CONTACT_ID_PREFIX}{number:08d}"


def _dots(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _valid_contact(*, date, kind: str, outcome: str, note: str) -> str:
    """The verslag as it will be stored; ValidationError with every problem otherwise."""
    problems = []
    if date is None:
        problems.append("Geef de datum van het contact.")
    elif date > timezone.localdate():
        problems.append("Een contactmoment kan niet in de toekomst liggen.")
    elif date < EARLIEST_CONTACT:
        problems.append("Een contactmoment kan niet voor 1900 liggen.")
    note = (note or "").strip()
    if not note:
        problems.append("Schrijf een verslag: wat is besproken en afgesproken (of waarom het niet doorging).")
    elif len(note) > NOTE_MAX_LENGTH:
        problems.append(f"Het verslag is te lang: ten hoogste {_dots(NOTE_MAX_LENGTH)} tekens.")
    if kind not in ContactKind.values:
        problems.append("Kies de soort contact.")
    if outcome not in ContactOutcome.values:
        problems.append("Kies de uitkomst van het contact.")
    if problems:
        raise ValidationError(problems)
    return note


def _valid_reason(reason: str, *, what: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            f"Geef een reden voor {what} (minstens {REASON_MIN_LENGTH} tekens): wat was er niet juist?"
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(f"De reden is te lang: ten hoogste {REASON_MAX_LENGTH} tekens.")
    return reason


def contact_register(
    *,
    user,
    client,
    date: date,
    kind: str,
    outcome: str = ContactOutcome.GEHOUDEN,
    note: str = "",
    submission_key=None,
) -> Contact:
    """Record a contact moment with a client (held, not shown up, or cancelled).

    `submission_key` is the key of the opened form: a second submit of that form (back
    button, double click) returns the contact the first one made and records nothing.
    """
    perms.check(user, perms.CONTACT_WRITE, client, purpose=events.CONTACT)
    note = _valid_contact(date=date, kind=kind, outcome=outcome, note=note)
    consultant = Consultant.objects.filter(user=user).first() or client.consultant

    def create(key) -> Contact:
        for attempt in range(CONTACT_ID_ATTEMPTS):
            try:
                with transaction.atomic():
                    contact = Contact(
                        contact_id=_next_contact_id(attempt),
                        client=client,
                        date=date,
                        kind=kind,
                        outcome=outcome,
                        note=note,
                        consultant=consultant,
                        created_by=user,
                        submission_key=key,
                    )
                    contact._history_user = user
                    contact.save(force_insert=True)
                    logevent.contact_registered(user, contact)
                return contact
            except IntegrityError:
                if key is not None and Contact.objects.filter(submission_key=key).exists():
                    # The same form's other submit won the race: create_once returns its contact.
                    raise
                # Another contact took the same number at the same moment: take the next one.
                continue
        raise IntegrityError("Geen vrij contactnummer gevonden; probeer het opnieuw.")

    contact, _created = create_once(Contact, submission_key, create)
    return contact


def contact_edit_token(contact: Contact) -> str:
    """The hidden value of a correction or withdrawal form: the version the user saw."""
    return edit_token(contact, TOKEN_FIELDS)


def contact_correct(
    *, user, contact: Contact, token: str, date: date, kind: str, outcome: str, note: str, reason: str
) -> Contact:
    """Correct a contact moment (its author only), with a reason. The version before stays
    in the history; a correction over someone else's newer save is refused."""
    perms.check(user, perms.CONTACT_CORRECT, contact.client, purpose=events.CONTACT, record=contact)
    note = _valid_contact(date=date, kind=kind, outcome=outcome, note=note)
    reason = _valid_reason(reason, what="de correctie")
    with transaction.atomic():
        current = claim_version(contact, token, TOKEN_FIELDS, what=WHAT)
        if current.is_withdrawn:
            raise ValidationError("Een ingetrokken contactmoment kan niet meer worden gecorrigeerd.")
        new = {"date": date, "kind": kind, "outcome": outcome, "note": note}
        changed = [name for name in CORRECTED_FIELDS if getattr(current, name) != new[name]]
        if not changed:
            # Raised inside the transaction: the claimed version is rolled back with it.
            raise ValidationError("Er is niets gewijzigd: pas de datum, soort, uitkomst of het verslag aan.")
        for name in changed:
            setattr(current, name, new[name])
        current.corrected_at = timezone.now()
        current.corrected_by = user
        current.correction_reason = reason
        current._history_user = user
        current.save()
        logevent.contact_corrected(user, current, changed=[FIELD_LABELS[n] for n in changed], reason=reason)
    return current


def contact_withdraw(*, user, contact: Contact, token: str, reason: str) -> Contact:
    """Withdraw a contact moment with a reason: it stays on file and in the history, marked
    'ingetrokken', and no longer counts as contact (worklist, caseload, export)."""
    perms.check(user, perms.CONTACT_WITHDRAW, contact.client, purpose=events.CONTACT, record=contact)
    reason = _valid_reason(reason, what="het intrekken")
    with transaction.atomic():
        current = claim_version(contact, token, TOKEN_FIELDS, what=WHAT)
        if current.is_withdrawn:
            raise ValidationError("Dit contactmoment is al ingetrokken.")
        current.withdrawn_at = timezone.now()
        current.withdrawn_by = user
        current.withdrawal_reason = reason
        current._history_user = user
        current.save()
        logevent.contact_withdrawn(user, current, reason=reason)
    return current
