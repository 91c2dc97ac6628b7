"""Writes of the finance app: the payment rows of an approved claim, the contract
manager's override of a ceiling (kept with its reason), and the room beyond a budget
line's budget (`BudgetAllowance`) that payments on the line need once it is used up."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import logevent
from trede.utils.dutch import format_number

from . import ceilings, selectors
from .constants import OverrideSubject, PaymentKind
from .models import Budget, BudgetAllowance, CeilingOverride, Payment

# Payments Trede books itself carry this prefix; an imported payments.csv row never does
# (the importer keeps the source system's own ids), so the two can be told apart.
TREDE_PREFIX = "TREDE-"
CLAIM_LINE_PREFIX = "TREDE-DECL-"


def claim_payment_id(line_pk: int) -> str:
    """Deterministic per claim line: booking the same approval twice writes one row."""
    return f"{CLAIM_LINE_PREFIX}{line_pk}"


def claim_payments_book(claim, *, day: date) -> int:
    """One Payment per line of an approved claim (a recovery line is a negative amount),
    on the line's contract's funding and budget line, dated the approval day. Run inside
    the approval's transaction, so a claim is approved and paid together or not at all."""
    lines = list(claim.lines.select_related("contract", "trajectory"))
    rows = [
        Payment(
            payment_id=claim_payment_id(line.pk),
            client_id=line.trajectory.client_id,
            date=day,
            amount_eur=line.amount_eur,
            kind=PaymentKind.TRAJECT,
            funding=line.contract.funding,
            line=line.contract.budget_line,
            trajectory_id=line.trajectory_id,
        )
        for line in lines
    ]
    # ignore_conflicts: a retry of the same approval finds its rows and books nothing new.
    Payment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def ceiling_override_record(
    *, user, contract, subject: str, reason: str, figures, claim=None
) -> CeilingOverride:
    """Kept, never changed: who went beyond which ceiling, why, and the figures then."""
    return CeilingOverride.objects.create(
        contract=contract,
        claim=claim,
        subject=subject,
        measure=figures.measure,
        use_before=figures.use,
        use_after=figures.use_after,
        ceiling=figures.ceiling,
        reason=reason,
        created_by=user,
    )


# --------------------------------------------------------------------------- ceilings

OVERRIDE_REASON_MIN, OVERRIDE_REASON_MAX = 10, 500
SUBJECT_APPROVAL = "goedkeuring van een declaratie"
SUBJECT_REFERRAL = "verwijzing"
SUBJECT_PREMIUM = "goedkeuring van een premie"


class CeilingExceeded(ValidationError):
    """An action that would take a contract beyond its ceiling, refused (in Dutch)."""

    status_code = 409

    def __init__(self, message: str, figures: list):
        super().__init__(message)
        self.figures = figures


def _shown(figures: ceilings.Figures, value) -> str:
    if figures.measure == ceilings.GELD:
        return f"€ {format_number(value, 2)}"
    return f"{format_number(value, 0)} trajecten"


def _refused_part(f: ceilings.Figures, subject: str) -> str:
    if f.contract_pk is None:  # a budget line: its ceiling is the budget plus allowed room
        room = (f.ceiling or ceilings.ZERO) - (f.budget or ceilings.ZERO)
        extra = f" plus € {format_number(room, 2)} toegestane ruimte" if room > 0 else ""
        return (
            f"begrotingsregel {f.subject} ({_funding_label(f.provider)}) komt met deze {subject} op "
            f"{_shown(f, f.use_after)} uitgegeven en verplicht, bij een budget van "
            f"{_shown(f, f.budget if f.budget is not None else f.ceiling)}{extra}"
        )
    return (
        f"contract {f.subject} van {f.provider} komt met deze {subject} op "
        f"{_shown(f, f.use_after)} van het {'geldplafond' if f.measure == ceilings.GELD else 'volumeplafond'} "
        f"van {_shown(f, f.ceiling)}"
    )


def _funding_label(funding: str) -> str:
    from .constants import Funding

    return Funding(funding).label if funding in Funding.values else "zonder financiering"


def refusal_text(figures: list[ceilings.Figures], *, subject: str) -> str:
    parts = [_refused_part(f, subject) for f in figures]
    if subject == SUBJECT_REFERRAL:
        # Who refers (a consultant) cannot go beyond a ceiling; who may (the contract
        # manager) decides by raising the contract's ceiling, which keeps its history.
        way_on = (
            "Kies een andere aanbieder, of vraag de contractmanager het plafond van het contract "
            "te verhogen; daarna kunt u verwijzen."
        )
    elif subject == SUBJECT_PREMIUM:
        # The teamleider approves premiums; room beyond a budget is the contract manager's.
        way_on = (
            "Vraag de contractmanager om ruimte boven het budget van deze begrotingsregel "
            "(op de budgetpagina, met een reden); daarna kunt u goedkeuren."
        )
    else:
        way_on = f"Alleen een contractmanager kan dit doorzetten, met een reden van minstens {OVERRIDE_REASON_MIN} tekens."
    return "Boven het plafond: " + "; ".join(parts) + ". " + way_on


def _override_reason(user, reason: str | None) -> str | None:
    """The reason when this user may go beyond a ceiling with it; None when not given.
    A reason that is too short or from a role that may not override is refused."""
    reason = (reason or "").strip()
    if not reason:
        return None
    if not perms.role_may(user, perms.CEILING_OVERRIDE):
        raise ValidationError("Alleen een contractmanager kan boven een plafond goedkeuren of verwijzen.")
    if not (OVERRIDE_REASON_MIN <= len(reason) <= OVERRIDE_REASON_MAX):
        raise ValidationError(
            f"Geef als reden om boven het plafond te gaan {OVERRIDE_REASON_MIN} tot {OVERRIDE_REASON_MAX} tekens."
        )
    return reason


def _lock_contracts(pks) -> None:
    """Two approvals or referrals on one contract at once: the second waits for the first
    (PostgreSQL; SQLite writes one at a time anyway), so both cannot pass the same room."""
    from trede.instruments.models import Contract

    if not transaction.get_connection().in_atomic_block:
        return  # outside a transaction there is nothing to hold the lock for
    list(Contract.objects.select_for_update().filter(pk__in=sorted(pks)).values_list("pk", flat=True))


def _apply(
    user, blocked: list[ceilings.Figures], *, subject: str, reason, claim=None
) -> list[CeilingOverride]:
    """Blocked figures with a valid reason become kept overrides (audited); without one the
    action is refused. Call inside the action's transaction."""
    if not blocked:
        return []
    reason = _override_reason(user, reason)
    if reason is None:
        raise CeilingExceeded(refusal_text(blocked, subject=subject), blocked)
    kept = []
    contracts = _contracts_by_pk(blocked)
    for figures in blocked:
        override = ceiling_override_record(
            user=user,
            contract=contracts[figures.contract_pk],
            subject=OverrideSubject.GOEDKEURING if claim is not None else OverrideSubject.VERWIJZING,
            reason=reason,
            figures=figures,
            claim=claim,
        )
        logevent.ceiling_overridden(user, figures, subject=subject, reason=reason, override_pk=override.pk)
        kept.append(override)
    return kept


def claim_ceiling_figures(claim, *, as_of: date) -> list[ceilings.Figures]:
    """The money ceilings of the contracts on this claim, with the use were it approved."""
    extra: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for contract_pk, tid, amount in claim.lines.values_list("contract_id", "trajectory_id", "amount_eur"):
        extra[contract_pk][str(tid)] += Decimal(amount)
    figures = selectors.contract_ceilings(as_of=as_of, contract_pks=list(extra), extra_paid=extra)
    return [f for f in figures if f.measure == ceilings.GELD]


def claim_ceilings_enforce(user, claim, *, as_of: date, override_reason=None) -> list[CeilingOverride]:
    """Inside the approval's transaction: refuse (CeilingExceeded) when approving takes a
    contract beyond its money ceiling, unless a contract manager gives a reason."""
    pks = set(claim.lines.values_list("contract_id", flat=True))
    _lock_contracts(pks)
    blocked = [f for f in claim_ceiling_figures(claim, as_of=as_of) if f.blocked]
    return _apply(user, blocked, subject=SUBJECT_APPROVAL, reason=override_reason, claim=claim)


def _contracts_by_pk(figures: list[ceilings.Figures]) -> dict:
    from trede.instruments.models import Contract

    return Contract.objects.in_bulk([f.contract_pk for f in figures])


def ensure_within_ceiling(contract, *, user, override_reason: str | None = None, as_of: date | None = None):
    """For a referral service, before it creates a trajectory under `contract`: refuses
    (CeilingExceeded, a Dutch message) when one more trajectory goes beyond the contract's
    volume ceiling, or when its money ceiling is reached already (a new trajectory only adds
    cost), unless a contract manager gives `override_reason` (then kept and audited).
    Call it inside the transaction that creates the trajectory: the contract row is then
    locked until that commits (two referrals cannot take the last place together) and an
    override is kept only with the referral it allowed. The refusal is audited here; when
    the caller's transaction rolls back with it, the caller writes it again after the
    rollback with `ceiling_refusal_audit(user, error)`. Returns the contract's figures
    (for a warning from 90 % on) and the overrides made."""
    as_of = as_of or timezone.localdate()
    _lock_contracts([contract.pk])
    figures = selectors.contract_ceilings(as_of=as_of, contract_pks=[contract.pk])
    checked = []
    for f in figures:
        # Volume: one trajectory more. Money: any rise is refused once the use is at the
        # block level; the new trajectory's cost is not known here, so the smallest rise is tested.
        after = f.use + 1 if f.measure == ceilings.VOLUME else f.use + ceilings.CENT
        checked.append(dataclasses.replace(f, use_after=after))
    blocked = [f for f in checked if f.blocked]
    try:
        overrides = _apply(user, blocked, subject=SUBJECT_REFERRAL, reason=override_reason)
    except CeilingExceeded:
        for f in blocked:
            logevent.ceiling_refused(user, f, subject=SUBJECT_REFERRAL)
        raise
    return checked, overrides


def ceiling_refusal_audit(user, error: CeilingExceeded, *, subject: str = SUBJECT_REFERRAL) -> None:
    """The refusal's audit rows, for a caller whose transaction rolled back with them."""
    for f in error.figures:
        logevent.ceiling_refused(user, f, subject=subject)


# --------------------------------------------------------------------------- budget lines


def _line_figures(keys, *, day: date) -> dict[tuple[str, str], ceilings.Figures]:
    """The ceilings of these budget lines in `day`'s year, with the payments up to and
    including `day` (the page's figures, `budget_report` itself)."""
    report = selectors.budget_report(day.year, selectors.as_of_through(day))
    return {(f.subject, f.provider): f for f in selectors.line_ceilings(report, keys=keys)}


def budget_lines_enforce(user, keys, book, *, day: date, subject: str, override_reason=None, claim=None):
    """Inside the action's transaction: run `book()` (which writes the action's payments)
    between two measurements of the budget lines `keys` ((line, funding) pairs) in `day`'s
    year; refuse (CeilingExceeded) when the payments take a line beyond its block level,
    unless a contract manager gives a reason: then the room exactly needed is allowed
    (`BudgetAllowance`, kept and audited). Lines without a budget row have no ceiling.
    Returns what `book()` returned. The use is spent + committed, as on the budget page,
    so paying what a running trajectory was expected to cost leaves it unchanged."""
    keys = {(line, funding) for line, funding in keys if line}
    if not keys:
        return book()
    selectors.budget_lines_locked(day.year, keys)
    before = _line_figures(keys, day=day)
    result = book()
    after = _line_figures(keys, day=day)
    blocked = []
    for key, f in sorted(before.items()):
        checked = dataclasses.replace(f, use_after=after[key].use if key in after else f.use)
        if checked.blocked:
            blocked.append(checked)
    if not blocked:
        return result
    reason = _override_reason(user, override_reason)
    if reason is None:
        raise CeilingExceeded(refusal_text(blocked, subject=subject), blocked)
    for f in blocked:
        allowance = BudgetAllowance.objects.create(
            year=f.year,
            line=f.subject,
            funding=f.provider,
            amount_eur=ceilings.room_needed(f.use_after, f.ceiling, f.thresholds),
            reason=reason,
            claim=claim,
            use_before=f.use.quantize(ceilings.CENT),
            ceiling_before=f.ceiling.quantize(ceilings.CENT),
            created_by=user,
        )
        logevent.budget_allowance_made(user, allowance, subject=subject)
    return result


ALLOWANCE_MAX_EUR = Decimal("100000000")  # a plausibility bound against a mistyped amount


def budget_allowance_create(
    *, user, year: int, line: str, funding: str, amount_eur, reason: str, submission_key=None, today=None
) -> BudgetAllowance:
    """The contract manager allows room beyond a budget line's budget, with a reason.

    Only for a line with a budget in this year or a later one (a past year's spending is
    closed); a double submit returns the first allowance (submission key)."""
    from trede.utils.concurrency import create_once

    perms.check(user, perms.CEILING_OVERRIDE)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    problems = []
    try:
        amount = Decimal(str(amount_eur)).quantize(ceilings.CENT)
    except (ArithmeticError, ValueError):
        amount = None
    if amount is None or not (Decimal("0.01") <= amount <= ALLOWANCE_MAX_EUR):
        problems.append("Geef een bedrag groter dan € 0 (tot € 100.000.000).")
    if not (OVERRIDE_REASON_MIN <= len(reason) <= OVERRIDE_REASON_MAX):
        problems.append(f"Geef als reden {OVERRIDE_REASON_MIN} tot {OVERRIDE_REASON_MAX} tekens.")
    if year < today.year:
        problems.append(f"{year} is voorbij: ruimte boven het budget kan alleen voor dit jaar of later.")
    elif not Budget.objects.filter(year=year, line=line, funding=funding).exists():
        problems.append(f"Begrotingsregel {line} heeft geen budget in {year}.")
    if problems:
        raise ValidationError(problems)

    def create(key):
        with transaction.atomic():
            selectors.budget_lines_locked(year, {(line, funding)})
            report = selectors.budget_report(year, selectors.as_of_through(today))
            figures = {
                (f.subject, f.provider): f for f in selectors.line_ceilings(report, keys={(line, funding)})
            }
            f = figures[(line, funding)]
            allowance = BudgetAllowance.objects.create(
                submission_key=key,
                year=year,
                line=line,
                funding=funding,
                amount_eur=amount,
                reason=reason,
                use_before=f.use.quantize(ceilings.CENT),
                ceiling_before=f.ceiling.quantize(ceilings.CENT),
                created_by=user,
            )
            logevent.budget_allowance_made(user, allowance, subject="ruimte boven het budget")
            return allowance

    allowance, _created = create_once(BudgetAllowance, submission_key, create)
    return allowance
