"""`trede monitor forecast` and the forecast page: the stock's expected path with its 80 %
interval and the backtest beside it (docs/interchange.md, version 2; decisions 60-62)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy

from ..constants import BASIS
from ..models import ForecastScenario
from ..selectors import FigureError, _check_regulations
from ..sql import fetch_all, regulation_params, spells_cte
from . import flow


@dataclass(frozen=True)
class Scenario:
    code: str
    name: str
    inflow: float
    outflow: float


def forecast_settings() -> flow.Settings:
    """The active policy's forecast settings over the default preset's: a preset stored
    before a setting existed takes the default for just that setting."""
    default = PRESETS[DEFAULT_PRESET]["config"]["forecast"]
    return flow.Settings.from_config(_merged(default, active_policy().config.get("forecast") or {}))


def _merged(default: dict, stored: dict) -> dict:
    return {
        key: _merged(value, stored.get(key) or {}) if isinstance(value, dict) else stored.get(key, value)
        for key, value in default.items()
    }


def scenarios() -> list[Scenario]:
    """`basis` first, then the stored scenarios by name."""
    stored = [
        Scenario(s.code, s.name, float(s.inflow_multiplier), float(s.outflow_multiplier))
        for s in ForecastScenario.objects.order_by("name", "code")
    ]
    return [Scenario(BASIS, "Basis", 1.0, 1.0), *stored]


def scenario_named(code: str) -> Scenario:
    for scenario in scenarios():
        if scenario.code == code:
            return scenario
    known = ", ".join(s.code for s in scenarios())
    raise FigureError(f"onbekend scenario '{code}'; kies uit {known}")


def known_spells(*, as_of: date, regulations: Sequence[str]) -> flow.Spells:
    """The spells of the selected regulations as they were known on `as_of`.

    The spells of all the data, cut to those begun on or before the day with a later end
    read as open, are exactly the spells of the benefits known on it: a benefit begun
    after the day can only join a spell that was still open on it, and ends up to the day
    are the same in both (decision 60)."""
    sql = f"""
    WITH {spells_cte(len(regulations))}
    SELECT spell_start, spell_end FROM spells WHERE spell_start <= %(as_of)s
    """
    rows = fetch_all(sql, regulation_params(regulations) | {"as_of": as_of})
    return flow.Spells.from_pairs(rows).known_on(as_of)


def stock_forecast(
    *,
    as_of: date,
    months: int,
    scenario: str = BASIS,
    regulations: Sequence[str] = ("pw",),
    settings: flow.Settings | None = None,
    with_basis: bool = False,
) -> dict:
    """The contract's JSON: the expected stock on the first day of each of the `months`
    months after `as_of`, its interval, and the backtest of the basis method.

    `with_basis` (the page, beside a scenario) adds `basis_stock`: the basis method's
    expected stock per month from the same fit, without a second fit, simulation or backtest."""
    chosen = _check_regulations(regulations)
    settings = settings or forecast_settings()
    if not 1 <= months <= settings.max_months:
        raise FigureError(f"--months moet een geheel getal van 1 tot en met {settings.max_months} zijn")
    picked = scenario_named(scenario)
    known = known_spells(as_of=as_of, regulations=chosen)
    fitted = flow.fit(known, as_of, settings)
    start = flow.start_on(known, as_of, settings)
    expected = flow.expected_path(
        fitted, start, months, settings, inflow=picked.inflow, outflow=picked.outflow
    )
    paths = flow.simulate(fitted, start, months, settings, inflow=picked.inflow, outflow=picked.outflow)
    tail = (1 - settings.interval) / 2
    lows = np.quantile(paths, tail, axis=0)
    highs = np.quantile(paths, 1 - tail, axis=0)
    first = flow.month_index(as_of) + 1
    rows = []
    for i in range(months):
        stock = int(round(float(expected[i])))
        rows.append(
            {
                "month": flow.month_label(first + i),
                "stock": stock,
                # The interval holds the expected value (a skewed simulation may not).
                "low": min(int(np.floor(lows[i])), stock),
                "high": max(int(np.ceil(highs[i])), stock),
            }
        )
    horizon = min(months, settings.backtest_max_horizon_months)
    backtest = flow.run_backtest(known, as_of, horizon, settings)
    extra = {}
    if with_basis:
        basis = flow.expected_path(fitted, start, months, settings, inflow=1.0, outflow=1.0)
        extra["basis_stock"] = [int(round(float(v))) for v in basis[:months]]
    return {
        "as_of": as_of.isoformat(),
        "scenario": picked.code,
        "regulations": chosen,
        "stock_on_as_of": known.stock_on(as_of),
        "months": rows,
        "backtest": {
            "horizon_months": horizon,
            "origins": [origin.isoformat() for origin in backtest.origins],
            "mape": backtest.mape,
            "naive_mape": backtest.naive_mape,
        },
        "model": {
            "inflow_multiplier": picked.inflow,
            "outflow_multiplier": picked.outflow,
            "arrivals_per_month": fitted.arrival_rate,
            "exit_hazard_by_band": {_band_label(settings, b): float(h) for b, h in enumerate(fitted.hazards)},
            "yearly_sigma_inflow": fitted.yearly_sigma_inflow,
            "yearly_sigma_outflow": fitted.yearly_sigma_outflow,
        },
        **extra,
    }


def _band_label(settings: flow.Settings, band: int) -> str:
    edges = settings.band_edges
    if band == len(edges) - 1:
        return f">={edges[band]}"
    if edges[band + 1] - edges[band] == 1:
        return str(edges[band])
    return f"{edges[band]}-{edges[band + 1] - 1}"
