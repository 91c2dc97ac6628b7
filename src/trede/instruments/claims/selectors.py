"""Reads of prestatiefinanciering: which contract a trajectory falls under, the lines due
to a provider (from `billing.invoice_lines`), claims to check and approve, and per provider
what was invoiced, approved, paid and is to be recovered."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from ..constants import ClaimKind, ClaimStatus, LineKind
from ..models import Claim, ClaimLine, Contract, Provider, Trajectory
from .billing import ContractTerms, Line, TrajectoryEvents, invoice_lines

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DueLine:
    line: Line
    trajectory: Trajectory
    contract: Contract

    @property
    def key_text(self) -> str:
        """The line's key as one form value (trajectory ids may hold any character but '|')."""
        return f"{self.line.trajectory_id}|{self.line.kind}|{self.line.seq}"

    @property
    def kind_label(self) -> str:
        label = LineKind(self.line.kind).label
        return f"{label} {self.line.seq}" if self.line.kind == LineKind.TERMIJN else str(label)


def contract_for(trajectory: Trajectory, contracts: list[Contract]) -> Contract | None:
    """The provider's contract for the trajectory's instrument that ran on its start (or,
    not started, its referral); the newest when several did."""
    day = trajectory.start_date or trajectory.referral_date
    fitting = [
        c
        for c in contracts
        if c.provider_id == trajectory.provider_id
        and trajectory.instrument_id in c.instrument_codes
        and c.runs_on(day)
    ]
    return max(fitting, key=lambda c: (c.start_date, c.pk), default=None)


def _contracts_of(provider_ids) -> list[Contract]:
    contracts = list(Contract.objects.filter(provider_id__in=provider_ids).prefetch_related("instruments"))
    for contract in contracts:
        contract.instrument_codes = {i.pk for i in contract.instruments.all()}
    return contracts


def _line_state(trajectory_ids) -> tuple[dict, dict]:
    """Keys on a claim that was not rejected, and the approved (paid) amounts by key."""
    settled: dict = defaultdict(set)
    paid: dict = defaultdict(dict)
    rows = ClaimLine.objects.filter(trajectory_id__in=trajectory_ids, released=False).values(
        "trajectory_id", "kind", "seq", "amount_eur", "claim__status"
    )
    for row in rows:
        key = (str(row["trajectory_id"]), row["kind"], row["seq"])
        settled[key[0]].add(key)
        if row["claim__status"] == ClaimStatus.GOEDGEKEURD:
            paid[key[0]][key] = row["amount_eur"]
    return settled, paid


def _paid_outside_trede() -> Exists:
    """A trajectory paid by another system (an imported payments.csv row of kind traject,
    not booked by Trede's own approval) is invoiced there: Trede makes no lines for it,
    or the same work would be paid twice (decision 47)."""
    from trede.finance.models import Payment
    from trede.finance.services import TREDE_PREFIX

    return Exists(
        Payment.objects.filter(trajectory_id=OuterRef("pk"), kind="traject").exclude(
            payment_id__startswith=TREDE_PREFIX
        )
    )


def due_lines(provider_ids, *, as_of: date, recoveries: bool = False) -> list[DueLine]:
    """Lines due on `as_of` to these providers and on no claim yet: the fees, instalments
    and result fees (a provider's claim), or with `recoveries` the recoveries (the
    municipality's claim)."""
    provider_ids = list(provider_ids)
    contracts = _contracts_of(provider_ids)
    if not contracts:
        return []
    codes = set().union(*(c.instrument_codes for c in contracts))
    trajectories = list(
        Trajectory.objects.filter(
            provider_id__in=provider_ids, instrument_id__in=codes, start_date__isnull=False
        )
        .filter(start_date__lte=as_of)
        .exclude(_paid_outside_trede())
        .order_by("provider_id", "start_date", "trajectory_id")
    )
    settled, paid = _line_state([t.pk for t in trajectories])
    out = []
    for trajectory in trajectories:
        contract = contract_for(trajectory, contracts)
        if contract is None:
            continue
        tid = str(trajectory.pk)
        lines = invoice_lines(
            ContractTerms.of(contract),
            TrajectoryEvents.of(trajectory),
            as_of,
            settled=settled.get(tid, set()),
            paid=paid.get(tid, {}),
        )
        for line in lines:
            if (line.kind == LineKind.TERUGVORDERING) == recoveries:
                out.append(DueLine(line=line, trajectory=trajectory, contract=contract))
    return out


def claims_of_provider(provider) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(provider=provider)
        .select_related("submitted_by", "checked_by", "approved_by", "rejected_by")
        .prefetch_related("lines")
    )


def claims_in(status: str) -> QuerySet[Claim]:
    return Claim.objects.filter(status=status).select_related("provider", "submitted_by", "checked_by")


def claims_done(limit: int = 20) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(status__in=[ClaimStatus.GOEDGEKEURD, ClaimStatus.AFGEWEZEN])
        .select_related("provider", "checked_by", "approved_by", "rejected_by")
        .order_by("-pk")[:limit]
    )


@dataclass
class ProviderMoney:
    provider: Provider
    invoiced: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO
    recovered: Decimal = ZERO
    to_recover: Decimal = ZERO
    open_claims: int = 0


def provider_money(*, as_of: date) -> list[ProviderMoney]:
    """Per provider with a contract: invoiced (its claims that were not rejected), approved
    and paid (approved claims: approval pays), recovered (approved recoveries) and to be
    recovered (recoveries due or on a claim not yet approved)."""
    providers = Provider.objects.filter(Q(contracts__isnull=False) | Q(claims__isnull=False)).distinct()
    rows = {p.pk: ProviderMoney(provider=p) for p in providers}
    sums = (
        ClaimLine.objects.filter(released=False)
        .values("claim__provider_id", "claim__kind", "claim__status")
        .annotate(total=Sum("amount_eur"))
    )
    for item in sums:
        row = rows.get(item["claim__provider_id"])
        if row is None:
            continue
        total = item["total"] or ZERO
        status = item["claim__status"]
        if item["claim__kind"] == ClaimKind.DECLARATIE:
            row.invoiced += total
            if status == ClaimStatus.GOEDGEKEURD:
                row.approved += total
                row.paid += total
        elif status == ClaimStatus.GOEDGEKEURD:
            row.recovered += -total
            row.paid += total
        else:
            row.to_recover += -total
    for due in due_lines(rows.keys(), as_of=as_of, recoveries=True):
        rows[due.trajectory.provider_id].to_recover += -due.line.amount
    open_counts = (
        Claim.objects.filter(status__in=[ClaimStatus.INGEDIEND, ClaimStatus.GECONTROLEERD])
        .values("provider_id")
        .annotate(n=Count("pk"))
    )
    for item in open_counts:
        if item["provider_id"] in rows:
            rows[item["provider_id"]].open_claims = item["n"]
    return sorted(rows.values(), key=lambda r: (r.provider.name or "", r.provider.pk))
