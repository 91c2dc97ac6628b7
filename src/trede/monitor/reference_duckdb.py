"""An independent reference implementation of the core figures, in DuckDB, from CSV.

It reads an interchange folder directly (no Django, no database) and computes the stock
and flow figures of docs/interchange.md ("Betekenis van de kerncijfers"), returning
exactly the JSON objects of `trede monitor stock --json` and `trede monitor flows --json`.
It exists to check Trede's own SQL (differential tests, `trede bench monitor`), so it
deliberately shares no code with `trede.monitor` and builds spells in a different way.

Reading of the files
- Every cell is read as text, then trimmed; an empty cell is unknown. A UTF-8 BOM, CRLF
  line ends, blank lines, extra columns and extra or missing trailing cells are allowed.
  Header names are matched after trimming and lower-casing (as the importer does).
- A column that is absent reads as empty; an absent optional file (`diagnoses.csv`)
  reads as having no rows. Rows with an empty id are skipped (only blank lines can have
  one in a folder the importer accepts).
- The folder is assumed valid (one the importer accepts into an empty database): real
  dates, known codes, every benefit's client present in `clients.csv`. Nothing here
  re-validates; use `trede import` for that.
- The header must be one physical line (no quoted line breaks in column names).

Reading of the definitions where the text leaves room
- Benefit active on D: `start_date <= D < end_date`, an empty `end_date` never ends.
  A benefit with `end_date == start_date` (allowed: only an end *before* the start is
  refused) is active on no day, but still forms or joins a spell.
- Spells: per client, over the benefits of the selected regulations only. A start value S
  opens a spell when no benefit of that client with an earlier start reaches S (its end
  on or after S, or no end). This is equivalent to the running-maximum sweep of the text:
  a benefit that starts on or before the latest end so far (overlap or touch) joins; all
  benefits starting on the same day are in one spell. A spell runs from its first start
  to the latest end of its members; it is ongoing when any member is ongoing.
- Benefits with an empty or unselected regulation take part in no figure.
- Stock total: distinct clients with an active benefit on D, computed from the benefits
  themselves (not from the spells), so that the spell construction is cross-checked; the
  bands use the spell active on D (there is exactly one per stock client).
- Outflow reason: the `end_reason` of the member with the latest `end_date`; ties go to
  the latest `start_date`, then the highest `benefit_id` compared as (length, text), so
  "B10" > "B9". Text compares by code point (DuckDB's binary order), not by a locale.
  A reason outside the list is counted as `overig` (the importer refuses such a row).
- Completed years from X to D (age, spell duration): year(D) − year(X), minus one when
  (month, day) of D is before (month, day) of X. So a 29 February anniversary completes
  on 1 March in a year without 29 February. A birth date after D gives a negative age,
  which falls in `<=20`.
- Household: the code as written, an empty cell (or absent column) is `onbekend`.
- Ladder step on D: among the client's diagnoses dated on or before D with a non-empty
  `ladder_step`, the one with the latest date, then the highest `diagnosis_id` as
  (length, text). Cells like "3.0" read as 3 (the importer reads numbers as decimals).
- Periods: every calendar month/quarter/year overlapping [from, to); a cut period counts
  only days inside the range and keeps its label. `from >= to` is an error, as in the CLI.
- Outflow-to-work rate: only for calendar years with 1 January >= from and the next
  1 January <= to. Rate = (spells ending with reason `werk` in the year) / (sum of the 12
  month-start stock totals / 12), as an unrounded float; `None` when that average is 0
  (the text does not say; division by zero has no value).
- Regulations are deduplicated keeping their order; an unknown code is a ValueError.

Calls on the same folder reuse the loaded tables while the files' sizes and modification
times stay the same (up to four folders); `clear_cache()` forces a fresh read.
"""

from __future__ import annotations

import csv
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb

AGE_BANDS = ("<=20", "21-30", "31-40", "41-50", "51-60", ">=61")
DURATION_BANDS = ("<1", "1-3", "3-5", ">=5")
HOUSEHOLDS = ("alleenstaand", "alleenstaande_ouder", "gehuwd_samenwonend", "overig", "onbekend")
LADDER_STEPS = ("1", "2", "3", "4", "5", "6", "onbekend")
END_REASONS = (
    "werk",
    "onderwijs",
    "verhuizing",
    "aow",
    "overlijden",
    "detentie",
    "partner_inkomen",
    "rechtmatigheid",
    "overig",
)
REGULATIONS = ("pw", "ioaw", "ioaz", "bbz")
PERIODS = ("month", "quarter", "year")

# (file, table, {column: SQL type}, id column). Types are applied after trimming; text
# stays text so that ids like "007" keep their leading zeros.
_TABLES = (
    (
        "clients.csv",
        "clients",
        {"client_id": "VARCHAR", "birth_date": "DATE", "household": "VARCHAR"},
        "client_id",
    ),
    (
        "benefits.csv",
        "benefits",
        {
            "benefit_id": "VARCHAR",
            "client_id": "VARCHAR",
            "regulation": "VARCHAR",
            "start_date": "DATE",
            "end_date": "DATE",
            "end_reason": "VARCHAR",
        },
        "benefit_id",
    ),
    (
        "diagnoses.csv",
        "diagnoses",
        {"diagnosis_id": "VARCHAR", "client_id": "VARCHAR", "date": "DATE", "ladder_step": "INTEGER"},
        "diagnosis_id",
    ),
)


def _header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = next(csv.reader(handle), [])
    return [name.strip().lower() for name in first]


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cell(raw: str, sql_type: str) -> str:
    text = f"NULLIF(TRIM({raw}), '')"
    if sql_type == "VARCHAR":
        return text
    if sql_type == "INTEGER":
        # "3", "3.0" and "03" are all 3, as for the importer's decimal reading.
        return f"CAST(CAST({text} AS DECIMAL(18, 6)) AS INTEGER)"
    return f"CAST({text} AS {sql_type})"


def _load(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    for filename, table, columns, id_column in _TABLES:
        path = folder / filename
        header = _header(path) if path.is_file() else []
        typed_nulls = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in columns.items())
        if not header:
            con.execute(f"CREATE TEMP TABLE {table} AS SELECT {typed_nulls} LIMIT 0")
            continue
        # Columns are named by position: the header is parsed above (BOM, case, spaces), and
        # DuckDB reads the data lines only, every cell as VARCHAR.
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            positions.setdefault(name, index)
        spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
        select = ", ".join(
            (_cell(f"c{positions[c]}", t) if c in positions else f"CAST(NULL AS {t})") + f" AS {c}"
            for c, t in columns.items()
        )
        if id_column not in positions:
            # Without its id column a file has no usable rows (the importer refuses it).
            con.execute(f"CREATE TEMP TABLE {table} AS SELECT {typed_nulls} LIMIT 0")
            continue
        con.execute(
            f"""CREATE TEMP TABLE {table} AS
            SELECT {select}
            FROM read_csv({_sql_string(str(path))}, columns = {spec}, header = false, skip = 1,
                          delim = ',', quote = '"', escape = '"', null_padding = true,
                          strict_mode = false, auto_detect = false, parallel = false)
            WHERE NULLIF(TRIM(c{positions[id_column]}), '') IS NOT NULL"""
        )


_MACROS = """
CREATE TEMP MACRO completed_years(x, d) AS
    year(d) - year(x) - CASE WHEN month(d) * 100 + day(d) < month(x) * 100 + day(x) THEN 1 ELSE 0 END;
"""


def _spells_sql(regulations: Sequence[str], suffix: str) -> str:
    """Statements creating `selected_{suffix}` (the selected benefits) and `spells_{suffix}`
    (client_id, spell_start, spell_end, end_reason); `spell_end` is NULL when ongoing."""
    in_list = ", ".join(_sql_string(r) for r in regulations)
    return f"""
    CREATE TEMP TABLE selected_{suffix} AS
        SELECT client_id, benefit_id, start_date AS s, end_date AS e, end_reason
        FROM benefits WHERE regulation IN ({in_list});
    CREATE TEMP TABLE spells_{suffix} AS
    WITH openings AS (
        SELECT DISTINCT a.client_id, a.s
        FROM selected_{suffix} a
        WHERE NOT EXISTS (
            SELECT 1 FROM selected_{suffix} b
            WHERE b.client_id = a.client_id AND b.s < a.s AND (b.e IS NULL OR b.e >= a.s)
        )
    ),
    bounds AS (
        SELECT client_id, s AS spell_start,
               LEAD(s) OVER (PARTITION BY client_id ORDER BY s) AS next_start
        FROM openings
    ),
    members AS (
        SELECT bd.client_id, bd.spell_start, sel.benefit_id, sel.s, sel.e, sel.end_reason,
               ROW_NUMBER() OVER (
                   PARTITION BY bd.client_id, bd.spell_start
                   ORDER BY sel.e DESC NULLS FIRST, sel.s DESC,
                            length(sel.benefit_id) DESC, sel.benefit_id DESC
               ) AS end_rank
        FROM bounds bd
        JOIN selected_{suffix} sel
          ON sel.client_id = bd.client_id AND sel.s >= bd.spell_start
         AND (bd.next_start IS NULL OR sel.s < bd.next_start)
    )
    SELECT client_id, spell_start,
           CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS spell_end,
           max(CASE WHEN end_rank = 1 THEN end_reason END) AS end_reason
    FROM members
    GROUP BY client_id, spell_start;"""


class _Loaded:
    """One folder's tables in an in-memory DuckDB, with spells per regulation choice."""

    def __init__(self, folder: Path):
        self.con = duckdb.connect(":memory:")
        _load(self.con, folder)
        self.con.execute(_MACROS)
        self.spells: dict[tuple[str, ...], str] = {}

    def spells_suffix(self, regulations: Sequence[str]) -> str:
        key = tuple(sorted(regulations))
        if key not in self.spells:
            suffix = str(len(self.spells))
            self.con.execute(_spells_sql(key, suffix))
            self.spells[key] = suffix
        return self.spells[key]


# Loading costs more than a figure on small folders; repeated calls on the same unchanged
# files (tests, several dates) reuse the tables. The key holds each file's size and mtime.
_CACHE: OrderedDict[tuple, _Loaded] = OrderedDict()
_CACHE_SIZE = 4
_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget loaded folders, so that the next call reads the CSV files again."""
    with _LOCK:
        while _CACHE:
            _CACHE.popitem()[1].con.close()


def _file_key(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


@contextmanager
def _loaded(folder: Path) -> Iterator[_Loaded]:
    folder = Path(folder).resolve()
    key = (str(folder), *(_file_key(folder / name) for name, *_ in _TABLES))
    with _LOCK:
        loaded = _CACHE.pop(key, None) or _Loaded(folder)
        _CACHE[key] = loaded
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)[1].con.close()
        yield loaded


def _check_regulations(regulations: Sequence[str]) -> list[str]:
    if isinstance(regulations, str):
        regulations = [part.strip() for part in regulations.split(",") if part.strip()]
    chosen = list(dict.fromkeys(regulations))
    unknown = [r for r in chosen if r not in REGULATIONS]
    if unknown or not chosen:
        raise ValueError(f"unknown or no regulations: {unknown or chosen}")
    return chosen


def stock(folder: Path, *, as_of: date, regulations: Sequence[str] = ("pw",)) -> dict:
    """`trede monitor stock --as-of AS_OF --regulations … --json`, computed from CSV."""
    chosen = _check_regulations(regulations)
    with _loaded(folder) as loaded:
        k = loaded.spells_suffix(chosen)
        rows = loaded.con.execute(
            f"""
            WITH active_clients AS (
                SELECT DISTINCT client_id FROM selected_{k}
                WHERE s <= $d AND (e IS NULL OR $d < e)
            ),
            active_spell AS (
                SELECT client_id, spell_start FROM spells_{k}
                WHERE spell_start <= $d AND (spell_end IS NULL OR $d < spell_end)
            ),
            ladder AS (
                SELECT client_id, ladder_step FROM (
                    SELECT client_id, ladder_step,
                           ROW_NUMBER() OVER (PARTITION BY client_id
                                              ORDER BY date DESC, length(diagnosis_id) DESC,
                                                       diagnosis_id DESC) AS rn
                    FROM diagnoses WHERE ladder_step IS NOT NULL AND date <= $d
                ) WHERE rn = 1
            )
            SELECT completed_years(c.birth_date, $d) AS age,
                   completed_years(sp.spell_start, $d) AS duration,
                   COALESCE(c.household, 'onbekend') AS household,
                   COALESCE(CAST(l.ladder_step AS VARCHAR), 'onbekend') AS ladder
            FROM active_clients ac
            LEFT JOIN active_spell sp ON sp.client_id = ac.client_id
            LEFT JOIN clients c ON c.client_id = ac.client_id
            LEFT JOIN ladder l ON l.client_id = ac.client_id
            """,
            {"d": as_of},
        ).fetchall()
    result = {
        "as_of": as_of.isoformat(),
        "regulations": chosen,
        "total": len(rows),
        "by_age_band": dict.fromkeys(AGE_BANDS, 0),
        "by_duration_band": dict.fromkeys(DURATION_BANDS, 0),
        "by_household": dict.fromkeys(HOUSEHOLDS, 0),
        "by_ladder_step": dict.fromkeys(LADDER_STEPS, 0),
    }
    for age, duration, household, ladder in rows:
        result["by_age_band"][_age_band(age)] += 1
        result["by_duration_band"][_duration_band(duration)] += 1
        result["by_household"][household] = result["by_household"].get(household, 0) + 1
        result["by_ladder_step"][ladder] = result["by_ladder_step"].get(ladder, 0) + 1
    return result


def _age_band(age: int) -> str:
    for upper, band in zip((20, 30, 40, 50, 60), AGE_BANDS, strict=False):
        if age <= upper:
            return band
    return ">=61"


def _duration_band(years: int) -> str:
    if years < 1:
        return "<1"
    if years < 3:
        return "1-3"
    if years < 5:
        return "3-5"
    return ">=5"


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _from_month_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def periods(date_from: date, date_to: date, period: str) -> list[tuple[str, date, date]]:
    """(label, first day, exclusive end) of every period overlapping [from, to), cut to it."""
    step = {"month": 1, "quarter": 3, "year": 12}[period]
    index = _month_index(date_from)
    index -= index % step  # months count from January, so this is the period's first month
    result = []
    while (start := _from_month_index(index)) < date_to:
        end = _from_month_index(index + step)
        if period == "month":
            label = f"{start.year:04d}-{start.month:02d}"
        elif period == "quarter":
            label = f"{start.year:04d}-Q{(start.month + 2) // 3}"
        else:
            label = f"{start.year:04d}"
        result.append((label, max(start, date_from), min(end, date_to)))
        index += step
    return result


def _values(rows: list[tuple], alias: str, columns: str) -> str:
    """An inline VALUES table; dates as DATE literals (no temp tables per call)."""
    cells = (
        "(" + ", ".join(f"DATE '{v.isoformat()}'" if isinstance(v, date) else _literal(v) for v in row) + ")"
        for row in rows
    )
    return f"(VALUES {', '.join(cells)}) AS {alias}({columns})"


def _literal(value) -> str:
    return _sql_string(value) if isinstance(value, str) else str(int(value))


def flows(
    folder: Path,
    *,
    date_from: date,
    date_to: date,
    period: str,
    regulations: Sequence[str] = ("pw",),
) -> dict:
    """`trede monitor flows --from --to --period --regulations … --json`, computed from CSV."""
    chosen = _check_regulations(regulations)
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    if date_from >= date_to:
        raise ValueError("date_to must be after date_from (date_to is exclusive)")
    cut = periods(date_from, date_to, period)
    years = [
        y
        for y in range(date_from.year, date_to.year + 1)
        if date_from <= date(y, 1, 1) and date(y + 1, 1, 1) <= date_to
    ]
    periods_table = _values(cut, "p", "label, lo, hi")
    with _loaded(folder) as loaded:
        k = loaded.spells_suffix(chosen)
        con = loaded.con
        inflow = dict(
            con.execute(
                f"""SELECT p.label, count(*) FROM {periods_table}
                JOIN spells_{k} sp ON sp.spell_start >= p.lo AND sp.spell_start < p.hi
                GROUP BY p.label"""
            ).fetchall()
        )
        outflow_rows = con.execute(
            f"""SELECT p.label, sp.end_reason, count(*) FROM {periods_table}
            JOIN spells_{k} sp ON sp.spell_end IS NOT NULL AND sp.spell_end >= p.lo AND sp.spell_end < p.hi
            GROUP BY p.label, sp.end_reason"""
        ).fetchall()
        to_work: dict[int, int] = {}
        stocks: dict[date, int] = {}
        if years:
            to_work = dict(
                con.execute(
                    f"""SELECT year(spell_end), count(*) FROM spells_{k}
                    WHERE end_reason = 'werk' AND spell_end >= $lo AND spell_end < $hi
                    GROUP BY 1""",
                    {"lo": date(years[0], 1, 1), "hi": date(years[-1] + 1, 1, 1)},
                ).fetchall()
            )
            month_starts = _values([(date(y, m, 1),) for y in years for m in range(1, 13)], "m", "d")
            # Stock totals straight from the benefits: distinct clients active on each day.
            stocks = dict(
                con.execute(
                    f"""SELECT m.d, count(DISTINCT b.client_id) FROM {month_starts}
                    LEFT JOIN selected_{k} b ON b.s <= m.d AND (b.e IS NULL OR m.d < b.e)
                    GROUP BY m.d"""
                ).fetchall()
            )
    outflow: dict[str, dict[str, int]] = {label: dict.fromkeys(END_REASONS, 0) for label, _, _ in cut}
    for label, reason, n in outflow_rows:
        outflow[label][reason if reason in END_REASONS else "overig"] += n
    rates: dict[str, float | None] = {}
    for y in years:
        average = sum(stocks.get(date(y, m, 1), 0) for m in range(1, 13)) / 12
        rates[str(y)] = to_work.get(y, 0) / average if average else None
    return {
        "periods": [
            {
                "period": label,
                "inflow": inflow.get(label, 0),
                "outflow": outflow[label],
                "outflow_total": sum(outflow[label].values()),
            }
            for label, _, _ in cut
        ],
        "outflow_to_work_rate": rates,
    }
