"""The core figures: stock on a day, and inflow and outflow over periods.

Everything is aggregated in the database; Python only fills in the zero cells and
shapes the JSON of the command-line contract (docs/interchange.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .constants import (
    AGE_BANDS,
    CATEGORIES,
    CLIENT_GROUPS,
    DURATION_BANDS,
    END_REASONS,
    HOUSEHOLDS,
    LADDER_STEPS,
    REGULATIONS,
)
from .periods import add_months, periods_between, whole_years
from .sql import (
    GROUP_CONDITIONS,
    active_spell_starts_cte,
    completed_years,
    fetch_all,
    first_month_start_on_or_after,
    id_descending,
    period_label,
    regulation_params,
    spells_cte,
)


class FigureError(ValueError):
    """Wrong arguments for a figure (unknown regulation or period, empty range)."""


def _check_group(group: str) -> str:
    if group and group not in GROUP_CONDITIONS:
        raise FigureError(f"onbekende groep: {group}; kies uit {', '.join(GROUP_CONDITIONS)}")
    return group


def _check_regulations(regulations: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(regulations))
    unknown = [r for r in chosen if r not in REGULATIONS]
    if unknown or not chosen:
        raise FigureError(
            f"onbekende regeling: {', '.join(unknown) or '(geen)'}; kies uit {', '.join(REGULATIONS)}"
        )
    return chosen


_AGE_BAND_SQL = """CASE WHEN {a} <= 20 THEN '<=20' WHEN {a} <= 30 THEN '21-30' WHEN {a} <= 40 THEN '31-40'
    WHEN {a} <= 50 THEN '41-50' WHEN {a} <= 60 THEN '51-60' ELSE '>=61' END"""
_DURATION_BAND_SQL = (
    """CASE WHEN {d} < 1 THEN '<1' WHEN {d} < 3 THEN '1-3' WHEN {d} < 5 THEN '3-5' ELSE '>=5' END"""
)


def _latest_diagnosis_value(column: str) -> str:
    """The `column` of the client's latest diagnosis on or before `%(as_of)s` that has one
    (on equal dates the highest id), `onbekend` without: as the contract reads the ladder step."""
    return f"""COALESCE((
               SELECT d.{column} FROM casework_diagnosis d
               WHERE d.client_id = sp.client_id AND d.{column} <> '' AND d.date <= %(as_of)s
               ORDER BY d.date DESC, {id_descending("d.diagnosis_id")}
               LIMIT 1
           ), 'onbekend')"""


def _stock_clients_cte(regulation_count: int, group: str = "", *, diagnosis: bool = False) -> str:
    """CTEs ending in `per_client`: one row per client on the stock on `%(as_of)s` with
    the bands of the contract: client_id, age_band, duration_band, household, ladder
    (text). The one definition
    behind `stock_figures` (which counts its rows) and `stock_client_ids` (the clients
    behind one cell, for the dashboard's drill-down)."""
    age = completed_years("c.birth_date")
    duration = completed_years("sp.spell_start")
    # The ladder step is looked up per client on benefit (an index range on
    # (client, date)), not ranked over every diagnosis before narrowing to them.
    # Category and client group only when asked (`diagnosis`): the contract's figures
    # do not pay for two more lookups per client.
    diagnosis_columns = (
        f""",
           {_latest_diagnosis_value("category")} AS category,
           {_latest_diagnosis_value("client_group")} AS client_group"""
        if diagnosis
        else ""
    )
    return f"""{active_spell_starts_cte(regulation_count, group)},
    per_client AS (
    SELECT sp.client_id AS client_id,
           {_AGE_BAND_SQL.format(a=age)} AS age_band,
           {_DURATION_BAND_SQL.format(d=duration)} AS duration_band,
           COALESCE(NULLIF(c.household, ''), 'onbekend') AS household,
           COALESCE(CAST((
               SELECT d.ladder_step FROM casework_diagnosis d
               WHERE d.client_id = sp.client_id AND d.ladder_step IS NOT NULL AND d.date <= %(as_of)s
               ORDER BY d.date DESC, {id_descending("d.diagnosis_id")}
               LIMIT 1
           ) AS VARCHAR(2)), 'onbekend') AS ladder{diagnosis_columns}
    FROM active sp
    JOIN clients_client c ON c.client_id = sp.client_id
    )"""


def _stock_params(chosen: list[str], as_of: date) -> dict:
    return regulation_params(chosen) | {
        "as_of": as_of,
        "on_year": as_of.year,
        "on_md": as_of.month * 100 + as_of.day,
    }


# The columns of `per_client` (`_stock_clients_cte`) per breakdown of `stock_figures`.
STOCK_DIMENSIONS = {
    "by_age_band": ("age_band", AGE_BANDS),
    "by_duration_band": ("duration_band", DURATION_BANDS),
    "by_household": ("household", HOUSEHOLDS),
    "by_ladder_step": ("ladder", LADDER_STEPS),
}
# Breakdowns of the dashboard beyond the contract (`stock_by_diagnosis`).
DIAGNOSIS_DIMENSIONS = {
    "by_category": ("category", CATEGORIES),
    "by_client_group": ("client_group", CLIENT_GROUPS),
}


def stock_figures(*, as_of: date, regulations: Sequence[str] = ("pw",), group: str = "") -> dict:
    """Clients with an active benefit on `as_of`, by age, duration, household and ladder
    step (only those of `group` when given: a key of `sql.GROUP_CONDITIONS`)."""
    chosen = _check_regulations(regulations)
    group = _check_group(group)
    sql = f"""
    WITH {_stock_clients_cte(len(chosen), group)}
    SELECT age_band, duration_band, household, ladder, COUNT(*) AS n
    FROM per_client
    GROUP BY 1, 2, 3, 4
    """
    params = _stock_params(chosen, as_of)
    result = {
        "as_of": as_of.isoformat(),
        "regulations": chosen,
        "total": 0,
        "by_age_band": dict.fromkeys(AGE_BANDS, 0),
        "by_duration_band": dict.fromkeys(DURATION_BANDS, 0),
        "by_household": dict.fromkeys(HOUSEHOLDS, 0),
        "by_ladder_step": dict.fromkeys(LADDER_STEPS, 0),
    }
    for age_band, duration_band, household, ladder, n in fetch_all(sql, params):
        result["total"] += n
        result["by_age_band"][age_band] += n
        result["by_duration_band"][duration_band] += n
        result["by_household"][household] += n
        result["by_ladder_step"][str(ladder)] += n
    return result


def stock_by_diagnosis(*, as_of: date, regulations: Sequence[str] = ("pw",), group: str = "") -> dict:
    """The stock on `as_of` by the category and the client group of each client's latest
    diagnosis that has one (`onbekend` without): the same clients as `stock_figures`."""
    chosen = _check_regulations(regulations)
    group = _check_group(group)
    sql = f"""
    WITH {_stock_clients_cte(len(chosen), group, diagnosis=True)}
    SELECT category, client_group, COUNT(*) AS n FROM per_client GROUP BY 1, 2
    """
    result = {"by_category": dict.fromkeys(CATEGORIES, 0), "by_client_group": dict.fromkeys(CLIENT_GROUPS, 0)}
    # The codes are the code lists' (database check constraints), so every row has its cell.
    for category, client_group, n in fetch_all(sql, _stock_params(chosen, as_of)):
        result["by_category"][category] += n
        result["by_client_group"][client_group] += n
    return result


def ladder_progression(
    *, years: Sequence[int], groups: Sequence[str], regulations: Sequence[str] = ("pw",), group: str = ""
) -> list[dict]:
    """Per calendar year: the clients on the stock on 1 January whose latest diagnosis then
    puts them in one of `groups` on a ladder step of 1-5 (development potential) and who are
    still on the stock on the next 1 January, and how many of them stand at least one step
    higher then (ladder steps as the contract reads them; a client without a step at the
    end has not climbed). One stock query per year boundary."""
    chosen = _check_regulations(regulations)
    group = _check_group(group)
    boundaries = sorted({date(y, 1, 1) for y in years} | {date(y + 1, 1, 1) for y in years})
    sql = f"WITH {_stock_clients_cte(len(chosen), group, diagnosis=True)} SELECT client_id, ladder, client_group FROM per_client"
    on_day = {
        day: {cid: (ladder, cg) for cid, ladder, cg in fetch_all(sql, _stock_params(chosen, day))}
        for day in boundaries
    }
    result = []
    for year in years:
        start, end = on_day[date(year, 1, 1)], on_day[date(year + 1, 1, 1)]
        potential = [
            (cid, int(ladder))
            for cid, (ladder, cg) in start.items()
            if cg in groups and ladder in ("1", "2", "3", "4", "5") and cid in end
        ]
        climbed = sum(
            1 for cid, step in potential if end[cid][0] != "onbekend" and int(end[cid][0]) >= step + 1
        )
        result.append({"year": year, "potential": len(potential), "climbed": climbed})
    return result


def stock_client_ids(
    *,
    as_of: date,
    regulations: Sequence[str] = ("pw",),
    dimension: str = "",
    band: str = "",
    group: str = "",
) -> list[str]:
    """The clients counted in one cell of `stock_figures` (all of `total` without a
    dimension), by the same SQL: `dimension` is a key of `STOCK_DIMENSIONS`, `band` one of
    its bands or codes. Sorted by client id."""
    chosen = _check_regulations(regulations)
    group = _check_group(group)
    params = _stock_params(chosen, as_of)
    where = ""
    dimensions = STOCK_DIMENSIONS | DIAGNOSIS_DIMENSIONS
    if dimension:
        if dimension not in dimensions or band not in dimensions[dimension][1]:
            raise FigureError(f"onbekende indeling of groep: {dimension} {band}")
        where = f"WHERE {dimensions[dimension][0]} = %(band)s"
        params["band"] = band
    cte = _stock_clients_cte(len(chosen), group, diagnosis=dimension in DIAGNOSIS_DIMENSIONS)
    sql = f"WITH {cte} SELECT client_id FROM per_client {where} ORDER BY client_id"
    return [row[0] for row in fetch_all(sql, params)]


def flow_client_ids(
    *,
    date_from: date,
    date_to: date,
    kind: str,
    reason: str = "",
    regulations: Sequence[str] = ("pw",),
    group: str = "",
) -> list[str]:
    """The clients behind a flow count of `flow_figures` over [date_from, date_to): `kind`
    `in` (spells begun in it) or `out` (spells ended in it, with `reason` the end reason
    of the benefit that ends last; empty = every reason). One id per spell, so a client
    whose two spells ended in the range is listed twice, as the figure counts them."""
    chosen = _check_regulations(regulations)
    group = _check_group(group)
    if date_from >= date_to:
        raise FigureError("het einde moet na het begin liggen")
    params = regulation_params(chosen) | {"date_from": date_from, "date_to": date_to}
    if kind == "in":
        where = "spell_start >= %(date_from)s AND spell_start < %(date_to)s"
    elif kind == "out":
        where = "spell_end >= %(date_from)s AND spell_end < %(date_to)s"
        if reason:
            if reason not in END_REASONS:
                raise FigureError(f"onbekende reden: {reason}")
            where += " AND end_reason = %(reason)s"
            params["reason"] = reason
    else:
        raise FigureError(f"onbekende stroom: {kind}")
    sql = f"""
    WITH {spells_cte(len(chosen), group)}
    SELECT client_id FROM spells WHERE {where} ORDER BY client_id
    """
    return [row[0] for row in fetch_all(sql, params)]


def stock_totals(
    *, days: Sequence[date], regulations: Sequence[str] = ("pw",), group: str = ""
) -> dict[date, int]:
    """Stock totals on many month starts in one query (for averages and the development)."""
    chosen = _check_regulations(regulations)
    group = _check_group(group)
    if not days:
        return {}
    if any(d.day != 1 for d in days):
        raise FigureError("stock_totals telt alleen op de eerste dag van een maand")
    sql = f"""
    WITH {spells_cte(len(chosen), group)}
    {_month_start_deltas()}
    """
    lo, hi = min(days), max(days)
    stocks = _month_start_stocks(fetch_all(sql, regulation_params(chosen) | _bounds(lo, hi)), lo, hi)
    return {d: stocks[d] for d in days}


def _month_start_deltas() -> str:
    """Rows ('stock', month start, NULL, change) from the CTE `spells`, for `%(lo)s` …
    `%(hi)s` (month starts): the stock on month start m is the number of spells with
    bucket(start) <= m < bucket(end) (`first_month_start_on_or_after`), so +1 at the
    start's bucket and -1 at the end's, summed up to m. One pass over the spells instead
    of a range join of every month start with every spell (a nested loop). Changes are
    summed per day first (few distinct days), buckets up to `lo` fold into `lo`, days after
    `hi` are dropped.
    """
    return f"""
    SELECT 'stock', CASE WHEN d <= %(lo)s THEN %(lo_text)s
                         ELSE {first_month_start_on_or_after("d")} END, NULL, CAST(SUM(n) AS INTEGER)
    FROM (
        SELECT d, SUM(n) AS n FROM (
            SELECT spell_start AS d, 1 AS n FROM spells WHERE spell_start <= %(hi)s
            UNION ALL
            SELECT spell_end, -1 FROM spells WHERE spell_end <= %(hi)s
        ) changes
        GROUP BY d
    ) per_day
    GROUP BY 2"""


def _bounds(lo: date, hi: date) -> dict:
    return {"lo": lo, "lo_text": lo.isoformat(), "hi": hi}


def _month_start_stocks(rows, lo: date, hi: date) -> dict[date, int]:
    """The running sum of the changes per month start from `lo` to `hi`."""
    deltas = {str(bucket)[:10]: n for _kind, bucket, _reason, n in rows}
    stocks, running, day = {}, 0, lo
    while day <= hi:
        running += deltas.get(day.isoformat(), 0)
        stocks[day] = running
        day = add_months(day, 1)
    return stocks


def flow_figures(
    *,
    date_from: date,
    date_to: date,
    period: str = "month",
    regulations: Sequence[str] = ("pw",),
    group: str = "",
) -> dict:
    """Inflow and outflow (by reason) per period of [date_from, date_to), and the yearly
    outflow-to-work rate for whole calendar years in the range.

    One statement, so the spells are built once: inflow rows, outflow rows and the
    month-start stocks for the rates come back together, tagged by kind.
    """
    chosen = _check_regulations(regulations)
    group = _check_group(group)
    if period not in ("month", "quarter", "year"):
        raise FigureError(f"onbekende periode '{period}'; kies month, quarter of year")
    if date_from >= date_to:
        raise FigureError("--to moet na --from liggen (--to telt niet mee)")
    years = whole_years(date_from, date_to)
    params = regulation_params(chosen) | {"date_from": date_from, "date_to": date_to}
    stock_part = ""
    if years:
        lo, hi = date(years[0], 1, 1), date(years[-1], 12, 1)
        params |= _bounds(lo, hi)
        stock_part = f"""
    UNION ALL{_month_start_deltas()}"""
    sql = f"""
    WITH {spells_cte(len(chosen), group)}
    SELECT 'in', {period_label("spell_start", period)}, NULL, COUNT(*)
    FROM spells WHERE spell_start >= %(date_from)s AND spell_start < %(date_to)s
    GROUP BY 2
    UNION ALL
    SELECT 'out', {period_label("spell_end", period)}, end_reason, COUNT(*)
    FROM spells WHERE spell_end >= %(date_from)s AND spell_end < %(date_to)s
    GROUP BY 2, 3{stock_part}
    """
    rows = fetch_all(sql, params)
    stocks = _month_start_stocks([r for r in rows if r[0] == "stock"], lo, hi) if years else {}
    inflow: dict[str, int] = {}
    outflow: dict[str, dict[str, int]] = {}
    for kind, label, reason, n in rows:
        if kind == "in":
            inflow[label] = n
        elif kind == "out":
            by_reason = outflow.setdefault(label, dict.fromkeys(END_REASONS, 0))
            # A reason outside the list cannot be stored (database check); count it as overig anyway.
            by_reason[reason if reason in END_REASONS else "overig"] += n
    periods = []
    for label, _start, _end in periods_between(date_from, date_to, period):
        by_reason = outflow.get(label, dict.fromkeys(END_REASONS, 0))
        periods.append(
            {
                "period": label,
                "inflow": inflow.get(label, 0),
                "outflow": by_reason,
                "outflow_total": sum(by_reason.values()),
            }
        )
    rates: dict[str, float | None] = {}
    for year in years:
        # A whole year inside the range is covered exactly by its own periods.
        to_work = sum(p["outflow"]["werk"] for p in periods if p["period"][:4] == str(year))
        average = sum(stocks[add_months(date(year, 1, 1), m)] for m in range(12)) / 12
        rates[str(year)] = to_work / average if average else None
    return {"periods": periods, "outflow_to_work_rate": rates}
