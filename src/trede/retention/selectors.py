"""Reads: the retention periods, which client files have passed theirs, and the runs.

The last activity of a client is the latest date (a `DateField`: a benefit's start or
end, a contact, a trajectory's referral or end, a placement, a payment, a diagnosis, ...)
in any of the client's rows, found by the same introspection that destruction uses
(`destruction.destruction_plan`), so a table added later counts without being named here.
A file is open while any of its rows has an `end_date` column that is empty (a running
benefit, trajectory or placement), an application's intake is not finished, or a premium
part is on its way. Timestamps (`DateTimeField`) do not count: an import writes them on
the day it runs, which would keep a file from a system Trede replaced alive for another
period. A client without any dated row is not expired (nothing to count from); the page
and the command show how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from . import rules
from .constants import DEFAULT_PERIODS, RecordType, RunStatus
from .destruction import destruction_plan
from .models import DestructionItem, DestructionRun, RetentionPeriod

OWN_MODELS = ("retention",)


@dataclass(frozen=True)
class Period:
    record_type: str
    label: str
    years: int
    counted_from: str
    basis: str
    changed_by: str
    changed_at: object


def period_of(record_type: str) -> Period:
    row = RetentionPeriod.objects.select_related("changed_by").filter(record_type=record_type).first()
    default = DEFAULT_PERIODS[record_type]
    label = str(RecordType(record_type).label)
    if row is None:
        return Period(record_type, label, default.years, default.counted_from, default.basis, "", None)
    return Period(
        record_type,
        label,
        row.years,
        row.counted_from,
        row.basis,
        row.changed_by.get_full_name() or row.changed_by.username if row.changed_by else "",
        row.changed_at,
    )


def periods() -> list[Period]:
    return [period_of(t) for t in RecordType.values]


def period_history(record_type: str) -> list:
    row = RetentionPeriod.objects.filter(record_type=record_type).first()
    return list(row.history.select_related("history_user").order_by("-history_date")) if row else []


# --------------------------------------------------------------------------- expiry


def _client_paths() -> dict[type[models.Model], str]:
    """Each dependent model (not a history table) -> the lookup from it to the client number."""
    plan = destruction_plan()
    Client = apps.get_model("clients", "Client")
    paths: dict = {}
    changed = True
    while changed:
        changed = False
        for model, keys in plan.links.items():
            if model in paths or model in plan.history_of or model._meta.app_label in OWN_MODELS:
                continue
            for key in keys:
                if key.related_model is Client:
                    paths[model] = key.attname
                elif key.related_model in paths:
                    paths[model] = f"{key.name}__{paths[key.related_model]}"
                else:
                    continue
                changed = True
                break
    return paths


# Open cases that have no empty `end_date`: (app label, model, condition on the row).
OPEN_CONDITIONS = (
    ("casework", "Application", ~Q(status="afgerond")),
    ("finance", "PremiumPart", Q(status__in=["voorgesteld", "gecontroleerd"])),
)


def _dated_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) and type(f) is models.DateField
    ]


def client_activity() -> tuple[dict[str, date], set[str]]:
    """(last activity per client number, client numbers with something open)."""
    last: dict[str, date] = {}
    open_: set[str] = set()
    paths = _client_paths()
    for model, path in paths.items():
        manager = model._base_manager
        for name in _dated_fields(model):
            for client_id, latest in manager.values(path).annotate(m=Max(name)).values_list(path, "m"):
                if latest is not None and (client_id not in last or latest > last[client_id]):
                    last[client_id] = latest
        names = {f.attname for f in model._meta.get_fields() if getattr(f, "concrete", False)}
        if "end_date" in names and model._meta.get_field("end_date").null:
            open_.update(manager.filter(end_date__isnull=True).values_list(path, flat=True))
    for app_label, name, condition in OPEN_CONDITIONS:
        model = apps.get_model(app_label, name)
        open_.update(model._base_manager.filter(condition).values_list(paths[model], flat=True))
    return last, open_


@dataclass(frozen=True)
class ExpiredClient:
    client_id: str
    last_activity: date
    due_on: date


@dataclass(frozen=True)
class ClientExpiry:
    as_of: date
    years: int
    expired: list[ExpiredClient]
    clients: int
    open_cases: int
    undated: int
    in_proposed_run: int


def expired_clients(*, as_of: date) -> ClientExpiry:
    period = period_of(RecordType.KLANTDOSSIER)
    Client = apps.get_model("clients", "Client")
    ids = list(Client._base_manager.values_list("pk", flat=True))
    last, open_ = client_activity()
    proposed = set(
        DestructionItem.objects.filter(run__status=RunStatus.VOORGESTELD).values_list("client_id", flat=True)
    )
    expired = [
        ExpiredClient(c, last[c], rules.due_on(last[c], period.years))
        for c in sorted(ids)
        if rules.is_expired(open_case=c in open_, last_activity=last.get(c), years=period.years, today=as_of)
    ]
    return ClientExpiry(
        as_of=as_of,
        years=period.years,
        expired=expired,
        clients=len(ids),
        open_cases=len(open_ & set(ids)),
        undated=sum(1 for c in ids if c not in last),
        in_proposed_run=len(proposed & {e.client_id for e in expired}),
    )


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the municipality's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class AuditExpiry:
    as_of: date
    years: int
    cutoff: date
    rows: int


def expired_audit(*, as_of: date) -> AuditExpiry:
    from trede.audit.models import AuditEvent

    period = period_of(RecordType.AUDITLOG)
    cutoff = rules.audit_cutoff(today=as_of, years=period.years)
    rows = AuditEvent.objects.filter(at__lt=start_of(cutoff)).count()
    return AuditExpiry(as_of=as_of, years=period.years, cutoff=cutoff, rows=rows)


# --------------------------------------------------------------------------- runs


def runs(limit: int = 200) -> list[DestructionRun]:
    return list(DestructionRun.objects.select_related("proposed_by", "decided_by")[:limit])


def open_runs() -> list[DestructionRun]:
    return list(
        DestructionRun.objects.select_related("proposed_by")
        .filter(status__in=[RunStatus.VOORGESTELD, RunStatus.GOEDGEKEURD])
        .order_by("proposed_at")
    )


def run_clients(run: DestructionRun) -> list[str]:
    return sorted(run.items.values_list("client_id", flat=True))
