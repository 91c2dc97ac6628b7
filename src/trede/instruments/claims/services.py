"""Writes of prestatiefinanciering: a provider submits a claim for due lines, the
municipality creates recoveries, one employee checks and another approves (four eyes:
never the same person, refused here and in the database), or a claim is rejected with a
reason (its lines are due again). Approval pays: the claim then counts as paid.

Every step is audited; a refused step is audited outside the refused transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.utils.concurrency import create_once, move_status

from ..constants import ClaimKind, ClaimStatus
from ..models import Claim, ClaimLine
from . import selectors

REASON_MIN, REASON_MAX = 5, 500


class ClaimRefused(ValidationError):
    """A step on a claim that may not be taken now (wrong status, the same person twice)."""

    status_code = 409


def _lines_create(claim: Claim, due: list[selectors.DueLine]) -> None:
    ClaimLine.objects.bulk_create(
        ClaimLine(
            claim=claim,
            trajectory_id=d.trajectory.pk,
            contract=d.contract,
            kind=d.line.kind,
            seq=d.line.seq,
            due_date=d.line.due_date,
            amount_eur=d.line.amount,
        )
        for d in due
    )


def _claim_create(*, user, provider, kind: str, due: list[selectors.DueLine], submission_key) -> Claim:
    def create(key):
        claim = Claim.objects.create(
            provider=provider,
            kind=kind,
            total_eur=sum((d.line.amount for d in due), selectors.ZERO),
            submitted_by=user,
            submitted_at=timezone.now(),
            submission_key=key,
        )
        _lines_create(claim, due)
        logevent.claim_submitted(user, claim, lines=len(due))
        return claim

    try:
        claim, _created = create_once(Claim, submission_key, create)
    except IntegrityError as error:
        # Another claim took one of these lines in the meantime (the unique line key).
        raise ClaimRefused(
            "Een of meer van deze regels staan intussen al op een andere declaratie. Open de pagina opnieuw."
        ) from error
    return claim


def claim_submit(*, user, keys: list[str], as_of: date | None = None, submission_key=None) -> Claim:
    """The provider's claim for the chosen due lines (keys as `DueLine.key_text`)."""
    perms.check(user, perms.CLAIM_SUBMIT)
    provider = user.provider
    if provider is None:
        raise ValidationError("Uw account hoort niet bij een aanbieder.")
    existing = Claim.objects.filter(submission_key=submission_key).first() if submission_key else None
    if existing is not None:
        return existing  # a second submit of the same form
    as_of = as_of or timezone.localdate()
    due = {d.key_text: d for d in selectors.due_lines([provider.pk], as_of=as_of)}
    chosen = list(dict.fromkeys(keys))
    if not chosen:
        raise ValidationError("Kies minstens één regel om te declareren.")
    unknown = [k for k in chosen if k not in due]
    if unknown:
        raise ClaimRefused(
            f"{len(unknown)} gekozen regel(s) zijn niet (meer) te declareren: al gedeclareerd of niet verschuldigd. "
            "Open de pagina opnieuw."
        )
    return _claim_create(
        user=user,
        provider=provider,
        kind=ClaimKind.DECLARATIE,
        due=[due[k] for k in chosen],
        submission_key=submission_key,
    )


def recoveries_create(*, user, provider, as_of: date | None = None, submission_key=None) -> Claim | None:
    """One recovery claim for every recovery due from this provider (None when none is due)."""
    perms.check(user, perms.RECOVERY_CREATE)
    existing = Claim.objects.filter(submission_key=submission_key).first() if submission_key else None
    if existing is not None:
        return existing
    due = selectors.due_lines([provider.pk], as_of=as_of or timezone.localdate(), recoveries=True)
    if not due:
        return None
    return _claim_create(
        user=user, provider=provider, kind=ClaimKind.TERUGVORDERING, due=due, submission_key=submission_key
    )


def _refuse(user, claim: Claim, *, step: str, message: str):
    logevent.claim_refused(user, claim, step=step, reason=message)
    return ClaimRefused(message)


def _move(claim: Claim, *, expected: str, **changes) -> Claim:
    """The status change, only when the claim still has the expected status (two people
    acting on one claim at once: one of them wins)."""
    return move_status(
        claim,
        expected=expected,
        refused=ClaimRefused("De status van deze declaratie is intussen gewijzigd. Open de pagina opnieuw."),
        **changes,
    )


def claim_check(*, user, claim: Claim) -> Claim:
    """First pair of eyes: the claim is checked (not by whoever created it)."""
    perms.check(user, perms.CLAIM_CHECK)
    claim = Claim.objects.get(pk=claim.pk)
    if claim.status != ClaimStatus.INGEDIEND:
        raise _refuse(
            user,
            claim,
            step="controleren",
            message="Alleen een ingediende declaratie kan worden gecontroleerd.",
        )
    if claim.submitted_by_id == user.pk:
        raise _refuse(
            user,
            claim,
            step="controleren",
            message="U heeft deze terugvordering zelf aangemaakt; een collega controleert haar.",
        )
    with transaction.atomic():
        claim = _move(
            claim,
            expected=ClaimStatus.INGEDIEND,
            status=ClaimStatus.GECONTROLEERD,
            checked_by=user,
            checked_at=timezone.now(),
        )
        logevent.claim_checked(user, claim)
    return claim


def claim_approve(*, user, claim: Claim, override_reason: str | None = None) -> Claim:
    """Second pair of eyes: approved, and so paid, by someone who did not check it.

    Paid means booked: one finance Payment per line, in the same transaction. Approving
    beyond a contract's money ceiling, or paying beyond a budget line's ceiling, is refused
    unless a contract manager gives a reason (`override_reason`, kept as a CeilingOverride
    or a BudgetAllowance, and audited)."""
    from trede.finance import services as finance

    perms.check(user, perms.CLAIM_APPROVE)
    claim = Claim.objects.select_related("checked_by").get(pk=claim.pk)
    if claim.status != ClaimStatus.GECONTROLEERD:
        raise _refuse(
            user,
            claim,
            step="goedkeuren",
            message="Alleen een gecontroleerde declaratie kan worden goedgekeurd.",
        )
    if claim.checked_by_id == user.pk:
        raise _refuse(
            user,
            claim,
            step="goedkeuren",
            message="U heeft deze declaratie zelf gecontroleerd. Een collega keurt haar goed (vier ogen).",
        )
    if claim.submitted_by_id == user.pk:
        raise _refuse(
            user,
            claim,
            step="goedkeuren",
            message="U heeft deze terugvordering zelf aangemaakt; een collega keurt haar goed.",
        )
    today = timezone.localdate()
    try:
        with transaction.atomic():
            finance.claim_ceilings_enforce(user, claim, as_of=today, override_reason=override_reason)
            claim = _move(
                claim,
                expected=ClaimStatus.GECONTROLEERD,
                status=ClaimStatus.GOEDGEKEURD,
                approved_by=user,
                approved_at=timezone.now(),
            )
            finance.budget_lines_enforce(
                user,
                claim.lines.values_list("contract__budget_line", "contract__funding").distinct(),
                lambda: finance.claim_payments_book(claim, day=today),
                day=today,
                subject=finance.SUBJECT_APPROVAL,
                override_reason=override_reason,
                claim=claim,
            )
            logevent.claim_approved(user, claim)
    except finance.CeilingExceeded as error:
        # Audited outside the refused transaction.
        finance.ceiling_refusal_audit(user, error, subject=finance.SUBJECT_APPROVAL)
        raise _refuse(user, claim, step="goedkeuren", message=" ".join(error.messages)) from error
    return claim


def claim_reject(*, user, claim: Claim, reason: str) -> Claim:
    """Rejected with a reason, before approval; its lines are due again for a new claim."""
    perms.check(user, perms.CLAIM_CHECK)
    reason = (reason or "").strip()
    if not (REASON_MIN <= len(reason) <= REASON_MAX):
        raise ValidationError(f"Geef een reden van {REASON_MIN} tot {REASON_MAX} tekens.")
    claim = Claim.objects.get(pk=claim.pk)
    if claim.status not in (ClaimStatus.INGEDIEND, ClaimStatus.GECONTROLEERD):
        raise _refuse(
            user,
            claim,
            step="afwijzen",
            message="Een goedgekeurde of afgewezen declaratie kan niet worden afgewezen.",
        )
    with transaction.atomic():
        claim = _move(
            claim,
            expected=claim.status,
            status=ClaimStatus.AFGEWEZEN,
            rejected_by=user,
            rejected_at=timezone.now(),
            rejection_reason=reason,
        )
        claim.lines.update(released=True)
        logevent.claim_rejected(user, claim, reason=reason)
    return claim
