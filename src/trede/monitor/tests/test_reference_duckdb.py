"""The DuckDB reference implementation against the definitions, with hand-made CSV folders.

Plain functions on files: no database, no Django fixtures (no `django_db` mark), so the
module also runs where no database server is available.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from trede.monitor import reference_duckdb as ref
from trede.monitor.tests import oracle

D = date
CLIENT_HEADER = ["client_id", "birth_date", "household"]
BENEFIT_HEADER = ["benefit_id", "client_id", "regulation", "start_date", "end_date", "end_reason"]
DIAGNOSIS_HEADER = ["diagnosis_id", "client_id", "date", "ladder_step"]


def write_csv(path: Path, header: list[str], rows: list[list], *, bom=False, crlf=False) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n" if crlf else "\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])


def folder(
    tmp_path: Path,
    benefits: list[tuple],
    clients: list[tuple] | None = None,
    diagnoses: list[tuple] | None = None,
) -> Path:
    """benefits: (id, client, regulation, start, end|None, reason); clients default to
    one per client seen, born 1980-06-15, household empty."""
    out = tmp_path / "export"
    out.mkdir(exist_ok=True)
    if clients is None:
        seen = dict.fromkeys(b[1] for b in benefits)
        clients = [(c, D(1980, 6, 15), "") for c in seen]
    write_csv(out / "clients.csv", CLIENT_HEADER, [list(c) for c in clients])
    write_csv(out / "benefits.csv", BENEFIT_HEADER, [list(b) for b in benefits])
    if diagnoses is not None:
        write_csv(out / "diagnoses.csv", DIAGNOSIS_HEADER, [list(d) for d in diagnoses])
    return out


def total(path: Path, day: date, regulations=("pw",)) -> int:
    return ref.stock(path, as_of=day, regulations=regulations)["total"]


def flow_totals(path: Path, date_from: date, date_to: date, regulations=("pw",)) -> tuple[int, dict]:
    result = ref.flows(path, date_from=date_from, date_to=date_to, period="year", regulations=regulations)
    inflow = sum(p["inflow"] for p in result["periods"])
    outflow: dict[str, int] = {}
    for p in result["periods"]:
        for reason, n in p["outflow"].items():
            if n:
                outflow[reason] = outflow.get(reason, 0) + n
    return inflow, outflow


# --- stock on a day -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 12, 31), 0),  # the day before the start
        (D(2020, 1, 1), 1),  # the start day counts
        (D(2020, 6, 30), 1),  # the last day with benefit
        (D(2020, 7, 1), 0),  # end_date is the first day without benefit
    ],
)
def test_start_day_counts_end_day_does_not(tmp_path, day, expected):
    path = folder(tmp_path, [("B1", "C1", "pw", D(2020, 1, 1), D(2020, 7, 1), "werk")])
    assert total(path, day) == expected


@pytest.mark.parametrize(
    ("regulations", "day", "expected"),
    [
        (("pw",), D(2020, 2, 1), 1),
        (("ioaw",), D(2020, 2, 1), 1),
        (("pw", "ioaw"), D(2020, 2, 1), 2),  # two clients
        (("pw", "ioaw", "ioaz", "bbz"), D(2020, 2, 1), 2),
        (("bbz",), D(2020, 2, 1), 0),
        (("pw", "ioaw"), D(2020, 4, 1), 1),  # C1 counts once with two active benefits
    ],
)
def test_regulation_selection_and_distinct_clients(tmp_path, regulations, day, expected):
    path = folder(
        tmp_path,
        [
            ("B1", "C1", "pw", D(2020, 1, 1), None, ""),
            ("B2", "C2", "ioaw", D(2020, 1, 1), D(2020, 3, 1), "aow"),
            ("B3", "C1", "ioaw", D(2020, 3, 15), None, ""),
        ],
    )
    assert total(path, day, regulations) == expected


def test_zero_length_benefit_is_never_in_stock_but_flows_in_and_out(tmp_path):
    path = folder(tmp_path, [("B1", "C1", "pw", D(2020, 5, 5), D(2020, 5, 5), "overig")])
    assert total(path, D(2020, 5, 5)) == 0
    assert flow_totals(path, D(2020, 1, 1), D(2021, 1, 1)) == (1, {"overig": 1})


@pytest.mark.parametrize(
    ("birth", "day", "band"),
    [
        (D(1999, 6, 15), D(2020, 6, 14), "<=20"),  # 20 the day before the 21st birthday
        (D(1999, 6, 15), D(2020, 6, 15), "21-30"),  # the birthday completes the year
        (D(2000, 2, 29), D(2021, 2, 28), "<=20"),  # leap-day birthday, non-leap year
        (D(2000, 2, 29), D(2021, 3, 1), "21-30"),  # ... completes on 1 March
        (D(1999, 2, 29 - 1), D(2020, 2, 28), "21-30"),  # 28 Feb birthday, leap year
        (D(1980, 2, 29), D(2020, 2, 28), "31-40"),  # 39 the day before, in a leap year
        (D(1980, 2, 29), D(2020, 2, 29), "31-40"),  # 40 on the day itself in a leap year
        (D(1970, 2, 28), D(2020, 2, 27), "41-50"),  # 49, birthday tomorrow
        (D(1960, 2, 29), D(2021, 2, 28), "51-60"),  # 60 on 28 Feb 2021 (61 only on 1 March)
        (D(1960, 2, 29), D(2021, 3, 1), ">=61"),
        (D(1959, 3, 1), D(2020, 2, 29), "51-60"),  # 60, birthday tomorrow
        (D(1990, 12, 31), D(2020, 12, 31), "21-30"),  # 30 exactly: upper edge of 21-30
        (D(1990, 12, 31), D(2021, 12, 31), "31-40"),
    ],
)
def test_age_in_completed_years(tmp_path, birth, day, band):
    path = folder(
        tmp_path, [("B1", "C1", "pw", D(2000, 1, 1), None, "")], clients=[("C1", birth, "alleenstaand")]
    )
    ages = ref.stock(path, as_of=day)["by_age_band"]
    assert ages == {b: int(b == band) for b in ref.AGE_BANDS}


@pytest.mark.parametrize(
    ("start", "day", "band"),
    [
        (D(2020, 1, 1), D(2020, 12, 31), "<1"),
        (D(2020, 1, 1), D(2021, 1, 1), "1-3"),  # one completed year
        (D(2020, 1, 1), D(2022, 12, 31), "1-3"),  # two completed years
        (D(2020, 1, 1), D(2023, 1, 1), "3-5"),
        (D(2020, 1, 1), D(2024, 12, 31), "3-5"),
        (D(2020, 1, 1), D(2025, 1, 1), ">=5"),
        (D(2020, 2, 29), D(2021, 2, 28), "<1"),  # a spell starting on a leap day ...
        (D(2020, 2, 29), D(2021, 3, 1), "1-3"),  # ... completes a year on 1 March
    ],
)
def test_duration_in_completed_years(tmp_path, start, day, band):
    path = folder(tmp_path, [("B1", "C1", "pw", start, None, "")])
    assert ref.stock(path, as_of=day)["by_duration_band"][band] == 1


def test_duration_counts_from_the_spell_start_across_regulations(tmp_path):
    benefits = [
        ("B1", "C1", "ioaw", D(2015, 1, 1), D(2019, 1, 1), "overig"),
        ("B2", "C1", "pw", D(2019, 1, 1), None, ""),  # touches the IOAW benefit
    ]
    path = folder(tmp_path, benefits)
    on = D(2020, 6, 1)
    assert ref.stock(path, as_of=on)["by_duration_band"]["1-3"] == 1  # pw alone: since 2019
    assert ref.stock(path, as_of=on, regulations=["pw", "ioaw"])["by_duration_band"][">=5"] == 1


def test_household_empty_or_absent_is_onbekend(tmp_path):
    path = folder(
        tmp_path,
        [("B1", "C1", "pw", D(2020, 1, 1), None, ""), ("B2", "C2", "pw", D(2020, 1, 1), None, "")],
        clients=[("C1", D(1980, 1, 1), "gehuwd_samenwonend"), ("C2", D(1980, 1, 1), "")],
    )
    households = ref.stock(path, as_of=D(2020, 1, 1))["by_household"]
    assert households == dict.fromkeys(ref.HOUSEHOLDS, 0) | {"gehuwd_samenwonend": 1, "onbekend": 1}
    write_csv(path / "clients.csv", ["client_id", "birth_date"], [["C1", "1980-01-01"], ["C2", "1980-01-01"]])
    assert ref.stock(path, as_of=D(2020, 1, 1))["by_household"]["onbekend"] == 2


@pytest.mark.parametrize(
    ("diagnoses", "day", "step"),
    [
        ([], D(2020, 6, 1), "onbekend"),
        ([("D1", "C1", D(2020, 6, 2), 3)], D(2020, 6, 1), "onbekend"),  # after D: not yet
        ([("D1", "C1", D(2020, 6, 1), 3)], D(2020, 6, 1), "3"),  # on D counts
        ([("D1", "C1", D(2020, 1, 1), 2), ("D2", "C1", D(2020, 3, 1), 4)], D(2020, 6, 1), "4"),
        ([("D1", "C1", D(2020, 1, 1), 2), ("D2", "C1", D(2020, 3, 1), None)], D(2020, 6, 1), "2"),
        ([("D9", "C1", D(2020, 3, 1), 2), ("D10", "C1", D(2020, 3, 1), 5)], D(2020, 6, 1), "5"),
        ([("D10", "C1", D(2020, 3, 1), 5), ("D9", "C1", D(2020, 3, 1), 2)], D(2020, 6, 1), "5"),
        ([("Da", "C1", D(2020, 3, 1), 1), ("Db", "C1", D(2020, 3, 1), 6)], D(2020, 6, 1), "6"),
        ([("D1", "C2", D(2020, 3, 1), 6)], D(2020, 6, 1), "onbekend"),  # someone else's
        ([("D1", "C1", D(2020, 3, 1), "6.0")], D(2020, 6, 1), "6"),  # a number written as decimal
    ],
)
def test_ladder_step_latest_diagnosis_on_or_before(tmp_path, diagnoses, day, step):
    path = folder(
        tmp_path,
        [("B1", "C1", "pw", D(2020, 1, 1), None, "")],
        clients=[("C1", D(1980, 1, 1), ""), ("C2", D(1980, 1, 1), "")],
        diagnoses=diagnoses,
    )
    ladder = ref.stock(path, as_of=day)["by_ladder_step"]
    assert ladder == {s: int(s == step) for s in ref.LADDER_STEPS}


def test_stock_structure_is_the_json_contract(tmp_path):
    path = folder(tmp_path, [("B1", "C1", "pw", D(2020, 1, 1), None, "")])
    assert ref.stock(path, as_of=D(2021, 1, 1), regulations=["pw", "ioaw", "pw"]) == {
        "as_of": "2021-01-01",
        "regulations": ["pw", "ioaw"],
        "total": 1,
        "by_age_band": {"<=20": 0, "21-30": 0, "31-40": 1, "41-50": 0, "51-60": 0, ">=61": 0},
        "by_duration_band": {"<1": 0, "1-3": 1, "3-5": 0, ">=5": 0},
        "by_household": {
            "alleenstaand": 0,
            "alleenstaande_ouder": 0,
            "gehuwd_samenwonend": 0,
            "overig": 0,
            "onbekend": 1,
        },
        "by_ladder_step": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "6": 0, "onbekend": 1},
    }


# --- reading the files ----------------------------------------------------------------------


def test_bom_crlf_extra_columns_header_case_quotes_and_leading_zeros(tmp_path):
    out = tmp_path / "messy"
    out.mkdir()
    write_csv(
        out / "clients.csv",
        [" Client_ID ", "extra", "BIRTH_DATE", "household"],
        [["007", "x,y", "2000-02-29", " alleenstaand "], ["7", "", "1950-01-01", ""]],
        bom=True,
        crlf=True,
    )
    (out / "benefits.csv").write_bytes(
        b"\xef\xbb\xbfbenefit_id,client_id,regulation,start_date,end_date,end_reason,note\r\n"
        b'"B1","007",pw,2020-01-01,,,"a ""quoted""\r\nnote"\r\n'
        b"\r\n"  # a blank line
        b"B2,7,pw, 2020-01-01 ,2020-02-01,werk\r\n"  # a short row, padded cells
        b"B3,7,ioaw,2020-03-01,,,,,surplus,cells\r\n"
    )
    result = ref.stock(out, as_of=D(2020, 1, 15))
    assert result["total"] == 2  # "007" and "7" are different clients
    assert result["by_household"]["alleenstaand"] == 1
    assert result["by_age_band"]["<=20"] == 1
    assert result["by_age_band"][">=61"] == 1
    assert ref.stock(out, as_of=D(2020, 3, 1), regulations=["ioaw"])["total"] == 1
    assert flow_totals(out, D(2020, 1, 1), D(2021, 1, 1)) == (2, {"werk": 1})


def test_optional_files_and_columns_may_be_absent(tmp_path):
    out = tmp_path / "minimal"
    out.mkdir()
    write_csv(out / "clients.csv", ["client_id", "birth_date"], [["C1", "1980-01-01"]])
    write_csv(out / "benefits.csv", ["benefit_id", "client_id", "start_date"], [["B1", "C1", "2020-01-01"]])
    # No regulation column: the benefit belongs to no regulation and counts nowhere.
    assert ref.stock(out, as_of=D(2020, 6, 1), regulations=list(ref.REGULATIONS))["total"] == 0
    assert ref.stock(out, as_of=D(2020, 6, 1))["by_ladder_step"]["onbekend"] == 0


def test_header_only_files(tmp_path):
    path = folder(tmp_path, [], clients=[], diagnoses=[])
    assert ref.stock(path, as_of=D(2020, 1, 1))["total"] == 0
    result = ref.flows(path, date_from=D(2020, 1, 1), date_to=D(2021, 1, 1), period="year")
    assert result["periods"][0]["inflow"] == 0
    assert result["outflow_to_work_rate"] == {"2020": None}  # an empty stock has no rate


# --- spells ---------------------------------------------------------------------------------

PW_THEN_IOAW = [
    ("B1", "C1", "pw", D(2020, 1, 1), D(2020, 3, 1), "werk"),
    ("B2", "C1", "ioaw", D(2020, 3, 1), D(2020, 9, 1), "aow"),  # touches B1
]


@pytest.mark.parametrize(
    ("benefits", "regulations", "inflow", "outflow"),
    [
        # touching benefits of the same regulation are one spell
        (
            [
                ("B1", "C1", "pw", D(2020, 1, 1), D(2020, 3, 1), "werk"),
                ("B2", "C1", "pw", D(2020, 3, 1), D(2020, 9, 1), "verhuizing"),
            ],
            ("pw",),
            1,
            {"verhuizing": 1},
        ),
        # one day between them: two spells
        (
            [
                ("B1", "C1", "pw", D(2020, 1, 1), D(2020, 3, 1), "werk"),
                ("B2", "C1", "pw", D(2020, 3, 2), D(2020, 9, 1), "verhuizing"),
            ],
            ("pw",),
            2,
            {"werk": 1, "verhuizing": 1},
        ),
        # a spell across regulations exists only when both are selected
        (PW_THEN_IOAW, ("pw",), 1, {"werk": 1}),
        (PW_THEN_IOAW, ("ioaw",), 1, {"aow": 1}),
        (PW_THEN_IOAW, ("pw", "ioaw"), 1, {"aow": 1}),
        # overlapping, the reason of the benefit that ends last wins
        (
            [
                ("B1", "C1", "pw", D(2020, 1, 1), D(2020, 12, 1), "onderwijs"),
                ("B2", "C1", "pw", D(2020, 2, 1), D(2020, 6, 1), "werk"),
            ],
            ("pw",),
            1,
            {"onderwijs": 1},
        ),
        # a short benefit inside a long one, then one touching the long one's end
        (
            [
                ("B1", "C1", "pw", D(2020, 1, 1), D(2020, 6, 1), "overig"),
                ("B2", "C1", "pw", D(2020, 2, 1), D(2020, 3, 1), "werk"),
                ("B3", "C1", "pw", D(2020, 6, 1), D(2020, 7, 1), "detentie"),
            ],
            ("pw",),
            1,
            {"detentie": 1},
        ),
        # equal ends: the latest start wins, before the highest id
        (
            [
                ("B2", "C1", "pw", D(2020, 1, 1), D(2020, 6, 1), "werk"),
                ("B1", "C1", "pw", D(2020, 3, 1), D(2020, 6, 1), "onderwijs"),
            ],
            ("pw",),
            1,
            {"onderwijs": 1},
        ),
        # equal ends and starts: the highest id as (length, text), so B10 > B9
        (
            [
                ("B9", "C1", "pw", D(2020, 1, 1), D(2020, 6, 1), "werk"),
                ("B10", "C1", "pw", D(2020, 1, 1), D(2020, 6, 1), "partner_inkomen"),
            ],
            ("pw",),
            1,
            {"partner_inkomen": 1},
        ),
        # an ongoing member keeps the spell open: no outflow
        (
            [
                ("B1", "C1", "pw", D(2020, 1, 1), None, ""),
                ("B2", "C1", "pw", D(2020, 2, 1), D(2020, 6, 1), "werk"),
            ],
            ("pw",),
            1,
            {},
        ),
        # a benefit starting before an earlier-listed one: order in the file does not matter
        (
            [
                ("B1", "C1", "pw", D(2020, 5, 1), D(2020, 8, 1), "werk"),
                ("B2", "C1", "pw", D(2020, 1, 1), D(2020, 5, 1), "overig"),
                ("B3", "C2", "pw", D(2020, 1, 1), D(2020, 4, 30), "overig"),
                ("B4", "C2", "pw", D(2020, 5, 1), D(2020, 8, 1), "aow"),
            ],
            ("pw",),
            3,
            {"werk": 1, "overig": 1, "aow": 1},
        ),
    ],
)
def test_spells(tmp_path, benefits, regulations, inflow, outflow):
    path = folder(tmp_path, benefits)
    assert flow_totals(path, D(2019, 1, 1), D(2022, 1, 1), regulations) == (inflow, outflow)


def test_a_new_benefit_on_the_end_day_continues_stock(tmp_path):
    path = folder(tmp_path, PW_THEN_IOAW)
    assert total(path, D(2020, 3, 1)) == 0
    assert total(path, D(2020, 3, 1), ["pw", "ioaw"]) == 1


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_from", "date_to", "period", "labels"),
    [
        (D(2015, 1, 1), D(2015, 4, 1), "month", ["2015-01", "2015-02", "2015-03"]),
        (D(2015, 1, 15), D(2015, 3, 2), "month", ["2015-01", "2015-02", "2015-03"]),
        (D(2015, 2, 1), D(2015, 2, 2), "month", ["2015-02"]),
        (D(2015, 2, 15), D(2016, 1, 1), "quarter", ["2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"]),
        (D(2015, 12, 31), D(2016, 1, 2), "quarter", ["2015-Q4", "2016-Q1"]),
        (D(2015, 6, 1), D(2017, 1, 1), "year", ["2015", "2016"]),
        (D(2015, 6, 1), D(2017, 1, 2), "year", ["2015", "2016", "2017"]),
    ],
)
def test_period_labels(tmp_path, date_from, date_to, period, labels):
    path = folder(tmp_path, [])
    result = ref.flows(path, date_from=date_from, date_to=date_to, period=period)
    assert [p["period"] for p in result["periods"]] == labels
    for p in result["periods"]:
        assert set(p["outflow"]) == set(ref.END_REASONS)
        assert p["outflow_total"] == 0


def test_cut_periods_count_only_days_inside_the_range(tmp_path):
    benefits = [
        ("B1", "C1", "pw", D(2020, 1, 10), D(2020, 1, 20), "werk"),  # before the range
        ("B2", "C2", "pw", D(2020, 1, 20), D(2020, 2, 10), "onderwijs"),  # in on the first day
        ("B3", "C3", "pw", D(2020, 3, 29), D(2020, 3, 30), "aow"),  # out on the last day
        ("B5", "C5", "pw", D(2020, 2, 1), D(2020, 3, 31), "aow"),  # out on --to: excluded
        ("B4", "C4", "pw", D(2020, 3, 31), D(2020, 4, 1), "overig"),  # in on --to: excluded
    ]
    path = folder(tmp_path, benefits)
    result = ref.flows(path, date_from=D(2020, 1, 20), date_to=D(2020, 3, 31), period="month")
    rows = {p["period"]: (p["inflow"], p["outflow_total"]) for p in result["periods"]}
    assert rows == {"2020-01": (1, 1), "2020-02": (1, 1), "2020-03": (1, 1)}
    # B1 ends on 2020-01-20 (inside); its start on 01-10 is outside.
    assert result["periods"][0]["outflow"]["werk"] == 1
    assert result["outflow_to_work_rate"] == {}
    quarter = ref.flows(path, date_from=D(2020, 1, 20), date_to=D(2020, 3, 31), period="quarter")
    assert [(p["period"], p["inflow"], p["outflow_total"]) for p in quarter["periods"]] == [("2020-Q1", 3, 3)]


@pytest.mark.parametrize(
    ("date_from", "date_to", "years"),
    [
        (D(2019, 1, 1), D(2020, 1, 1), ["2019"]),
        (D(2019, 1, 2), D(2021, 1, 1), ["2020"]),
        (D(2019, 1, 1), D(2020, 12, 31), ["2019"]),
        (D(2019, 6, 1), D(2020, 6, 1), []),
        (D(2018, 1, 1), D(2021, 1, 1), ["2018", "2019", "2020"]),
    ],
)
def test_rate_only_for_whole_years(tmp_path, date_from, date_to, years):
    path = folder(tmp_path, [("B1", "C1", "pw", D(2010, 1, 1), None, "")])
    for period in ref.PERIODS:
        result = ref.flows(path, date_from=date_from, date_to=date_to, period=period)
        assert list(result["outflow_to_work_rate"]) == years


def test_rate_is_outflow_to_work_over_the_average_of_twelve_month_starts(tmp_path):
    benefits = [
        ("B1", "C1", "pw", D(2019, 1, 1), D(2020, 3, 1), "werk"),  # in stock Jan + Feb 2020
        ("B2", "C2", "pw", D(2019, 1, 1), None, ""),  # all 12 month starts
        ("B3", "C3", "pw", D(2020, 1, 2), D(2020, 12, 1), "werk"),  # Feb .. Nov: 10
        ("B4", "C4", "pw", D(2020, 6, 1), D(2021, 1, 1), "onderwijs"),  # Jun .. Dec: 7
    ]
    path = folder(tmp_path, benefits)
    result = ref.flows(path, date_from=D(2020, 1, 1), date_to=D(2021, 1, 1), period="quarter")
    assert result["outflow_to_work_rate"] == {"2020": 2 / ((2 + 12 + 10 + 7) / 12)}
    assert isinstance(result["outflow_to_work_rate"]["2020"], float)


def test_flows_structure_and_errors(tmp_path):
    path = folder(tmp_path, [("B1", "C1", "pw", D(2020, 1, 1), D(2020, 2, 1), "werk")])
    result = ref.flows(path, date_from=D(2020, 1, 1), date_to=D(2020, 2, 1), period="month")
    assert result == {
        "periods": [
            {
                "period": "2020-01",
                "inflow": 1,
                "outflow": dict.fromkeys(ref.END_REASONS, 0),
                "outflow_total": 0,
            }
        ],
        "outflow_to_work_rate": {},
    }
    with pytest.raises(ValueError):
        ref.flows(path, date_from=D(2020, 1, 1), date_to=D(2020, 1, 1), period="month")
    with pytest.raises(ValueError):
        ref.flows(path, date_from=D(2020, 1, 1), date_to=D(2020, 2, 1), period="week")
    with pytest.raises(ValueError):
        ref.stock(path, as_of=D(2020, 1, 1), regulations=["ww"])


# --- identities and an independent oracle on random histories -------------------------------


def random_history(seed: int) -> tuple[dict, list[dict], list[dict]]:
    rng = random.Random(seed)
    base = D(2016, 1, 1)
    clients, benefits, diagnoses = {}, [], []
    for c in range(rng.randint(3, 12)):
        client_id = f"C{c}"
        clients[client_id] = {
            "birth_date": base - timedelta(days=rng.randint(16 * 365, 70 * 365)),
            "household": rng.choice(["", "alleenstaand", "overig"]),
        }
        cursor = rng.randint(0, 300)
        for _ in range(rng.randint(0, 5)):
            start = max(0, cursor + rng.choice([0, 1, rng.randint(-60, 120)]))
            length = rng.randint(0, 500)
            end = None if rng.random() < 0.2 else base + timedelta(days=start + length)
            benefits.append(
                {
                    "benefit_id": f"B{len(benefits)}",
                    "client_id": client_id,
                    "regulation": rng.choice(["pw", "pw", "ioaw", "bbz"]),
                    "start_date": base + timedelta(days=start),
                    "end_date": end,
                    "end_reason": rng.choice(["werk", "onderwijs", "overig", "aow"]) if end else "",
                }
            )
            cursor = start + length
        for _ in range(rng.randint(0, 3)):
            diagnoses.append(
                {
                    "diagnosis_id": f"D{len(diagnoses)}",
                    "client_id": client_id,
                    "date": base + timedelta(days=rng.randint(0, 4 * 366)),
                    "ladder_step": rng.choice([None, 1, 2, 3, 4, 5, 6]),
                }
            )
    return clients, benefits, diagnoses


def write_history(path: Path, clients, benefits, diagnoses) -> Path:
    path.mkdir()
    write_csv(
        path / "clients.csv",
        CLIENT_HEADER,
        [[cid, c["birth_date"], c["household"]] for cid, c in clients.items()],
    )
    write_csv(path / "benefits.csv", BENEFIT_HEADER, [[b[h] for h in BENEFIT_HEADER] for b in benefits])
    write_csv(path / "diagnoses.csv", DIAGNOSIS_HEADER, [[d[h] for h in DIAGNOSIS_HEADER] for d in diagnoses])
    return path


SEEDS = range(5)
WINDOWS = [
    (D(2016, 1, 1), D(2017, 1, 1)),
    (D(2016, 3, 15), D(2018, 2, 28)),
    (D(2017, 2, 28), D(2017, 3, 1)),
    (D(2016, 2, 29), D(2020, 1, 1)),
]


@pytest.mark.parametrize("seed", SEEDS)
def test_stock_identity_over_ranges(tmp_path, seed):
    path = write_history(tmp_path / "h", *random_history(seed))
    for regulations in (("pw",), ("pw", "ioaw", "ioaz", "bbz")):
        for t1, t2 in WINDOWS:
            inflow, outflow = flow_totals(path, t1, t2, regulations)
            before = total(path, t1 - timedelta(days=1), regulations)
            after = total(path, t2 - timedelta(days=1), regulations)
            assert after == before + inflow - sum(outflow.values()), (regulations, t1, t2)


@pytest.mark.parametrize("seed", SEEDS)
def test_agrees_with_the_naive_oracle(tmp_path, seed):
    clients, benefits, diagnoses = random_history(seed)
    path = write_history(tmp_path / "h", clients, benefits, diagnoses)
    for regulations in (("pw",), ("pw", "ioaw", "bbz")):
        for day in (D(2016, 1, 1), D(2016, 2, 29), D(2017, 3, 1), D(2018, 7, 15), D(2019, 12, 31)):
            expected = oracle.stock(clients, benefits, diagnoses, day, regulations)
            got = ref.stock(path, as_of=day, regulations=regulations)
            assert got["total"] == expected["total"]
            for key in ("by_age_band", "by_duration_band", "by_household", "by_ladder_step"):
                assert {k: v for k, v in got[key].items() if v} == expected[key], (key, day)
        for t1, t2 in WINDOWS:
            assert flow_totals(path, t1, t2, regulations) == tuple(
                oracle.flows(benefits, t1, t2, regulations).values()
            )
