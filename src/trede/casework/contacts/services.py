"""Writes on contact moments (the contact regime of issue 3, point 7).

A contact moment registered in Trede gets a number "TC" + a zero-padded sequence, so it
never collides with numbers that came in through the interchange import.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.utils.concurrency import create_once

from ..caseload.models import Consultant
from ..constants import ContactKind, ContactOutcome
from .models import Contact

CONTACT_ID_PREFIX = "TC"
# A verslag is a few paragraphs; a pasted document or a runaway script is refused.
NOTE_MAX_LENGTH = 10_000
EARLIEST_CONTACT = date(1900, 1, 1)
CONTACT_ID_ATTEMPTS = 12


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
        problems.append(f"Het verslag is te lang: ten hoogste {NOTE_MAX_LENGTH:,} tekens.".replace(",", "."))
    if kind not in ContactKind.values:
        problems.append("Kies de soort contact.")
    if outcome not in ContactOutcome.values:
        problems.append("Kies de uitkomst van het contact.")
    if problems:
        raise ValidationError(problems)
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
