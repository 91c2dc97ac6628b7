"""Reads of sustained outflow, the draaideur and lasting placements: the monitor's own
spells (`spells_cte`, as `trede monitor flows` builds them) and the placements, counted
by `rules.py` (decision 120)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy
from trede.employers.models import Placement

from ..forecast.selectors import _merged as merged_over_default
from ..periods import periods_between
from ..selectors import FigureError, _check_regulations
from ..sql import GROUP_CONDITIONS, OPEN_END, fetch_all, regulation_params, spells_cte
from . import rules


@dataclass(frozen=True)
class Settings:
    horizons_months: tuple[int, ...]
    draaideur_months: int


def settings() -> Settings:
    """The active policy's `duurzaamheid` over the default preset's."""
    default = PRESETS[DEFAULT_PRESET]["config"]["duurzaamheid"]
    merged = merged_over_default(default, active_policy().config.get("duurzaamheid") or {})
    horizons = tuple(sorted({int(k) for k in merged["horizons_months"] if int(k) > 0}))
    return Settings(horizons_months=horizons, draaideur_months=int(merged["draaideur_months"]))


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def spells(*, regulations: Sequence[str], group: str = "", until: date) -> list[rules.Spell]:
    """Every spell of the selected regulations that starts before `until` (ends after it
    read as running: what happens later is not known on that day)."""
    sql = f"""
    WITH {spells_cte(len(regulations), group)}
    SELECT client_id, spell_start, spell_end, end_reason FROM spells WHERE spell_start < %(until)s
    """
    params = regulation_params(regulations) | {"until": until}
    found = []
    for client_id, start, end, reason in fetch_all(sql, params):
        end = _day(end)
        ended = end != OPEN_END and end <= until
        found.append(
            rules.Spell(client_id, _day(start), end if ended else None, (reason or "") if ended else "")
        )
    return found


def placements(*, group: str = "", until: date) -> list[tuple[date, date | None]]:
    queryset = Placement.objects.filter(start_date__lt=until)
    if group == "statushouder":
        queryset = queryset.filter(client__statushouder=True)
    elif group:
        raise FigureError(f"onbekende groep: {group}")
    return [
        (start, end if end is not None and end <= until else None)
        for start, end in queryset.values_list("start_date", "end_date")
    ]


def placements_by_client(*, group: str = "", until: date) -> dict[str, list[tuple[date, date | None]]]:
    """Per client the placements known on `until` (an end after it read as running)."""
    queryset = Placement.objects.filter(start_date__lte=until)
    if group == "statushouder":
        queryset = queryset.filter(client__statushouder=True)
    found: dict[str, list[tuple[date, date | None]]] = {}
    for client_id, start, end in queryset.values_list("client_id", "start_date", "end_date"):
        found.setdefault(client_id, []).append((start, end if end is not None and end <= until else None))
    return found


def durability_figures(
    *, date_from: date, date_to: date, as_of: date, regulations: Sequence[str] = ("pw",), group: str = ""
) -> dict:
    """Per calendar year of [date_from, date_to) (cut to the range): outflows to work and how
    many held 1, 6 and 12 months (the preset's horizons), the inflow and its herinstroom,
    and the placements started and how many lasted. Only what is known on `as_of` counts."""
    chosen = _check_regulations(regulations)
    if group and group not in GROUP_CONDITIONS:
        raise FigureError(f"onbekende groep: {group}")
    if date_from >= date_to:
        raise FigureError("de einddatum moet na de begindatum liggen (de einddatum telt niet mee)")
    if date_to > as_of:
        date_to = max(as_of, date_from)
    config = settings()
    periods = [
        rules.Period(label, start, end) for label, start, end in periods_between(date_from, date_to, "year")
    ]
    known = spells(regulations=chosen, group=group, until=as_of)
    return {
        "from": date_from,
        "to": date_to,
        "as_of": as_of,
        "regulations": chosen,
        "group": group,
        "settings": config,
        "periods": periods,
        "outflow": rules.sustained_outflow(known, periods, config.horizons_months, as_of),
        "cbs_outflow": rules.cbs_sustained_outflow(
            known, placements_by_client(group=group, until=as_of), periods, config.horizons_months, as_of
        ),
        "draaideur": rules.draaideur(known, periods, config.draaideur_months),
        "placements": rules.lasting_placements(
            placements(group=group, until=as_of), periods, config.horizons_months, as_of
        ),
    }
