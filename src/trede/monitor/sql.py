"""SQL building blocks for the core figures, for SQLite and PostgreSQL alike.

The definitions are those of shared/interchange.md, "Meaning of the core figures". The
spell construction is a gaps-and-islands query: ordered by start, a benefit opens a new
spell when it starts after the latest end so far (a start on or before it, so an
overlapping or touching benefit, joins the spell).
"""

from __future__ import annotations

from datetime import date

from django.db import connection

# Ongoing benefits end "never": a date after any real one keeps MIN/MAX/compare simple.
OPEN_END = date(9999, 12, 31)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def year_of(column: str) -> str:
    if is_postgres():
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(substr({column}, 1, 4) AS INTEGER)"


def month_day_of(column: str) -> str:
    """Month and day as one number (29 February = 229) to compare anniversaries."""
    if is_postgres():
        return f"CAST(EXTRACT(MONTH FROM {column}) * 100 + EXTRACT(DAY FROM {column}) AS INTEGER)"
    return f"CAST(substr({column}, 6, 2) || substr({column}, 9, 2) AS INTEGER)"


def completed_years(column: str, on_year_param: str = "%(on_year)s", on_md_param: str = "%(on_md)s") -> str:
    """Completed years from `column` to the day given by two parameters.

    A 29 February anniversary completes on 1 March in other years, because 228 < 229.
    """
    return (
        f"({on_year_param} - {year_of(column)} - "
        f"CASE WHEN {on_md_param} < {month_day_of(column)} THEN 1 ELSE 0 END)"
    )


def id_descending(column: str) -> str:
    """Highest id first, ids compared by length and then by code point (so B10 > B9).

    On PostgreSQL the default text order follows the server's locale (where 'b12' and
    'B12' or 'D-1' and 'D_1' can sort either way); COLLATE "C" makes it code-point order,
    as SQLite's default BINARY collation is.
    """
    collate = ' COLLATE "C"' if is_postgres() else ""
    return f"LENGTH({column}) DESC, {column}{collate} DESC"


def period_label(column: str, period: str) -> str:
    if is_postgres():
        return {
            "month": f"to_char({column}, 'YYYY-MM')",
            "quarter": f"to_char({column}, 'YYYY') || '-Q' || to_char({column}, 'Q')",
            "year": f"to_char({column}, 'YYYY')",
        }[period]
    return {
        "month": f"substr({column}, 1, 7)",
        "quarter": f"substr({column}, 1, 4) || '-Q' || ((CAST(substr({column}, 6, 2) AS INTEGER) + 2) / 3)",
        "year": f"substr({column}, 1, 4)",
    }[period]


def spells_cte(regulation_count: int) -> str:
    """CTEs `spell_parts` (benefits numbered into spells) and `spells`.

    Parameters: `%(open_end)s` and `%(reg0)s` … for the selected regulations.
    `spells` has client_id, spell_no, spell_start, spell_end (OPEN_END when ongoing) and
    end_reason: the reason of the benefit that ends last (ties: the latest start, then the
    highest benefit id, ids compared by length and then text so that B10 > B9).
    """
    placeholders = ", ".join(f"%(reg{i})s" for i in range(regulation_count))
    return f"""
    selected AS (
        SELECT client_id, benefit_id, start_date AS s, COALESCE(end_date, %(open_end)s) AS e, end_reason
        FROM benefits_benefit
        WHERE regulation IN ({placeholders})
    ),
    ordered AS (
        SELECT selected.*,
               MAX(e) OVER (PARTITION BY client_id ORDER BY s, e, benefit_id
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
        FROM selected
    ),
    spell_parts AS (
        SELECT ordered.*,
               SUM(CASE WHEN prev_end IS NULL OR s > prev_end THEN 1 ELSE 0 END)
                   OVER (PARTITION BY client_id ORDER BY s, e, benefit_id ROWS UNBOUNDED PRECEDING) AS spell_no
        FROM ordered
    ),
    ranked_parts AS (
        SELECT spell_parts.*,
               ROW_NUMBER() OVER (PARTITION BY client_id, spell_no
                                  ORDER BY e DESC, s DESC, {id_descending("benefit_id")}) AS end_rank
        FROM spell_parts
    ),
    spells AS (
        SELECT client_id, spell_no, MIN(s) AS spell_start, MAX(e) AS spell_end,
               MAX(CASE WHEN end_rank = 1 THEN end_reason END) AS end_reason
        FROM ranked_parts
        GROUP BY client_id, spell_no
    )"""


def regulation_params(regulations) -> dict:
    params = {f"reg{i}": code for i, code in enumerate(regulations)}
    params["open_end"] = OPEN_END
    return params


def fetch_all(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
