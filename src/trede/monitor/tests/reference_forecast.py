"""An independent, row-by-row reading of the forecast method of decision 61.

Written apart from `trede.monitor.forecast.flow` (no numpy, no month indexes): dates,
loops over spells and month starts, dictionaries of cohorts. The command must agree with
it on the expected path and the backtest; a shared mistake would have to be made twice
in two different ways.
"""

from __future__ import annotations

from datetime import date, timedelta

FAR = date(9999, 12, 31)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def previous_month(day: date) -> date:
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def month_start_on_or_after(day: date) -> date:
    return day if day.day == 1 else next_month(day.replace(day=1))


def known_on(spells: list[tuple[date, date]], day: date) -> list[tuple[date, date]]:
    """(start, end) pairs, end FAR when open."""
    return [(s, e if e <= day else FAR) for s, e in spells if s <= day]


def on_stock(spell, day: date) -> bool:
    return spell[0] <= day < spell[1]


def band_of(duration: int, edges) -> int:
    band = 0
    for i, edge in enumerate(edges):
        if duration >= edge:
            band = i
    return band


def observed_from(spells, origin: date, cfg: dict) -> date:
    """The first transition month whose exits over the next few months reach the share of
    the median of those sums over the recent months."""
    this_month = origin.replace(day=1)
    if not spells:
        return next_month(this_month)
    first = min(month_start_on_or_after(s) for s, _ in spells)
    span = cfg["completeness"]["months"]
    if months_between(first, this_month) < span:
        return first
    transitions = []
    t = first
    while t < this_month:
        transitions.append(t)
        t = next_month(t)
    exits = {t: 0 for t in transitions}
    for spell in spells:
        for t in transitions:
            if on_stock(spell, t) and not on_stock(spell, next_month(t)):
                exits[t] += 1
    sums = [sum(exits[t] for t in transitions[i : i + span]) for i in range(len(transitions) - span + 1)]
    recent = sorted(sums[-cfg["completeness"]["window_months"] :])
    middle = len(recent) // 2
    median = recent[middle] if len(recent) % 2 else (recent[middle - 1] + recent[middle]) / 2
    threshold = cfg["completeness"]["share"] * median
    if threshold <= 0:
        return first
    return next(transitions[i] for i, total in enumerate(sums) if total >= threshold)


def fit(spells, origin: date, cfg: dict) -> dict:
    edges = cfg["duration_band_edges_months"]
    first_data_month = observed_from(spells, origin, cfg)
    this_month = origin.replace(day=1)
    # Transitions t -> next(t) with next(t) <= origin: the last hazard_window_months of them.
    transitions = []
    t = previous_month(this_month)
    while len(transitions) < cfg["hazard_window_months"] and t >= first_data_month:
        transitions.append(t)
        t = previous_month(t)
    exposure = [0] * len(edges)
    exits = [0] * len(edges)
    for t in transitions:
        for spell in spells:
            if on_stock(spell, t):
                band = band_of(months_between(month_start_on_or_after(spell[0]), t), edges)
                exposure[band] += 1
                if not on_stock(spell, next_month(t)):
                    exits[band] += 1
    pooled = sum(exits) / sum(exposure) if sum(exposure) else 0.0
    hazards = [exits[b] / exposure[b] if exposure[b] else pooled for b in range(len(edges))]
    arrival_months = []
    t = this_month
    while len(arrival_months) < cfg["inflow_window_months"] and t >= first_data_month:
        arrival_months.append(t)
        t = previous_month(t)
    arrivals = sum(
        1
        for spell in spells
        if month_start_on_or_after(spell[0]) in arrival_months
        and spell[1] > month_start_on_or_after(spell[0])
    )
    rate = arrivals / len(arrival_months) if arrival_months else 0.0
    return {"hazards": hazards, "rate": rate}


def expected_path(spells, origin: date, months: int, cfg: dict, inflow=1.0, outflow=1.0) -> list[float]:
    edges = cfg["duration_band_edges_months"]
    cap = edges[-1]
    fitted = fit(spells, origin, cfg)

    def hazard(duration: int) -> float:
        return min(fitted["hazards"][band_of(duration, edges)] * outflow, 1.0)

    this_month = origin.replace(day=1)
    coming = next_month(this_month)
    remaining = (coming - origin).days / (coming - this_month).days
    cohorts: dict[int, float] = {}
    for spell in spells:
        if not on_stock(spell, origin):
            continue
        first = month_start_on_or_after(spell[0])
        if first <= this_month:
            duration = min(months_between(first, this_month), cap)
            aged = min(duration + 1, cap)
            cohorts[aged] = cohorts.get(aged, 0.0) + (1 - hazard(duration)) ** remaining
        else:
            cohorts[0] = cohorts.get(0, 0.0) + (1 - hazard(0)) ** remaining
    cohorts[0] = cohorts.get(0, 0.0) + fitted["rate"] * inflow * remaining
    path = [sum(cohorts.values())]
    for _ in range(months - 1):
        moved: dict[int, float] = {0: fitted["rate"] * inflow}
        for duration, count in cohorts.items():
            aged = min(duration + 1, cap)
            moved[aged] = moved.get(aged, 0.0) + count * (1 - hazard(duration))
        cohorts = moved
        path.append(sum(cohorts.values()))
    return path


def stock_on(spells, day: date) -> int:
    return sum(1 for spell in spells if on_stock(spell, day))


def backtest(spells, as_of: date, horizon: int, cfg: dict) -> dict:
    """Origins: month ends; the latest one `horizon` month starts before as_of's month."""
    bt = cfg["backtest"]
    first_data_month = observed_from(spells, as_of, cfg) if spells else None
    origins = []
    month = as_of.replace(day=1)
    for _ in range(horizon):
        month = previous_month(month)
    while spells and len(origins) < bt["origins"]:
        if months_between(first_data_month, month) < bt["min_history_months"]:
            break
        origins.append(next_month(month) - timedelta(days=1))
        for _ in range(bt["step_months"]):
            month = previous_month(month)
    origins.sort()
    errors, naive_errors = [], []
    for origin in origins:
        then = known_on(spells, origin)
        forecast = expected_path(then, origin, horizon, cfg)[-1]
        target = origin + timedelta(days=1)
        for _ in range(horizon - 1):
            target = next_month(target)
        actual = stock_on(spells, target)
        if actual > 0:
            errors.append(abs(forecast - actual) / actual)
            naive_errors.append(abs(stock_on(then, origin) - actual) / actual)
    return {
        "horizon_months": horizon,
        "origins": [o.isoformat() for o in origins],
        "mape": sum(errors) / len(errors) if errors else None,
        "naive_mape": sum(naive_errors) / len(naive_errors) if naive_errors else None,
    }
