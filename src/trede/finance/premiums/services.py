"""Writes of premiums: a staff member proposes an earned part, one employee checks it, a
different one approves it, and approval pays (a finance `Payment` of kind `premie` in the
same transaction); or it is rejected with a reason (the part may then be proposed again).

Four eyes as for claims (`trede.instruments.claims.services`): who approves neither
checked nor proposed, refused here with a Dutch message (audited as `premium_refused`,
outside the refused transaction) and by check constraints in the database. Paid once: one
live part per client, scheme and part (a unique constraint), and the payment id is
`TREDE-PREMIE-<id>`, so nothing is booked twice. Every step is audited.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.clients.models import Client
from trede.utils.concurrency import create_once, move_status

from .. import services as finance
from ..constants import PaymentKind
from ..models import Payment
from . import selectors
from .models import PremiumPart, PremiumStatus

PURPOSE = events.PREMIUMS
REASON_MIN, REASON_MAX = 5, 500


class PremiumRefused(ValidationError):
    """A step on a premium part that may not be taken now (status, the same person twice,
    no longer earned)."""

    status_code = 409


def _refuse(user, part: PremiumPart, *, step: str, message: str) -> PremiumRefused:
    logevent.premium_refused(user, part, step=step, reason=message)
    return PremiumRefused(message)


def premium_propose(
    *,
    user,
    client: Client,
    scheme: str,
    part: int,
    period: date | None = None,
    as_of: date | None = None,
    submission_key=None,
) -> PremiumPart:
    """Propose an earned part for payment (recomputed here: the page may be old). A part
    of a monthly scheme (the werkpremie) is named by its `period`, the month's first day."""
    perms.check(user, perms.PREMIUM_PROPOSE, client, purpose=PURPOSE)
    existing = PremiumPart.objects.filter(submission_key=submission_key).first() if submission_key else None
    if existing is not None:
        return existing  # a second submit of the same form
    as_of = as_of or timezone.localdate()
    found = selectors.scheme_by_code(scheme)
    if found is None:
        raise ValidationError("Deze premieregeling bestaat niet (meer) in het beleid.")
    if found.monthly and period is None:
        raise ValidationError(f"Kies de maand van de {found.name.lower()}.")
    if not found.monthly:
        period = None
    label = selectors.part_label(part, period)
    due = next(
        (
            d
            for d in selectors.due_for_client(client, as_of=as_of, scheme=found)
            if (d.part, d.period) == (part, period)
        ),
        None,
    )
    if due is None:
        raise PremiumRefused(f"{client.name} heeft {label} van de {found.name.lower()} (nog) niet verdiend.")

    def create(key):
        row = PremiumPart.objects.create(
            client=client,
            scheme=found.code,
            scheme_name=found.name,
            part=due.part,
            period=due.period,
            outflow_date=due.outflow_date,
            due_date=due.due_date,
            benefit_id=due.benefit_id or None,
            trajectory_id=due.trajectory_id or None,
            amount_eur=due.amount,
            funding=found.funding,
            line=found.line,
            proposed_by=user,
            proposed_at=timezone.now(),
            submission_key=key,
        )
        logevent.premium_proposed(user, row)
        return row

    try:
        row, _created = create_once(PremiumPart, submission_key, create)
    except IntegrityError as error:
        # The unique constraint: this part is already on its way or paid. The same person
        # proposing it twice (a double click) is no error and writes nothing.
        mine = PremiumPart.objects.filter(
            client=client,
            scheme=found.code,
            part=due.part,
            period=due.period,
            status=PremiumStatus.VOORGESTELD,
            proposed_by=user,
        ).first()
        if mine is not None:
            return mine
        raise PremiumRefused(
            f"{label.capitalize()} van de {found.name.lower()} van {client.name} is al voorgesteld of betaald."
        ) from error
    return row


def _move(part: PremiumPart, *, expected: str, **changes) -> PremiumPart:
    """The status change, only when the part still has the expected status (two people at
    once: one of them wins)."""
    return move_status(
        part,
        expected=expected,
        refused=PremiumRefused("De status van dit premiedeel is intussen gewijzigd. Open de pagina opnieuw."),
        **changes,
    )


def _load(part: PremiumPart) -> PremiumPart:
    return PremiumPart.objects.select_related("client", "checked_by", "proposed_by").get(pk=part.pk)


def premium_check(*, user, part: PremiumPart) -> PremiumPart:
    """First pair of eyes: the facts behind the part are checked against the benefit file."""
    part = _load(part)
    perms.check(user, perms.PREMIUM_CHECK, part.client, purpose=PURPOSE)
    if part.status != PremiumStatus.VOORGESTELD:
        raise _refuse(
            user,
            part,
            step="controleren",
            message="Alleen een voorgesteld premiedeel kan worden gecontroleerd.",
        )
    with transaction.atomic():
        part = _move(
            part,
            expected=PremiumStatus.VOORGESTELD,
            status=PremiumStatus.GECONTROLEERD,
            checked_by=user,
            checked_at=timezone.now(),
        )
        logevent.premium_checked(user, part)
    return part


def premium_approve(*, user, part: PremiumPart, as_of: date | None = None) -> PremiumPart:
    """Second pair of eyes: approved and paid by someone who neither checked nor proposed it."""
    part = _load(part)
    perms.check(user, perms.PREMIUM_APPROVE, part.client, purpose=PURPOSE)
    step = "goedkeuren"
    if part.status != PremiumStatus.GECONTROLEERD:
        raise _refuse(
            user, part, step=step, message="Alleen een gecontroleerd premiedeel kan worden goedgekeurd."
        )
    if part.checked_by_id == user.pk:
        raise _refuse(
            user,
            part,
            step=step,
            message="U heeft dit premiedeel zelf gecontroleerd. Een collega keurt het goed (vier ogen).",
        )
    if part.proposed_by_id == user.pk:
        raise _refuse(
            user,
            part,
            step=step,
            message="U heeft dit premiedeel zelf voorgesteld. Een collega keurt het goed (vier ogen).",
        )
    earlier_unpaid = PremiumPart.objects.filter(
        client_id=part.client_id, scheme=part.scheme, part__lt=part.part
    )
    # Parts after outflow go in order; the months of a monthly scheme are each on their own.
    if part.period is None and earlier_unpaid.filter(status=PremiumStatus.BETAALD).count() < part.part - 1:
        raise _refuse(
            user, part, step=step, message=f"Deel {part.part - 1} is nog niet betaald; dat gaat voor."
        )
    scheme = selectors.scheme_by_code(part.scheme)
    today = as_of or timezone.localdate()
    still = scheme is not None and any(
        (d.part, d.period) == (part.part, part.period)
        for d in selectors.due_for_client(part.client, as_of=today, scheme=scheme)
    )
    if not still:
        raise _refuse(
            user,
            part,
            step=step,
            message=(
                "Volgens de uitkeringen en trajecten is deze maand niet meer verdiend (bijvoorbeeld een gewijzigde einddatum). Wijs hem af met een reden."
                if part.period
                else "Volgens de uitkeringen is dit deel niet meer verdiend (bijvoorbeeld een nieuwe uitkering). Wijs het af met een reden."
            ),
        )
    try:
        with transaction.atomic():
            locked = PremiumPart.objects.select_for_update().get(pk=part.pk)
            if locked.status != PremiumStatus.GECONTROLEERD:
                raise PremiumRefused(
                    "De status van dit premiedeel is intussen gewijzigd. Open de pagina opnieuw."
                )
            payment = finance.budget_lines_enforce(
                user,
                [(part.line, part.funding)],
                lambda: Payment.objects.create(
                    payment_id=locked.planned_payment_id,
                    client_id=part.client_id,
                    date=today,
                    amount_eur=part.amount_eur,
                    kind=PaymentKind.PREMIE,
                    funding=part.funding,
                    line=part.line,
                    benefit_id=part.benefit_id,
                    trajectory_id=part.trajectory_id,
                ),
                day=today,
                subject=finance.SUBJECT_PREMIUM,
            )
            part = _move_paid(part, user=user, payment=payment)
    except finance.CeilingExceeded as error:
        # The line's budget is used up: refused, audited outside the rolled-back transaction.
        finance.ceiling_refusal_audit(user, error, subject=finance.SUBJECT_PREMIUM)
        raise _refuse(user, part, step=step, message=" ".join(error.messages)) from error
    return part


def _move_paid(part: PremiumPart, *, user, payment) -> PremiumPart:
    part = _move(
        part,
        expected=PremiumStatus.GECONTROLEERD,
        status=PremiumStatus.BETAALD,
        approved_by=user,
        approved_at=timezone.now(),
        payment=payment,
    )
    logevent.premium_approved(user, part)
    return part


def premium_reject(*, user, part: PremiumPart, reason: str) -> PremiumPart:
    """Rejected with a reason before payment; the part may be proposed again later."""
    part = _load(part)
    perms.check(user, perms.PREMIUM_CHECK, part.client, purpose=PURPOSE)
    reason = (reason or "").strip()
    if not (REASON_MIN <= len(reason) <= REASON_MAX):
        raise ValidationError(f"Geef een reden van {REASON_MIN} tot {REASON_MAX} tekens.")
    if part.status not in (PremiumStatus.VOORGESTELD, PremiumStatus.GECONTROLEERD):
        raise _refuse(
            user,
            part,
            step="afwijzen",
            message="Een betaald of afgewezen premiedeel kan niet worden afgewezen.",
        )
    with transaction.atomic():
        part = _move(
            part,
            expected=part.status,
            status=PremiumStatus.AFGEWEZEN,
            rejected_by=user,
            rejected_at=timezone.now(),
            rejection_reason=reason,
        )
        logevent.premium_rejected(user, part, reason=reason)
    return part
