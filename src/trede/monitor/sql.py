"""SQL building blocks for the core figures, for SQLite and PostgreSQL alike.

The definitions are those of docs/interchange.md, "Betekenis van de kerncijfers". The
spell construction is a gaps-and-islands query: ordered by start, a benefit opens a new
spell when it starts after the latest end so far (a start on or before it, so an
overlapping or touching benefit, joins the spell).
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from .constants import END_REASONS

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


def first_month_start_on_or_after(column: str) -> str:
    """The first day of a month on or after `column`, as text `YYYY-MM-DD`: a spell is
    active on month start m exactly when bucket(spell_start) <= m < bucket(spell_end)."""
    if is_postgres():
        return f"to_char(date_trunc('month', CAST({column} - 1 AS timestamp)) + interval '1 month', 'YYYY-MM-DD')"
    return f"date({column}, '-1 day', 'start of month', '+1 month')"


# One digit per reason (SQLite's text key ends in it) and below 16 (PostgreSQL's key).
assert len(END_REASONS) <= 10


def _end_reason_code() -> str:
    whens = " ".join(f"WHEN '{reason}' THEN {code}" for code, reason in enumerate(END_REASONS))
    return f"CASE end_reason {whens} ELSE {END_REASONS.index('overig')} END"


def _end_reason_of(code: str) -> str:
    whens = " ".join(f"WHEN {code_} THEN '{reason}'" for code_, reason in enumerate(END_REASONS))
    return f"CASE {code} {whens} END"


def _order() -> str:
    """The window order of a client's benefits.

    PostgreSQL: start, end, then the id by length and code point, as in the tie-break of
    the benefit that ends last, on plain columns of `selected` (`id_len`, `bid`) so that
    it sees that the windows of `spells_cte` share the order and sorts once. SQLite: the
    start, then the rowid, the order in which the index (regulation, client, start) holds
    the rows, so the first window needs no sort; there the tie-break is a text key instead
    (`spells_cte`). Which of two benefits with the same start comes first does not change
    which start opens a spell, but both window passes must use the same unique order.
    """
    return "s, e, id_len, bid" if is_postgres() else "s, r"


def _ordered(placeholders: str, extra: str = "") -> str:
    """`selected` benefits and `ordered`, with `prev_end`: the latest end before each one."""
    collate = ' COLLATE "C"' if is_postgres() else ""
    row_number = "ROW_NUMBER() OVER earlier AS rn," if is_postgres() else ""
    rowid = "" if is_postgres() else "rowid AS r, "
    return f"""
    selected AS (
        SELECT {rowid}client_id, benefit_id{collate} AS bid, LENGTH(benefit_id) AS id_len, start_date AS s,
               COALESCE(end_date, %(open_end)s) AS e, end_reason
        FROM benefits_benefit
        WHERE regulation IN ({placeholders}){extra}
    ),
    ordered AS (
        SELECT selected.*, {row_number}
               MAX(e) OVER earlier AS prev_end
        FROM selected
        WINDOW earlier AS (PARTITION BY client_id ORDER BY {_order()}
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    )"""


# Groups of clients a figure can be narrowed to (the dashboard's filter "groep"): a
# condition on the client, applied to the benefits before spells are built, so every
# figure of a group is the same figure over that group's benefits only.
GROUP_CONDITIONS = {
    "statushouder": " AND client_id IN (SELECT client_id FROM clients_client WHERE statushouder = TRUE)",
}


def group_condition(group: str) -> str:
    return GROUP_CONDITIONS[group] if group else ""


def spells_cte(regulation_count: int, group: str = "") -> str:
    """CTEs ending in `spells`: client_id, spell_start, spell_end (OPEN_END when ongoing)
    and end_reason, the reason of the benefit that ends last (ties: the latest start, then
    the highest benefit id, ids compared by length and then text so that B10 > B9).

    Parameters: `%(open_end)s` and `%(reg0)s` … for the selected regulations.

    In the window order (`_order`) `prev_end` is the latest end before a benefit; a
    benefit with a start after it opens a spell, and the running maximum of the openings'
    starts gives every benefit its spell's start, which names the spell (two openings of
    one client never share a start). The benefit that ends last is picked by a MAX per
    spell, not by a further window pass with its own sort. On PostgreSQL a benefit ending
    on or after every earlier one is a candidate, and the last candidate of a spell in
    window order (which is the tie-break order there) is the one: any later benefit of
    the spell ends before the spell's end; `rn * 16 + reason code` makes it an integer
    MAX. On SQLite the key is text that sorts as the tie-break does (ISO dates, the id's
    length in two digits, the id in code-point order, BINARY collation), with the
    reason's one-digit code last.
    """
    placeholders = ", ".join(f"%(reg{i})s" for i in range(regulation_count))
    if is_postgres():
        last_key = f"CASE WHEN prev_end IS NULL OR e >= prev_end THEN rn * 16 + {_end_reason_code()} END"
        reason_code = "MAX(last_key) %% 16"
    else:
        last_key = f"e || s || printf('%%02d', id_len) || bid || ({_end_reason_code()})"
        reason_code = "CAST(substr(MAX(last_key), -1) AS INTEGER)"
    return f"""{_ordered(placeholders, group_condition(group))},
    parts AS (
        SELECT client_id, e,
               MAX(CASE WHEN prev_end IS NULL OR s > prev_end THEN s END)
                   OVER (PARTITION BY client_id ORDER BY {_order()} ROWS UNBOUNDED PRECEDING) AS spell_start,
               {last_key} AS last_key
        FROM ordered
    ),
    spells AS (
        SELECT client_id, spell_start, MAX(e) AS spell_end, {_end_reason_of(reason_code)} AS end_reason
        FROM parts
        GROUP BY client_id, spell_start
    )"""


def active_spell_starts_cte(regulation_count: int, group: str = "") -> str:
    """CTEs ending in `active`: client_id and spell_start of every client with a selected
    benefit active on `%(as_of)s`.

    The spell active on a day is the client's last spell opened on or before it (a later
    opening before the day would lie after that spell's end), so only the benefits of the
    clients on benefit that start on or before the day are needed, and one window pass.
    """
    placeholders = ", ".join(f"%(reg{i})s" for i in range(regulation_count))
    on_benefit = f"""
          AND client_id IN (
              SELECT client_id FROM benefits_benefit
              WHERE regulation IN ({placeholders}) AND start_date <= %(as_of)s
                AND (end_date IS NULL OR %(as_of)s < end_date)
          )
          AND start_date <= %(as_of)s{group_condition(group)}"""
    return f"""{_ordered(placeholders, on_benefit)},
    active AS (
        SELECT client_id, MAX(s) AS spell_start
        FROM ordered
        WHERE prev_end IS NULL OR s > prev_end
        GROUP BY client_id
    )"""


def regulation_params(regulations) -> dict:
    params = {f"reg{i}": code for i, code in enumerate(regulations)}
    params["open_end"] = OPEN_END
    return params


def fetch_all(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
