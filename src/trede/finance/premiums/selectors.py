"""Reads of premiums: the schemes in force, who has earned which part on a day (not yet on
its way or paid), and the parts in each step of the four eyes.

Eligibility is computed, never stored before someone proposes it: `rules.due_parts` over
each candidate's benefits, for the clients the caller passes (a user's scope).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from trede.benefits.models import Benefit
from trede.casework.policy.selectors import active_policy
from trede.clients.models import Client

from . import rules
from .models import PremiumPart, PremiumStatus

LIVE = (PremiumStatus.VOORGESTELD, PremiumStatus.GECONTROLEERD, PremiumStatus.BETAALD)


def active_schemes() -> list[rules.Scheme]:
    """The schemes of the policy preset in use."""
    return rules.schemes_from_config(active_policy().config)


def type_labels(scheme: rules.Scheme) -> str:
    """The instrument types that count for a monthly scheme, in Dutch."""
    from trede.instruments.constants import InstrumentType

    return ", ".join(str(InstrumentType(t).label) for t in scheme.instrument_types)


def scheme_by_code(code: str) -> rules.Scheme | None:
    return next((s for s in active_schemes() if s.code == code), None)


@dataclass(frozen=True)
class Eligible:
    """A part someone has earned and that is not on its way or paid."""

    client_id: str
    name: str
    scheme_name: str
    due: rules.DuePart

    @property
    def key_text(self) -> str:
        """What the page posts back: client|scheme|part, with |YYYY-MM-DD for a month."""
        text = f"{self.client_id}|{self.due.scheme}|{self.due.part}"
        return f"{text}|{self.due.period.isoformat()}" if self.due.period else text

    @property
    def part_label(self) -> str:
        return part_label(self.due.part, self.due.period)


def part_label(part: int, period: date | None) -> str:
    return PremiumPart(part=part, period=period).part_label


def part_key(part: int, period: date | None) -> tuple[int, date | None]:
    """A part's identity within its client and scheme: the part, and the month if any."""
    return (part, period)


def _rows(benefits) -> list[rules.BenefitRow]:
    return [
        rules.BenefitRow(
            benefit_id=b["benefit_id"],
            start_date=b["start_date"],
            end_date=b["end_date"],
            end_reason=b["end_reason"],
            regulation=b["regulation"],
        )
        for b in benefits
    ]


BENEFIT_FIELDS = ("client_id", "benefit_id", "start_date", "end_date", "end_reason", "regulation")
TRAJECTORY_FIELDS = ("client_id", "trajectory_id", "start_date", "end_date", "planned_end_date")


def _trajectory_rows(rows) -> list[rules.TrajectoryRow]:
    return [
        rules.TrajectoryRow(
            trajectory_id=t["trajectory_id"],
            start_date=t["start_date"],
            end_date=t["end_date"],
            planned_end_date=t["planned_end_date"],
            instrument_type=t["instrument__type"],
        )
        for t in rows
    ]


def _trajectories(scheme: rules.Scheme, *, as_of: date):
    """Trajectories of the scheme's types that started before `as_of` and may run on or
    after the first month that counts (the rule decides the rest)."""
    from trede.instruments.models import Trajectory

    first = rules.month_start(scheme.months_from or date(1900, 1, 1))
    return (
        Trajectory.objects.filter(
            instrument__type__in=scheme.instrument_types, start_date__isnull=False, start_date__lt=as_of
        )
        .exclude(end_date__lte=first)
        .exclude(end_date__isnull=True, planned_end_date__lte=first)
    )


def _participation_due(clients, scheme: rules.Scheme, *, as_of: date) -> dict[str, list[rules.DuePart]]:
    trajectories = _trajectories(scheme, as_of=as_of)
    if clients is not None:
        trajectories = trajectories.filter(client__in=clients.values("pk"))
    per_client: dict[str, list[dict]] = defaultdict(list)
    for t in trajectories.order_by("client_id", "start_date").values(*TRAJECTORY_FIELDS, "instrument__type"):
        per_client[t["client_id"]].append(t)
    benefits: dict[str, list[dict]] = defaultdict(list)
    rows = Benefit.objects.filter(regulation__in=scheme.regulations, client__in=list(per_client))
    for b in rows.order_by("client_id", "start_date").values(*BENEFIT_FIELDS):
        benefits[b["client_id"]].append(b)
    out = {}
    for client_id, trajs in per_client.items():
        due = rules.due_parts(
            _rows(benefits[client_id]), scheme, as_of=as_of, trajectories=_trajectory_rows(trajs)
        )
        if due:
            out[client_id] = due
    return out


def due_for_clients(
    clients: QuerySet[Client] | None, *, as_of: date, schemes: list[rules.Scheme] | None = None
) -> dict[str, list[rules.DuePart]]:
    """Every part earned by `as_of`, paid or not, per client id (within `clients`)."""
    schemes = active_schemes() if schemes is None else schemes
    out: dict[str, list[rules.DuePart]] = defaultdict(list)
    for scheme in schemes:
        if scheme.trigger == rules.PARTICIPATION:
            for client_id, due in _participation_due(clients, scheme, as_of=as_of).items():
                out[client_id] += due
            continue
        # Candidates: an outflow to work that could have earned the first part by as_of.
        candidates = Benefit.objects.filter(
            regulation__in=scheme.regulations,
            end_reason=rules.OUTFLOW_TO_WORK,
            end_date__gte=scheme.outflow_from,
            end_date__lte=as_of,
        )
        if clients is not None:
            candidates = candidates.filter(client__in=clients.values("pk"))
        benefits = (
            Benefit.objects.filter(
                regulation__in=scheme.regulations, client__in=candidates.values("client_id")
            )
            .order_by("client_id", "start_date")
            .values("client_id", "benefit_id", "start_date", "end_date", "end_reason", "regulation")
        )
        per_client: dict[str, list[dict]] = defaultdict(list)
        for b in benefits:
            per_client[b["client_id"]].append(b)
        for client_id, rows in per_client.items():
            out[client_id] += rules.due_parts(_rows(rows), scheme, as_of=as_of)
    return dict(out)


def due_for_client(client: Client, *, as_of: date, scheme: rules.Scheme) -> list[rules.DuePart]:
    rows = client.benefits.filter(regulation__in=scheme.regulations).values(*BENEFIT_FIELDS)
    trajectories = ()
    if scheme.trigger == rules.PARTICIPATION:
        trajectories = _trajectory_rows(
            _trajectories(scheme, as_of=as_of)
            .filter(client=client)
            .values(*TRAJECTORY_FIELDS, "instrument__type")
        )
    return rules.due_parts(_rows(rows), scheme, as_of=as_of, trajectories=trajectories)


def taken(client_ids) -> set[tuple[str, str, int, date | None]]:
    """(client, scheme, part, month) that are proposed, checked or paid: never proposed again."""
    return set(
        PremiumPart.objects.filter(client_id__in=list(client_ids), status__in=LIVE).values_list(
            "client_id", "scheme", "part", "period"
        )
    )


def eligible(clients: QuerySet[Client] | None, *, as_of: date) -> list[Eligible]:
    """Parts earned by `as_of` and not yet proposed or paid, oldest first."""
    schemes = active_schemes()
    names = {s.code: s.name for s in schemes}
    due = due_for_clients(clients, as_of=as_of, schemes=schemes)
    gone = taken(due)
    people = dict(
        (c.pk, c.name)
        for c in Client.objects.filter(pk__in=list(due)).only("client_id", "given_name", "family_name")
    )
    rows = [
        Eligible(client_id=cid, name=people.get(cid, cid), scheme_name=names[d.scheme], due=d)
        for cid, parts in due.items()
        for d in parts
        if (cid, d.scheme, d.part, d.period) not in gone
    ]
    return sorted(rows, key=lambda e: (e.due.due_date, e.client_id, e.due.scheme, e.due.part))


def parts_in(status: str, clients: QuerySet[Client] | None = None, *, limit: int | None = None):
    parts = PremiumPart.objects.filter(status=status).select_related(
        "client", "proposed_by", "checked_by", "approved_by", "rejected_by", "payment"
    )
    if clients is not None:
        parts = parts.filter(client__in=clients.values("pk"))
    order = ("-approved_at", "-pk") if status == PremiumStatus.BETAALD else ("due_date", "pk")
    parts = parts.order_by(*order)
    return list(parts[:limit] if limit else parts)
