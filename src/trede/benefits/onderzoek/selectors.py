"""Who is due for a rechtmatigheidsonderzoek, and how many are on time per consultant.

Reads only within the scope it is handed (`client_scope` of the user: the inkomen
consultant's own caseload, team and waarnemingen; the teamleider's team), so the list and
the figures can never show a client the user may not open.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from trede.casework.constants import ClientGroup
from trede.casework.models import Diagnosis
from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy

from ..models import Benefit
from . import rules
from .models import Rechtmatigheidsonderzoek

GROUP_LABELS = dict(ClientGroup.choices)


@dataclass(frozen=True)
class Settings:
    months_by_group: dict[str, int]
    soon_days: int


def onderzoek_settings(config: dict | None = None) -> Settings:
    """The active preset's intervals; a preset stored before the worklist threshold
    existed takes the default preset's."""
    config = config if config is not None else active_policy().config
    default = PRESETS[DEFAULT_PRESET]["config"]
    return Settings(
        months_by_group=dict(config.get("rechtmatigheid_months") or default["rechtmatigheid_months"]),
        soon_days=int(config.get("rechtmatigheid_due_soon_days", default["rechtmatigheid_due_soon_days"])),
    )


@dataclass(frozen=True)
class Row:
    client: object  # clients.Client, with `consultant` loaded
    group: str  # '' when no diagnosis names it yet
    due: rules.Due
    last: Rechtmatigheidsonderzoek | None  # the last one held in the current spell

    @property
    def group_label(self) -> str:
        return GROUP_LABELS.get(self.group, "nog onbekend")

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.due.status]


def current(queryset=None) -> QuerySet:
    """Onderzoeken that count: not withdrawn."""
    return (queryset if queryset is not None else Rechtmatigheidsonderzoek.objects).filter(
        withdrawn_at__isnull=True
    )


def overview(scope: QuerySet, *, today: date, settings: Settings | None = None) -> list[Row]:
    """Every client in `scope` with a benefit running on `today`, with their next due date,
    soonest (most overdue) first."""
    settings = settings or onderzoek_settings()
    latest_group = (
        Diagnosis.objects.filter(client=OuterRef("pk"), date__lte=today)
        .exclude(client_group="")
        .order_by("-date", "-diagnosis_id")
        .values("client_group")[:1]
    )
    clients = list(
        scope.filter(Exists(Benefit.objects.filter(client=OuterRef("pk")).running_on(today)))
        .annotate(latest_group=Subquery(latest_group))
        .select_related("consultant")
        .only(
            "client_id",
            "given_name",
            "family_name",
            "birth_date",
            "consultant__consultant_id",
            "consultant__name",
            "consultant__team",
        )
    )
    ids = [c.pk for c in clients]
    benefits = defaultdict(list)
    for client_id, start, end in Benefit.objects.filter(client_id__in=ids).values_list(
        "client_id", "start_date", "end_date"
    ):
        benefits[client_id].append((start, end))
    held = defaultdict(list)
    for onderzoek in current().filter(client_id__in=ids, held_on__lte=today).order_by("held_on", "id"):
        held[onderzoek.client_id].append(onderzoek)
    rows = []
    for client in clients:
        spell_from = rules.spell_start(benefits[client.pk], today)
        group = client.latest_group or ""
        due = rules.next_due(
            spell_from=spell_from,
            held=[o.held_on for o in held[client.pk]],
            months=rules.interval_months(group, settings.months_by_group),
            today=today,
            soon_days=settings.soon_days,
        )
        in_spell = [o for o in held[client.pk] if o.held_on >= spell_from]
        rows.append(Row(client=client, group=group, due=due, last=in_spell[-1] if in_spell else None))
    rows.sort(key=lambda r: (r.due.due_on, r.client.family_name, r.client.pk))
    return rows


def worklist(rows: list[Row]) -> list[Row]:
    """The onderzoeken to plan now: overdue and due soon, most overdue first."""
    return [r for r in rows if r.due.status != rules.LATER]


@dataclass(frozen=True)
class Compliance:
    consultant: str
    on_benefit: int
    overdue: int
    due_soon: int

    @property
    def on_time(self) -> int:
        return self.on_benefit - self.overdue

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.on_benefit if self.on_benefit else None


def compliance(rows: list[Row]) -> list[Compliance]:
    """Per consultant (the client's caseholder) and in total: how many clients on benefit
    have their onderzoek on time (not overdue)."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        consultant = row.client.consultant
        groups[(consultant.name or consultant.pk) if consultant else "(geen consulent)"].append(row)

    def figures(name: str, members: list[Row]) -> Compliance:
        return Compliance(
            consultant=name,
            on_benefit=len(members),
            overdue=sum(r.due.status == rules.OVERDUE for r in members),
            due_soon=sum(r.due.status == rules.DUE_SOON for r in members),
        )

    result = [figures(name, groups[name]) for name in sorted(groups)]
    if len(result) > 1:
        result.append(figures("Totaal", rows))
    return result


def history_of(client) -> list[Rechtmatigheidsonderzoek]:
    """Every onderzoek of one client, withdrawn ones included (the file shows them struck)."""
    return list(Rechtmatigheidsonderzoek.objects.filter(client=client).select_related("recorded_by"))
