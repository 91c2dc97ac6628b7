"""Reads of the chain attribution: the outflows to work from the monitor's own spells
(the same `spells_cte` and range as `flow_figures`), the started trajectories that may
be credited, and the rule of `rules.py` (decision 80)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Q

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy
from trede.instruments.models import Provider, Trajectory
from trede.utils.dates import add_months

from ..selectors import FigureError, _check_regulations
from ..sql import fetch_all, regulation_params, spells_cte
from . import rules

OWN_NAME = "Gemeente zelf (consulent of werkgeversservicepunt)"


def window_months() -> int:
    """The active policy's `chain.window_months` over its shipped preset's."""
    policy = active_policy()
    shipped = PRESETS.get(policy.key, PRESETS[DEFAULT_PRESET])["config"]["chain"]
    stored = policy.config.get("chain") or {}
    return int(stored.get("window_months", shipped["window_months"]))


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def outflows_to_work(*, date_from: date, date_to: date, regulations: Sequence[str]) -> list[rules.Outflow]:
    """Spells ending in [date_from, date_to) with reason werk: what `flow_figures` counts."""
    sql = f"""
    WITH {spells_cte(len(regulations))}
    SELECT client_id, spell_end FROM spells
    WHERE spell_end >= %(date_from)s AND spell_end < %(date_to)s AND end_reason = 'werk'
    """
    params = regulation_params(regulations) | {"date_from": date_from, "date_to": date_to}
    return [rules.Outflow(client_id, _day(end)) for client_id, end in fetch_all(sql, params)]


def involvements(*, date_from: date, date_to: date, window: int) -> list[rules.Involvement]:
    """Started trajectories that can be credited with an outflow in the range."""
    rows = (
        Trajectory.objects.filter(start_date__isnull=False, start_date__lt=date_to)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=add_months(date_from, -window)))
        .values_list("client_id", "trajectory_id", "provider_id", "start_date", "end_date")
    )
    return [rules.Involvement(c, t, p or rules.OWN, s, e) for c, t, p, s, e in rows]


def outflow_attribution(
    *, date_from: date, date_to: date, regulations: Sequence[str] = ("pw",), window: int | None = None
) -> dict:
    """Outflows to work in [date_from, date_to) per chain partner, each counted once."""
    chosen = _check_regulations(regulations)
    if date_from >= date_to:
        raise FigureError("de einddatum moet na de begindatum liggen (de einddatum telt niet mee)")
    window = window_months() if window is None else window
    outflows = outflows_to_work(date_from=date_from, date_to=date_to, regulations=chosen)
    credited = rules.attribute(
        outflows, involvements(date_from=date_from, date_to=date_to, window=window), window
    )
    providers = {
        p.provider_id: p for p in Provider.objects.filter(provider_id__in=set(credited) - {rules.OWN})
    }
    partners = []
    for partner_id, n in credited.items():
        provider = providers.get(partner_id)
        partners.append(
            {
                "partner_id": partner_id,
                "name": OWN_NAME if partner_id == rules.OWN else (provider.name or partner_id),
                "kind": "" if provider is None else provider.get_kind_display() if provider.kind else "",
                "outflows": n,
            }
        )
    partners.sort(key=lambda p: (p["partner_id"] == rules.OWN, -p["outflows"], p["name"].casefold()))
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "regulations": chosen,
        "window_months": window,
        "total": len(outflows),
        "partners": partners,
    }
