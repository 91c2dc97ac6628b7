"""The core figures: stock on a day, and inflow and outflow over periods.

Everything is aggregated in the database; Python only fills in the zero cells and
shapes the JSON of the command-line contract (shared/interchange.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .constants import AGE_BANDS, DURATION_BANDS, END_REASONS, HOUSEHOLDS, LADDER_STEPS, REGULATIONS
from .periods import add_months, periods_between, whole_years
from .sql import completed_years, fetch_all, id_descending, period_label, regulation_params, spells_cte


class FigureError(ValueError):
    """Wrong arguments for a figure (unknown regulation or period, empty range)."""


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


def stock_figures(*, as_of: date, regulations: Sequence[str] = ("pw",)) -> dict:
    """Clients with an active benefit on `as_of`, by age, duration, household and ladder step."""
    chosen = _check_regulations(regulations)
    age = completed_years("c.birth_date")
    duration = completed_years("sp.spell_start")
    sql = f"""
    WITH {spells_cte(len(chosen))},
    latest_ladder AS (
        SELECT client_id, ladder_step,
               ROW_NUMBER() OVER (PARTITION BY client_id
                                  ORDER BY date DESC, {id_descending("diagnosis_id")}) AS rn
        FROM casework_diagnosis
        WHERE ladder_step IS NOT NULL AND date <= %(as_of)s
    )
    SELECT {_AGE_BAND_SQL.format(a=age)} AS age_band,
           {_DURATION_BAND_SQL.format(d=duration)} AS duration_band,
           COALESCE(NULLIF(c.household, ''), 'onbekend') AS household,
           COALESCE(CAST(ll.ladder_step AS VARCHAR(2)), 'onbekend') AS ladder,
           COUNT(*) AS n
    FROM spells sp
    JOIN clients_client c ON c.client_id = sp.client_id
    LEFT JOIN latest_ladder ll ON ll.client_id = sp.client_id AND ll.rn = 1
    WHERE sp.spell_start <= %(as_of)s AND %(as_of)s < sp.spell_end
    GROUP BY 1, 2, 3, 4
    """
    params = regulation_params(chosen) | {
        "as_of": as_of,
        "on_year": as_of.year,
        "on_md": as_of.month * 100 + as_of.day,
    }
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


def stock_totals(*, days: Sequence[date], regulations: Sequence[str] = ("pw",)) -> dict[date, int]:
    """Stock totals on many days in one query (for averages over month starts)."""
    chosen = _check_regulations(regulations)
    if not days:
        return {}
    day_rows = " UNION ALL ".join(f"SELECT %(day{i})s AS d" for i in range(len(days)))
    sql = f"""
    WITH {spells_cte(len(chosen))},
    days AS ({day_rows})
    SELECT days.d, COUNT(sp.client_id)
    FROM days LEFT JOIN spells sp ON sp.spell_start <= days.d AND days.d < sp.spell_end
    GROUP BY days.d
    """
    params = regulation_params(chosen) | {f"day{i}": d for i, d in enumerate(days)}
    counts = {str(day)[:10]: n for day, n in fetch_all(sql, params)}
    return {d: counts.get(d.isoformat(), 0) for d in days}


def flow_figures(
    *, date_from: date, date_to: date, period: str = "month", regulations: Sequence[str] = ("pw",)
) -> dict:
    """Inflow and outflow (by reason) per period of [date_from, date_to), and the yearly
    outflow-to-work rate for whole calendar years in the range.

    One statement, so the spells are built once: inflow rows, outflow rows and the
    month-start stocks for the rates come back together, tagged by kind.
    """
    chosen = _check_regulations(regulations)
    if period not in ("month", "quarter", "year"):
        raise FigureError(f"onbekende periode '{period}'; kies month, quarter of year")
    if date_from >= date_to:
        raise FigureError("--to moet na --from liggen (--to telt niet mee)")
    years = whole_years(date_from, date_to)
    month_starts = [add_months(date(y, 1, 1), m) for y in years for m in range(12)]
    params = regulation_params(chosen) | {"date_from": date_from, "date_to": date_to}
    params |= {f"day{i}": d for i, d in enumerate(month_starts)}
    stock_part = ""
    if month_starts:
        day_rows = " UNION ALL ".join(f"SELECT %(day{i})s AS d" for i in range(len(month_starts)))
        stock_part = f"""
    UNION ALL
    SELECT 'stock', CAST(days.d AS VARCHAR(10)), NULL, COUNT(sp.client_id)
    FROM ({day_rows}) days LEFT JOIN spells sp ON sp.spell_start <= days.d AND days.d < sp.spell_end
    GROUP BY days.d"""
    sql = f"""
    WITH {spells_cte(len(chosen))}
    SELECT 'in', {period_label("spell_start", period)}, NULL, COUNT(*)
    FROM spells WHERE spell_start >= %(date_from)s AND spell_start < %(date_to)s
    GROUP BY 2
    UNION ALL
    SELECT 'out', {period_label("spell_end", period)}, end_reason, COUNT(*)
    FROM spells WHERE spell_end >= %(date_from)s AND spell_end < %(date_to)s
    GROUP BY 2, 3{stock_part}
    """
    inflow: dict[str, int] = {}
    outflow: dict[str, dict[str, int]] = {}
    stocks: dict[str, int] = {}
    for kind, label, reason, n in fetch_all(sql, params):
        if kind == "in":
            inflow[label] = n
        elif kind == "out":
            by_reason = outflow.setdefault(label, dict.fromkeys(END_REASONS, 0))
            # A reason outside the list cannot be stored (database check); count it as overig anyway.
            by_reason[reason if reason in END_REASONS else "overig"] += n
        else:
            stocks[str(label)[:10]] = n
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
        average = sum(stocks.get(add_months(date(year, 1, 1), m).isoformat(), 0) for m in range(12)) / 12
        rates[str(year)] = to_work / average if average else None
    return {"periods": periods, "outflow_to_work_rate": rates}
