"""Differential tests: Trede's figures (import + SQL selectors) against the independent
DuckDB reference computed from the same CSV folder.

Runs on whatever database DATABASE_URL names, so the CI's PostgreSQL pass checks the
PostgreSQL SQL as well.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from trede.interchange.services import import_folder
from trede.monitor import reference_duckdb as ref
from trede.monitor.management.commands.bench import differences
from trede.monitor.selectors import flow_figures, stock_figures

pytestmark = pytest.mark.django_db

ALL = ("pw", "ioaw", "ioaz", "bbz")


def benefit_dates(folder: Path) -> tuple[date, date]:
    days = []
    with (folder / "benefits.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            days += [date.fromisoformat(row[c].strip()) for c in ("start_date", "end_date") if row[c].strip()]
    return min(days), max(days)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def stock_days(window_start: date, window_end: date) -> list[date]:
    """About a dozen days: the window's edges, month and year starts, year ends, a mid-month
    day, and 28 February / 29 February / 1 March in a leap and in a common year."""
    middle = (window_start.year + window_end.year) // 2
    days = {
        window_start - timedelta(days=1),
        window_start,
        date(middle, 6, 15),
        date(middle, 7, 1),
        date(middle, 12, 31),
        date(middle + 1, 1, 1),
        window_end - timedelta(days=1),
        window_end,
    }
    years = range(window_start.year, window_end.year)
    leap = next((y for y in years if is_leap(y)), None)
    common = next((y for y in years if not is_leap(y)), None)
    if leap:
        days |= {date(leap, 2, 28), date(leap, 2, 29), date(leap, 3, 1)}
    if common:
        days |= {date(common, 2, 28), date(common, 3, 1)}
    return sorted(days)


def flow_ranges(window_start: date, window_end: date, first: date) -> list[tuple[date, date]]:
    """Whole years, a range that cuts months, quarters and years, and the whole history."""
    return [
        (window_start, window_end),
        (window_start + timedelta(days=74), window_end - timedelta(days=133)),
        (date(first.year, 1, 1), window_end),
    ]


def compare_all(folder: Path, days: list[date], ranges: list[tuple[date, date]]) -> list[str]:
    found = []
    for regulations in (("pw",), ALL):
        for day in days:
            ours = stock_figures(as_of=day, regulations=regulations)
            theirs = ref.stock(folder, as_of=day, regulations=regulations)
            found += [f"stock {day} {','.join(regulations)}: {d}" for d in differences(ours, theirs)]
        for date_from, date_to in ranges:
            for period in ("month", "quarter", "year"):
                kwargs = {
                    "date_from": date_from,
                    "date_to": date_to,
                    "period": period,
                    "regulations": regulations,
                }
                ours = flow_figures(**kwargs)
                theirs = ref.flows(folder, **kwargs)
                label = f"flows {period} {date_from}..{date_to} {','.join(regulations)}"
                found += [f"{label}: {d}" for d in differences(ours, theirs)]
    return found


def test_generated_city_equals_reference(tmp_path):
    generator = pytest.importorskip(
        "trede.synthetic.generator", reason="the synthetic generator is not there yet"
    )
    folder = tmp_path / "city"
    summary = generator.generate(folder, clients=800, years=6, seed=3)
    import_folder(folder)
    window_start = date.fromisoformat(summary["data_start"])
    window_end = date.fromisoformat(summary["data_end"])
    first, _last = benefit_dates(folder)
    days = stock_days(window_start, window_end)
    assert len(days) >= 12
    found = compare_all(folder, days, flow_ranges(window_start, window_end, first))
    assert not found, "\n".join(found[:40])
    # The comparison must have compared something: the city has a stock, with every regulation.
    assert ref.stock(folder, as_of=days[len(days) // 2])["total"] > 0
    assert ref.stock(folder, as_of=days[len(days) // 2], regulations=["ioaw", "ioaz", "bbz"])["total"] > 0


BENEFITS = [
    # benefit_id, client_id, regulation, start_date, end_date, end_reason
    ("B1", "C1", "pw", "2019-01-01", "2020-03-01", "werk"),
    ("B2", "C1", "ioaw", "2020-03-01", "", ""),  # touches B1 across regulations
    ("B9", "C2", "pw", "2019-05-01", "2020-06-01", "werk"),
    ("B10", "C2", "pw", "2019-05-01", "2020-06-01", "onderwijs"),  # B10 > B9
    ("B3", "C2", "pw", "2020-06-02", "2021-02-28", "verhuizing"),  # a day's gap: a new spell
    ("B4", "C3", "pw", "2018-02-28", "2020-02-29", "aow"),  # ends on a leap day
    ("B5", "C3", "bbz", "2020-01-01", "2020-12-31", "overig"),  # overlaps only with all regulations
    ("B6", "C4", "pw", "2020-02-29", "2021-03-01", "detentie"),  # spell starts on a leap day
    ("B7", "C5", "pw", "2016-07-01", "2016-07-01", "overig"),  # zero length
    ("B8", "C5", "pw", "2016-01-01", "2021-01-01", "partner_inkomen"),
    ("B11", "C5", "ioaz", "2017-01-01", "2021-01-01", "rechtmatigheid"),  # same end: later start wins
    ("b12", "C6", "pw", "2019-01-01", "2020-01-01", "werk"),  # ids equal in length, case differs:
    ("B12", "C6", "pw", "2019-01-01", "2020-01-01", "overig"),  # "b12" > "B12" by code point
    ("X1", "C7", "ioaw", "2019-09-01", "2019-12-01", "werk"),
    ("X2", "C7", "pw", "2019-10-01", "2019-11-01", "overlijden"),
]
CLIENTS = [
    ("C1", "2000-02-29", ""),
    ("C2", "1999-03-01", "alleenstaand"),
    ("C3", "1955-02-28", "gehuwd_samenwonend"),
    ("C4", "1980-12-31", "alleenstaande_ouder"),
    ("C5", "1960-02-29", "overig"),
    ("C6", "1990-06-15", ""),
    ("C7", "1970-01-01", ""),
]
DIAGNOSES = [
    ("D9", "C1", "2019-06-01", "2"),
    ("D10", "C1", "2019-06-01", "4"),  # same day: D10 > D9
    ("D11", "C1", "2020-02-29", ""),  # no ladder step: does not count
    ("D1", "C2", "2020-03-01", "5"),
    ("d2", "C2", "2020-03-01", "1"),  # "d2" > "D1" (length first, then code point)
    ("D3", "C5", "2022-01-01", "6"),  # after every stock day
]


def write(folder: Path, name: str, header: list[str], rows: list[tuple]) -> None:
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def test_tricky_folder_equals_reference(tmp_path):
    folder = tmp_path / "tricky"
    folder.mkdir()
    write(folder, "clients.csv", ["client_id", "birth_date", "household"], CLIENTS)
    write(
        folder,
        "benefits.csv",
        ["benefit_id", "client_id", "regulation", "start_date", "end_date", "end_reason"],
        BENEFITS,
    )
    write(folder, "diagnoses.csv", ["diagnosis_id", "client_id", "date", "ladder_step"], DIAGNOSES)
    import_folder(folder)
    days = sorted(
        {date(2016, 7, 1), date(2019, 6, 1), date(2019, 12, 31), date(2020, 1, 1)}
        | {date(2020, 2, 28), date(2020, 2, 29), date(2020, 3, 1), date(2020, 6, 1), date(2020, 6, 2)}
        | {date(2021, 2, 27), date(2021, 2, 28), date(2021, 3, 1), date(2020, 12, 31)}
    )
    ranges = [(date(2016, 1, 1), date(2022, 1, 1)), (date(2019, 11, 15), date(2021, 2, 28))]
    found = compare_all(folder, days, ranges)
    assert not found, "\n".join(found[:40])


def test_plain_duckdb_peer_equals_reference(tmp_path):
    # The benchmark's peer (plain DuckDB SQL, timed against Trede) must give the same
    # figures, or the ratios would compare different work.
    duckdb = pytest.importorskip("duckdb")
    from trede.monitor import plain_duckdb

    folder = tmp_path / "tricky"
    folder.mkdir()
    write(folder, "clients.csv", ["client_id", "birth_date", "household"], CLIENTS)
    write(
        folder,
        "benefits.csv",
        ["benefit_id", "client_id", "regulation", "start_date", "end_date", "end_reason"],
        BENEFITS,
    )
    write(folder, "diagnoses.csv", ["diagnosis_id", "client_id", "date", "ladder_step"], DIAGNOSES)
    con = duckdb.connect(":memory:")
    found = []
    for regulations in (["pw"], list(ALL)):
        for day in (date(2019, 6, 1), date(2020, 2, 29), date(2020, 3, 1), date(2020, 6, 2)):
            ours = plain_duckdb.stock(con, folder, as_of=day, regulations=regulations)
            found += differences(ours, ref.stock(folder, as_of=day, regulations=regulations))
        for period in ("month", "quarter", "year"):
            kwargs = {"date_from": date(2016, 1, 1), "date_to": date(2022, 1, 1), "period": period}
            ours = plain_duckdb.flows(con, folder, regulations=regulations, **kwargs)
            found += differences(ours, ref.flows(folder, regulations=regulations, **kwargs))
    assert not found, "\n".join(found[:40])
    assert ref.stock(folder, as_of=date(2020, 3, 1))["total"] > 0
