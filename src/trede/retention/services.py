"""Writes: change a retention period; propose, approve (and so execute) or reject a
destruction run. Four eyes as for premiums and claims: who approves did not propose,
refused here with a Dutch message (audited as `destruction_refused`, outside the refused
transaction) and by a check constraint. Every step is audited without client numbers.

Execution goes in batches of `BATCH` clients, each batch one transaction: its clients are
checked again (a new benefit since the proposal keeps a client: skipped), destroyed with
every row that belongs to them (`destruction.clients_destroy`), and the run's counts
are raised in the same transaction. A run interrupted half-way stays `goedgekeurd` and
`run_execute` finishes it. The audit log's own run deletes the rows before its cut-off in
one transaction, the only place besides the test run and `trede demo --reset` that lifts
the audit log's triggers (`audit.triggers.triggers_suspended`), and only after a second
person approved it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.utils.concurrency import move_status

from . import rules, selectors
from .constants import DEFAULT_PERIODS, MAX_YEARS, MIN_YEARS, RecordType, RunStatus
from .destruction import clients_destroy
from .models import DestructionItem, DestructionRun, RetentionPeriod

PURPOSE = events.RETENTION
BATCH = 100
REASON_MIN, REASON_MAX = 5, 500
BASIS_MIN = 10


class DestructionRefused(ValidationError):
    status_code = 409


def _refuse(user, run, *, step: str, message: str) -> DestructionRefused:
    logevent.destruction_refused(user, run, step=step, reason=message)
    return DestructionRefused(message)


# --------------------------------------------------------------------------- periods


def period_update(
    *, user, record_type: str, years: int, basis: str, counted_from: str | None = None
) -> RetentionPeriod:
    perms.check(user, perms.RETENTION_EDIT, purpose=PURPOSE)
    if record_type not in RecordType.values:
        raise ValidationError("Deze soort gegevens heeft geen bewaartermijn.")
    if not (MIN_YEARS <= years <= MAX_YEARS):
        raise ValidationError(f"Een bewaartermijn ligt tussen {MIN_YEARS} en {MAX_YEARS} jaar.")
    basis = (basis or "").strip()
    if len(basis) < BASIS_MIN:
        raise ValidationError("Noem de bron of de reden van deze bewaartermijn (ten minste 10 tekens).")
    default = DEFAULT_PERIODS[record_type]
    with transaction.atomic():
        row = RetentionPeriod.objects.select_for_update().filter(record_type=record_type).first()
        old = row.years if row else default.years
        if row is None:
            row = RetentionPeriod(record_type=record_type, counted_from=default.counted_from)
        row.years = years
        row.basis = basis
        if counted_from:
            row.counted_from = counted_from.strip()[:300]
        row.changed_by = user
        row.changed_at = timezone.now()
        row._history_user = user
        row.save()
        logevent.retention_period_changed(user, row, old=old)
    return row


# --------------------------------------------------------------------------- runs


def run_propose(
    *, user, record_type: str = RecordType.KLANTDOSSIER, as_of: date | None = None
) -> DestructionRun:
    """Propose destroying everything of this record type that passed its period on `as_of`
    (clients already in another open run are left out)."""
    perms.check(user, perms.DESTRUCTION_PROPOSE, purpose=PURPOSE)
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        if record_type == RecordType.KLANTDOSSIER:
            expiry = selectors.expired_clients(as_of=as_of)
            taken = set(
                DestructionItem.objects.filter(
                    run__status__in=[RunStatus.VOORGESTELD, RunStatus.GOEDGEKEURD]
                ).values_list("client_id", flat=True)
            )
            ids = [e.client_id for e in expiry.expired if e.client_id not in taken]
            if not ids:
                raise DestructionRefused(
                    "Er zijn geen klantdossiers die hun bewaartermijn voorbij zijn en nog niet in een voorstel staan."
                )
            run = DestructionRun.objects.create(
                record_type=record_type,
                period_years=expiry.years,
                as_of=as_of,
                proposed_count=len(ids),
                proposed_by=user,
                proposed_at=timezone.now(),
            )
            DestructionItem.objects.bulk_create(
                [DestructionItem(run=run, client_id=c) for c in ids], batch_size=500
            )
        elif record_type == RecordType.AUDITLOG:
            expiry = selectors.expired_audit(as_of=as_of)
            if DestructionRun.objects.filter(
                record_type=record_type, status__in=[RunStatus.VOORGESTELD, RunStatus.GOEDGEKEURD]
            ).exists():
                raise DestructionRefused("Er staat al een vernietiging van het auditlog open.")
            if not expiry.rows:
                raise DestructionRefused("Er zijn geen auditregels die hun bewaartermijn voorbij zijn.")
            run = DestructionRun.objects.create(
                record_type=record_type,
                period_years=expiry.years,
                as_of=as_of,
                cutoff=expiry.cutoff,
                proposed_count=expiry.rows,
                proposed_by=user,
                proposed_at=timezone.now(),
            )
        else:
            raise ValidationError("Deze soort gegevens heeft geen bewaartermijn.")
        logevent.destruction_proposed(user, run)
    return run


def _load(run) -> DestructionRun:
    return DestructionRun.objects.select_related("proposed_by", "decided_by").get(pk=getattr(run, "pk", run))


def _moved(run, *, expected: str, **changes) -> DestructionRun:
    return move_status(
        run,
        expected=expected,
        refused=DestructionRefused(
            "De status van deze vernietiging is intussen gewijzigd. Open de pagina opnieuw."
        ),
        **changes,
    )


def run_approve(
    *, user, run, as_of: date | None = None, progress: Callable[[int, int], None] | None = None
) -> DestructionRun:
    """Second pair of eyes: approve and execute (not by who proposed it)."""
    perms.check(user, perms.DESTRUCTION_APPROVE, purpose=PURPOSE)
    run = _load(run)
    step = "goedkeuren"
    if run.status != RunStatus.VOORGESTELD:
        raise _refuse(
            user, run, step=step, message="Alleen een voorgestelde vernietiging kan worden goedgekeurd."
        )
    if run.proposed_by_id == user.pk:
        raise _refuse(
            user,
            run,
            step=step,
            message="U heeft deze vernietiging zelf voorgesteld. Een collega keurt haar goed (vier ogen).",
        )
    run = _moved(
        run,
        expected=RunStatus.VOORGESTELD,
        status=RunStatus.GOEDGEKEURD,
        decided_by=user,
        decided_at=timezone.now(),
    )
    return run_execute(run=run, as_of=as_of, progress=progress)


def run_reject(*, user, run, reason: str) -> DestructionRun:
    perms.check(user, perms.DESTRUCTION_APPROVE, purpose=PURPOSE)
    run = _load(run)
    reason = (reason or "").strip()
    if run.status != RunStatus.VOORGESTELD:
        raise _refuse(
            user, run, step="afwijzen", message="Alleen een voorgestelde vernietiging kan worden afgewezen."
        )
    if not (REASON_MIN <= len(reason) <= REASON_MAX):
        raise ValidationError(f"Geef een reden van {REASON_MIN} tot {REASON_MAX} tekens.")
    with transaction.atomic():
        run = _moved(
            run,
            expected=RunStatus.VOORGESTELD,
            status=RunStatus.AFGEWEZEN,
            decided_by=user,
            decided_at=timezone.now(),
            reason=reason,
        )
        # The proposal's client numbers go; the log keeps the count.
        DestructionItem.objects.filter(run=run).delete()
        logevent.destruction_rejected(user, run)
    return run


def run_execute(
    *, run, as_of: date | None = None, progress: Callable[[int, int], None] | None = None
) -> DestructionRun:
    """Carry out an approved run (also to finish one that was interrupted)."""
    run = _load(run)
    if run.status != RunStatus.GOEDGEKEURD:
        raise DestructionRefused("Alleen een goedgekeurde vernietiging kan worden uitgevoerd.")
    as_of = as_of or timezone.localdate()
    if run.record_type == RecordType.AUDITLOG:
        _execute_audit(run, as_of=as_of)
    else:
        _execute_clients(run, as_of=as_of, progress=progress)
    with transaction.atomic():
        run = _moved(
            run, expected=RunStatus.GOEDGEKEURD, status=RunStatus.UITGEVOERD, executed_at=timezone.now()
        )
        logevent.destruction_executed(run.decided_by, run)
    return run


def _execute_clients(run: DestructionRun, *, as_of: date, progress) -> None:
    # The longer of the period then and now: a period lengthened since the proposal keeps
    # files the new period protects.
    years = max(run.period_years, selectors.period_of(RecordType.KLANTDOSSIER).years)
    last, open_ = selectors.client_activity()
    total = DestructionItem.objects.filter(run=run).count()
    done = 0
    while True:
        batch = list(
            DestructionItem.objects.filter(run=run)
            .order_by("client_id")
            .values_list("client_id", flat=True)[:BATCH]
        )
        if not batch:
            break
        keep = [
            c
            for c in batch
            if not rules.is_expired(open_case=c in open_, last_activity=last.get(c), years=years, today=as_of)
        ]
        go = [c for c in batch if c not in set(keep)]
        with transaction.atomic():
            DestructionItem.objects.filter(run=run, client_id__in=keep).delete()
            counts = clients_destroy(go)
            merged = dict(DestructionRun.objects.select_for_update().get(pk=run.pk).counts)
            for table, n in counts.items():
                merged[table] = merged.get(table, 0) + n
            DestructionRun.objects.filter(pk=run.pk).update(
                counts=merged,
                destroyed_count=F("destroyed_count") + len(go),
                skipped_count=F("skipped_count") + len(keep),
            )
        done += len(batch)
        if progress:
            progress(done, total)


def _execute_audit(run: DestructionRun, *, as_of: date) -> None:
    from trede.audit.triggers import TABLE, triggers_suspended

    # Never later than the cut-off of the period as it is now.
    current = rules.audit_cutoff(today=as_of, years=selectors.period_of(RecordType.AUDITLOG).years)
    cutoff = min(run.cutoff, current)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # PostgreSQL refuses to change a table's triggers while checks of rows written
            # earlier in this transaction wait for the commit (deferred foreign keys): run
            # them now.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with triggers_suspended(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE at < %s", [selectors.start_of(cutoff)])
            deleted = cursor.rowcount
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        DestructionRun.objects.filter(pk=run.pk).update(
            counts={TABLE: deleted}, destroyed_count=deleted, cutoff=cutoff
        )
