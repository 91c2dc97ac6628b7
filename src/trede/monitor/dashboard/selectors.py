"""The monitor dashboard's figures: `trede monitor`'s own selectors, arranged per panel.

No figure is computed here: the stock line is `stock_totals` (one query), the breakdown
`stock_figures` on the line's last point, the flows `flow_figures`; this module only picks
the days and periods, and adds up the periods of a year for the targets. The clients behind
a figure come from `stock_client_ids` and `flow_client_ids`, written on the same SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy

from ..figures_cache import cached
from ..forecast.selectors import _merged as merged_over_default
from ..periods import periods_between, whole_years
from ..selectors import flow_figures, ladder_progression, stock_by_diagnosis, stock_figures, stock_totals


@dataclass(frozen=True)
class Targets:
    outflow_to_work_per_year: int
    net_stock_reduction_per_year: int
    ladder_progression_share: float = 0.0
    ladder_progression_groups: tuple[str, ...] = ()


def target_settings() -> Targets:
    """The active policy's `targets` over the default preset's (a preset stored before the
    key existed takes the default), as the forecast reads its settings."""
    default = PRESETS[DEFAULT_PRESET]["config"]["targets"]
    merged = merged_over_default(default, active_policy().config.get("targets") or {})
    return Targets(
        outflow_to_work_per_year=int(merged["outflow_to_work_per_year"] or 0),
        net_stock_reduction_per_year=int(merged["net_stock_reduction_per_year"] or 0),
        ladder_progression_share=float(merged["ladder_progression_share"] or 0),
        ladder_progression_groups=tuple(merged["ladder_progression_groups"] or ()),
    )


def periods(date_from: date, date_to: date, granularity: str) -> list[tuple[str, date, date]]:
    """(label, first day, exclusive end) of every period of [date_from, date_to), cut to it."""
    return list(periods_between(date_from, date_to, granularity))


def dashboard_figures(
    *, date_from: date, date_to: date, granularity: str, regulations: Sequence[str], group: str = ""
) -> dict:
    """Every panel's figures for [date_from, date_to) (month starts).

    `stock`: the stock on the first day of each period (cut to the range); `breakdown`:
    `stock_figures` on the last of those days, so its total is the line's last point;
    `flows`: `flow_figures` per period; `years`: per calendar year touched, outflow to work,
    inflow and outflow (the sums of its periods), whether the year lies wholly in the range,
    and its outflow-to-work rate (`flow_figures`, whole years only); `ladder`: per whole
    year the clients with development potential and how many climbed a step
    (`ladder_progression`).

    Cached until benefits, clients or diagnoses change (`figures_cache`, decision 98)."""
    parameters = {
        "date_from": date_from,
        "date_to": date_to,
        "granularity": granularity,
        "regulations": list(regulations),
        "group": group,
    }
    return cached(
        "dashboard",
        parameters,
        lambda: _dashboard_figures(
            date_from=date_from,
            date_to=date_to,
            granularity=granularity,
            regulations=regulations,
            group=group,
            # Read inside: the cache's triggers watch the presets (a preset change
            # invalidates), and a cache hit then costs the counter's query alone.
            ladder_groups=sorted(target_settings().ladder_progression_groups),
        ),
    )


def _dashboard_figures(
    *,
    date_from: date,
    date_to: date,
    granularity: str,
    regulations: Sequence[str],
    group: str,
    ladder_groups: Sequence[str],
) -> dict:
    cut = periods(date_from, date_to, granularity)
    days = [start for _label, start, _end in cut]
    totals = stock_totals(days=days, regulations=regulations, group=group)
    stock = [{"period": label, "day": start, "stock": totals[start]} for label, start, _end in cut]
    breakdown = stock_figures(as_of=days[-1], regulations=regulations, group=group) | stock_by_diagnosis(
        as_of=days[-1], regulations=regulations, group=group
    )
    flows = flow_figures(
        date_from=date_from, date_to=date_to, period=granularity, regulations=regulations, group=group
    )
    whole = {str(y) for y in whole_years(date_from, date_to)}
    years: dict[str, dict] = {}
    for row in flows["periods"]:
        year = years.setdefault(
            row["period"][:4],
            {"year": row["period"][:4], "to_work": 0, "inflow": 0, "outflow": 0},
        )
        year["to_work"] += row["outflow"]["werk"]
        year["inflow"] += row["inflow"]
        year["outflow"] += row["outflow_total"]
    for label, year in years.items():
        year["whole"] = label in whole
        year["rate"] = flows["outflow_to_work_rate"].get(label)
        year["net_reduction"] = year["outflow"] - year["inflow"]
    # Ladder progression over the whole years of the range, for the target's groups.
    ladder = ladder_progression(
        years=sorted(int(y) for y in whole),
        groups=ladder_groups,
        regulations=regulations,
        group=group,
    )
    return {
        "periods": cut,
        "ladder": ladder,
        "stock": stock,
        "breakdown": breakdown,
        "flows": flows,
        "years": list(years.values()),
    }
