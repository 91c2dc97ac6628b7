"""The benchmark's peer: the core figures as plain DuckDB SQL over the CSV files.

`reference_duckdb` is the independent check (every cell read as text, a `NOT EXISTS`
spell construction, single-threaded), deliberately simple rather than fast. This module
is what someone would write to get the figures quickly with DuckDB: one statement per
figure straight over `read_csv` (types detected, parallel), spells by window functions.
Each call reads the files again ("cold"); it returns the same JSON as `trede monitor`.
It assumes a valid folder (one the importer accepts); the benchmark checks its figures
against the reference as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .constants import AGE_BANDS, DURATION_BANDS, END_REASONS, HOUSEHOLDS, LADDER_STEPS

_OPEN_END = "DATE '9999-12-31'"


def _csv(folder: Path, name: str, types: dict[str, str]) -> str:
    path = str(Path(folder) / name).replace("'", "''")
    spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"
    return f"read_csv('{path}', header = true, types = {spec})"


def _spells(folder: Path, regulations: Sequence[str]) -> str:
    in_list = ", ".join("'" + r.replace("'", "''") + "'" for r in regulations)
    benefits = _csv(
        folder,
        "benefits.csv",
        {
            "benefit_id": "VARCHAR",
            "client_id": "VARCHAR",
            "regulation": "VARCHAR",
            "start_date": "DATE",
            "end_date": "DATE",
            "end_reason": "VARCHAR",
        },
    )
    return f"""
    b AS (
        SELECT client_id, benefit_id, start_date AS s, COALESCE(end_date, {_OPEN_END}) AS e, end_reason
        FROM {benefits} WHERE regulation IN ({in_list})
    ),
    o AS (
        SELECT *, MAX(e) OVER (PARTITION BY client_id ORDER BY s, e, benefit_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe
        FROM b
    ),
    n AS (
        SELECT *, SUM(CASE WHEN pe IS NULL OR s > pe THEN 1 ELSE 0 END)
                      OVER (PARTITION BY client_id ORDER BY s, e, benefit_id ROWS UNBOUNDED PRECEDING) AS sn
        FROM o
    ),
    spells AS (
        SELECT client_id, MIN(s) AS ss, MAX(e) AS se,
               arg_max(end_reason, (e, s, length(benefit_id), benefit_id)) AS reason
        FROM n GROUP BY client_id, sn
    )"""


def _quiet(con) -> None:
    # A query over 2 s draws a progress bar on standard output, which would break --json.
    con.execute("SET enable_progress_bar = false")


def _years(x: str, d: str) -> str:
    return f"(year({d}) - year({x}) - CASE WHEN month({d}) * 100 + day({d}) < month({x}) * 100 + day({x}) THEN 1 ELSE 0 END)"


def stock(con, folder: Path, *, as_of: date, regulations: Sequence[str] = ("pw",)) -> dict:
    d = f"DATE '{as_of.isoformat()}'"
    clients = _csv(
        folder, "clients.csv", {"client_id": "VARCHAR", "birth_date": "DATE", "household": "VARCHAR"}
    )
    diagnoses = _csv(
        folder,
        "diagnoses.csv",
        {"diagnosis_id": "VARCHAR", "client_id": "VARCHAR", "date": "DATE", "ladder_step": "INTEGER"},
    )
    age, duration = _years("c.birth_date", d), _years("sp.ss", d)
    _quiet(con)
    rows = con.execute(
        f"""
        WITH {_spells(folder, regulations)},
        active AS (SELECT client_id, ss FROM spells WHERE ss <= {d} AND {d} < se),
        ladder AS (
            SELECT client_id, arg_max(ladder_step, (date, length(diagnosis_id), diagnosis_id)) AS step
            FROM {diagnoses} WHERE ladder_step IS NOT NULL AND date <= {d} GROUP BY client_id
        )
        SELECT CASE WHEN {age} <= 20 THEN '<=20' WHEN {age} <= 30 THEN '21-30' WHEN {age} <= 40 THEN '31-40'
                    WHEN {age} <= 50 THEN '41-50' WHEN {age} <= 60 THEN '51-60' ELSE '>=61' END,
               CASE WHEN {duration} < 1 THEN '<1' WHEN {duration} < 3 THEN '1-3' WHEN {duration} < 5 THEN '3-5'
                    ELSE '>=5' END,
               COALESCE(NULLIF(c.household, ''), 'onbekend'),
               COALESCE(CAST(l.step AS VARCHAR), 'onbekend'),
               count(*)
        FROM active sp JOIN {clients} c USING (client_id) LEFT JOIN ladder l USING (client_id)
        GROUP BY ALL"""
    ).fetchall()
    result = {
        "as_of": as_of.isoformat(),
        "regulations": list(regulations),
        "total": 0,
        "by_age_band": dict.fromkeys(AGE_BANDS, 0),
        "by_duration_band": dict.fromkeys(DURATION_BANDS, 0),
        "by_household": dict.fromkeys(HOUSEHOLDS, 0),
        "by_ladder_step": dict.fromkeys(LADDER_STEPS, 0),
    }
    for age_band, duration_band, household, ladder, count in rows:
        result["total"] += count
        result["by_age_band"][age_band] += count
        result["by_duration_band"][duration_band] += count
        result["by_household"][household] += count
        result["by_ladder_step"][ladder] += count
    return result


def flows(
    con, folder: Path, *, date_from: date, date_to: date, period: str, regulations: Sequence[str] = ("pw",)
) -> dict:
    from .periods import add_months, periods_between, whole_years

    label = {
        "month": "strftime({c}, '%Y-%m')",
        "quarter": "strftime({c}, '%Y') || '-Q' || quarter({c})",
        "year": "strftime({c}, '%Y')",
    }[period]
    lo, hi = f"DATE '{date_from.isoformat()}'", f"DATE '{date_to.isoformat()}'"
    years = whole_years(date_from, date_to)
    days = [add_months(date(y, 1, 1), m) for y in years for m in range(12)]
    stock_part = ""
    if days:
        values = ", ".join(f"(DATE '{d.isoformat()}')" for d in days)
        stock_part = f"""UNION ALL
        SELECT 'stock', CAST(m.d AS VARCHAR), NULL, count(sp.client_id)
        FROM (VALUES {values}) m(d) LEFT JOIN spells sp ON sp.ss <= m.d AND m.d < sp.se GROUP BY m.d"""
    _quiet(con)
    rows = con.execute(
        f"""
        WITH {_spells(folder, regulations)}
        SELECT 'in', {label.format(c="ss")}, NULL, count(*) FROM spells WHERE ss >= {lo} AND ss < {hi} GROUP BY 2
        UNION ALL
        SELECT 'out', {label.format(c="se")}, reason, count(*) FROM spells WHERE se >= {lo} AND se < {hi} GROUP BY 2, 3
        {stock_part}"""
    ).fetchall()
    inflow, outflow, stocks = {}, {}, {}
    for kind, key, reason, count in rows:
        if kind == "in":
            inflow[key] = count
        elif kind == "out":
            outflow.setdefault(key, dict.fromkeys(END_REASONS, 0))[reason] += count
        else:
            stocks[key] = count
    periods = []
    for key, _start, _end in periods_between(date_from, date_to, period):
        by_reason = outflow.get(key, dict.fromkeys(END_REASONS, 0))
        periods.append(
            {
                "period": key,
                "inflow": inflow.get(key, 0),
                "outflow": by_reason,
                "outflow_total": sum(by_reason.values()),
            }
        )
    rates = {}
    for y in years:
        to_work = sum(p["outflow"]["werk"] for p in periods if p["period"][:4] == str(y))
        average = sum(stocks.get(add_months(date(y, 1, 1), m).isoformat(), 0) for m in range(12)) / 12
        rates[str(y)] = to_work / average if average else None
    return {"periods": periods, "outflow_to_work_rate": rates}


def stock_totals(con, folder: Path, *, days: Sequence[date], regulations: Sequence[str] = ("pw",)) -> dict:
    """The stock on many days in one statement: spells with start <= day < end, per day
    (the dashboard's stock line; `{iso day: count}`)."""
    _quiet(con)
    listed = ", ".join(f"DATE '{d.isoformat()}'" for d in days)
    rows = con.execute(
        f"""WITH {_spells(folder, regulations)},
        days AS (SELECT unnest([{listed}]) AS day)
        SELECT day, COUNT(ss) FROM days LEFT JOIN spells ON ss <= day AND day < se
        GROUP BY day ORDER BY day"""
    ).fetchall()
    return {d.isoformat(): int(n) for d, n in rows}


def main(argv: list[str] | None = None) -> None:
    """`python -m trede.monitor.plain_duckdb FOLDER stock AS_OF REGS` or
    `… FOLDER flows FROM TO PERIOD REGS`: the peer as a whole command (JSON on stdout)."""
    import json
    import sys

    import duckdb

    folder, kind, *rest = argv if argv is not None else sys.argv[1:]
    con = duckdb.connect(":memory:")
    try:
        if kind == "stock":
            as_of, regulations = rest
            result = stock(
                con, Path(folder), as_of=date.fromisoformat(as_of), regulations=regulations.split(",")
            )
        else:
            date_from, date_to, period, regulations = rest
            result = flows(
                con,
                Path(folder),
                date_from=date.fromisoformat(date_from),
                date_to=date.fromisoformat(date_to),
                period=period,
                regulations=regulations.split(","),
            )
    finally:
        con.close()
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
