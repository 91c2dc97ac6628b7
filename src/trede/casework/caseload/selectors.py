"""Caseload per consultant and per team against the active preset's range (e.g. 70-90).

A caseload counts the clients with a benefit running on `today` whose consultant
(Client.consultant) is that consultant. A team's status compares its average caseload
per consultant with the same range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from trede.benefits.onderzoek import rules as onderzoek_rules
from trede.benefits.onderzoek.selectors import overview as onderzoek_overview
from trede.clients.models import Client
from trede.utils.dates import age_on

from ..contacts.selectors import clients_on_benefit, worklist_for
from ..policy.rules import caseload_status
from ..policy.selectors import active_policy
from .models import Consultant

STATUS_LABELS = {
    "te_laag": "onder de norm",
    "binnen_norm": "binnen de norm",
    "te_hoog": "boven de norm",
    # A team without any clients (inkomen, werkgeversservicepunt) has no caseload to be
    # under the norm with.
    "geen_caseload": "geen caseload",
}


@dataclass(frozen=True)
class ConsultantLoad:
    consultant: Consultant
    count: int
    status: str
    bar_pct: int  # width of the bar, relative to the page's scale

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class TeamLoad:
    team: str
    consultants: list[ConsultantLoad]
    total: int
    average: float
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class CaseloadOverview:
    low: int
    high: int
    scale: int
    low_pct: int
    high_pct: int
    teams: list[TeamLoad]
    unassigned: int  # clients on benefit without a consultant (only for every team)

    @property
    def norm_width_pct(self) -> int:
        return self.high_pct - self.low_pct


def caseload_overview(
    *, today: date, teams: list[str] | None = None, config: dict | None = None
) -> CaseloadOverview:
    """Counts per consultant and team; `teams=None` means every team."""
    config = config if config is not None else active_policy().config
    low, high = int(config["caseload"]["min"]), int(config["caseload"]["max"])
    consultants = Consultant.objects.all()
    if teams is not None:
        consultants = consultants.filter(team__in=teams)
    consultants = list(consultants.order_by("team", "name", "consultant_id"))
    counts = dict(
        clients_on_benefit(today)
        .filter(consultant__in=[c.pk for c in consultants])
        .values_list("consultant_id")
        .annotate(n=Count("pk"))
        .values_list("consultant_id", "n")
    )
    unassigned = clients_on_benefit(today).filter(consultant__isnull=True).count() if teams is None else 0
    scale = max([high + high // 5, *counts.values()]) or 1

    def pct(value: int) -> int:
        return round(100 * value / scale)

    by_team: dict[str, list[ConsultantLoad]] = {}
    for consultant in consultants:
        n = counts.get(consultant.pk, 0)
        by_team.setdefault(consultant.team, []).append(
            ConsultantLoad(consultant, n, caseload_status(n, config=config), pct(n))
        )
    team_loads = []
    for team, loads in by_team.items():
        total = sum(load.count for load in loads)
        average = total / len(loads)
        if total == 0:
            loads = [ConsultantLoad(load.consultant, 0, "geen_caseload", 0) for load in loads]
            status = "geen_caseload"
        else:
            status = caseload_status(round(average), config=config)
        team_loads.append(TeamLoad(team, loads, total, round(average, 1), status))
    return CaseloadOverview(low, high, scale, pct(low), pct(high), team_loads, unassigned)


def caseload_clients(*, consultant: Consultant, today: date) -> list[dict]:
    """The clients on benefit in this consultant's caseload (for the hand-over form)."""
    rows = (
        clients_on_benefit(today)
        .filter(consultant=consultant)
        .order_by("family_name", "given_name", "client_id")
        .values("client_id", "given_name", "family_name", "birth_date")
    )
    return [
        {
            "client_id": r["client_id"],
            "name": " ".join(p for p in (r["given_name"], r["family_name"]) if p) or r["client_id"],
            "age": age_on(r["birth_date"], today),
        }
        for r in rows
    ]


def caseload_client_queryset(*, consultant: Consultant, today: date):
    return clients_on_benefit(today).filter(consultant=consultant)


def caseload_consultants(*, teams: list[str] | None):
    consultants = Consultant.objects.all()
    if teams is not None:
        consultants = consultants.filter(team__in=teams)
    return consultants.order_by("team", "name", "consultant_id")


# --------------------------------------------------------------------------- execution figures


@dataclass(frozen=True)
class ConsultantExecution:
    """How one consultant's caseload stands today: counts of clients, no names."""

    name: str
    team: str
    caseload: int  # clients on benefit today
    caseload_status: str
    contact_overdue: int
    plan_open: int  # plan missing or not signed in time
    stale_diagnosis: int
    no_show: int
    onderzoek_overdue: int

    @property
    def contact_on_time(self) -> int:
        return self.caseload - self.contact_overdue

    @property
    def contact_on_time_share(self) -> float | None:
        return self.contact_on_time / self.caseload if self.caseload else None


@dataclass(frozen=True)
class TeamExecution:
    team: str
    consultants: list[ConsultantExecution]
    total: ConsultantExecution


def _clients_per_kind(items) -> dict[str, int]:
    clients: dict[str, set[str]] = {}
    for item in items:
        clients.setdefault(item.kind, set()).add(item.client_id)
    return {kind: len(ids) for kind, ids in clients.items()}


def execution_figures(
    *, today: date, teams: list[str] | None, config: dict | None = None
) -> list[TeamExecution]:
    """Per team and consultant: caseload against the norm, and how many of those clients
    have their contact on time, an open plan item, a stale diagnosis, an open no-show or an
    overdue rechtmatigheidsonderzoek, all from the worklist's own rules (`worklist_for`)
    and the onderzoek overview (`benefits.onderzoek`), so the figures are the worklists'.
    `teams=None`: every team."""
    config = config if config is not None else active_policy().config
    consultants = list(caseload_consultants(teams=teams).order_by("team", "name", "consultant_id"))
    onderzoek_late: dict[str, int] = {}
    for row in onderzoek_overview(
        Client.objects.filter(consultant__in=[c.pk for c in consultants]), today=today
    ):
        if row.due.status == onderzoek_rules.OVERDUE:
            onderzoek_late[row.client.consultant_id] = onderzoek_late.get(row.client.consultant_id, 0) + 1
    by_team: dict[str, list[ConsultantExecution]] = {}
    for consultant in consultants:
        items = worklist_for(consultant=consultant, today=today, config=config)
        kinds = _clients_per_kind(items)
        plan_clients = {i.client_id for i in items if i.kind in ("plan_missing", "plan_unsigned")}
        caseload = caseload_client_queryset(consultant=consultant, today=today).count()
        by_team.setdefault(consultant.team, []).append(
            ConsultantExecution(
                name=consultant.name or consultant.pk,
                team=consultant.team,
                caseload=caseload,
                caseload_status=caseload_status(caseload, config=config),
                contact_overdue=kinds.get("contact_overdue", 0),
                plan_open=len(plan_clients),
                stale_diagnosis=kinds.get("stale_diagnosis", 0),
                no_show=kinds.get("no_show", 0),
                onderzoek_overdue=onderzoek_late.get(consultant.pk, 0),
            )
        )
    result = []
    for team, members in by_team.items():
        total = ConsultantExecution(
            name=f"Team {team}" if team else "Zonder team",
            team=team,
            caseload=sum(m.caseload for m in members),
            caseload_status="",
            contact_overdue=sum(m.contact_overdue for m in members),
            plan_open=sum(m.plan_open for m in members),
            stale_diagnosis=sum(m.stale_diagnosis for m in members),
            no_show=sum(m.no_show for m in members),
            onderzoek_overdue=sum(m.onderzoek_overdue for m in members),
        )
        result.append(TeamExecution(team, members, total))
    return result
