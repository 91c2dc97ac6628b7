"""The person-month panel: risk set, treated and controls, outcomes, covariates (hand-checked)."""

import numpy as np
import pandas as pd
import pytest

from trede.effects.frames import normalise_frames
from trede.effects.panel import _completed_years, build_panel


def _day(text: str) -> int:
    return int(np.datetime64(text, "D").astype(np.int64))


CLIENTS = pd.DataFrame(
    [
        # client_id, birth_date, statushouder, dgr
        ("A", "1992-02-29", "0", "0"),
        ("B", "1960-05-01", "1", ""),
        ("C", "1985-01-01", "", "0"),
        ("D", "1970-07-15", "0", "1"),
        ("E", "2001-01-01", "0", "0"),
        ("F", "1950-03-01", "0", "0"),
        ("G", "1999-12-31", "0", "0"),
        ("H", "1980-01-01", "0", "0"),
    ],
    columns=["client_id", "birth_date", "statushouder", "dgr"],
)
BENEFITS = pd.DataFrame(
    [
        ("b1", "A", "pw", "2019-06-01", "2020-03-15", "werk"),
        ("b2", "B", "pw", "2019-01-01", "2020-02-01", "overig"),  # touches b3: one spell
        ("b3", "B", "pw", "2020-02-01", "2020-05-01", "werk"),
        ("b4", "C", "pw", "2018-01-01", "", ""),
        ("b5", "D", "pw", "2017-01-01", "", ""),
        ("b6", "E", "pw", "2020-02-15", "", ""),
        ("b7", "F", "pw", "2015-01-01", "2016-01-01", "werk"),
        ("b8", "F", "pw", "2019-05-01", "", ""),
        ("b9", "G", "pw", "2019-01-01", "2020-02-10", "werk"),
        ("b10", "G", "pw", "2020-06-01", "", ""),  # back within six months: not sustained
        ("b11", "H", "ioaw", "2019-01-01", "", ""),  # another regulation: not in the pw panel
    ],
    columns=["benefit_id", "client_id", "regulation", "start_date", "end_date", "end_reason"],
)
TRAJECTORIES = pd.DataFrame(
    [
        ("t1", "A", "X", "2020-02-10", "2020-05-01", ""),
        ("t2", "B", "X", "", "", ""),  # a no-show never runs and is no start
        ("t3", "C", "Y", "2019-12-01", "2020-02-15", ""),  # runs until its planned end
        ("t4", "D", "Y", "2019-11-01", "2020-06-01", "2019-12-20"),  # the actual end wins
        ("t5", "E", "X", "2020-02-20", "2020-04-15", ""),
    ],
    columns=["trajectory_id", "client_id", "instrument_code", "start_date", "planned_end_date", "end_date"],
)
DIAGNOSES = pd.DataFrame(
    [
        ("1", "F", "2019-05-10", "30", "2", ""),
        ("5", "F", "2020-02-01", "", "4", ""),
        ("10", "F", "2020-02-01", "", "5", "60"),  # same day, higher id: this one counts
    ],
    columns=["diagnosis_id", "client_id", "date", "months_to_work", "ladder_step", "wage_value_pct"],
)


def _frames():
    return {
        "clients": CLIENTS,
        "benefits": BENEFITS,
        "trajectories": TRAJECTORIES,
        "diagnoses": DIAGNOSES,
        "placements": pd.DataFrame(
            [("p1", "D", "2020-03-01", "")], columns=["placement_id", "client_id", "start_date", "end_date"]
        ),
    }


@pytest.fixture(scope="module")
def panel():
    return build_panel(_frames(), horizon=3, until="2020-07-01", start="2020-01-01")


def _rows(panel):
    months = panel.rows["month"].map(lambda m: str(np.datetime64(int(m), "M")))
    return panel.rows.assign(ym=months).set_index(["client_id", "ym"])


def test_start_months_run_until_the_horizon_fits(panel):
    assert panel.start_months == ["2020-01", "2020-02", "2020-03", "2020-04"]
    default = build_panel(_frames(), horizon=3, until="2020-07-01")
    assert default.start_months[0] == "2019-11"  # month of the earliest trajectory start


def test_risk_set_is_on_benefit_on_the_first_day(panel):
    rows = _rows(panel)
    present = set(rows.index)
    assert {("A", "2020-01"), ("A", "2020-02"), ("A", "2020-03")} <= present
    assert ("A", "2020-04") not in present  # left on 15 March
    assert ("E", "2020-02") not in present and ("E", "2020-03") in present  # started 15 Feb
    assert ("G", "2020-02") in present and ("G", "2020-03") not in present
    assert not any(client == "H" for client, _ in present)  # ioaw only
    assert len(rows) == len(set(rows.index))


def test_treated_and_controls(panel):
    rows = _rows(panel)
    treated, control = panel.arms("X")
    t = pd.Series(treated, index=rows.index)
    c = pd.Series(control, index=rows.index)
    assert list(t[t].index) == [("A", "2020-02")]
    assert c[("A", "2020-01")]  # may start later: a control before the start
    assert not c[("A", "2020-03")]  # X runs on 1 March and started earlier
    assert c[("B", "2020-01")] and c[("B", "2020-04")]  # a no-show neither runs nor starts
    assert not c[("C", "2020-01")] and not c[("C", "2020-02")]  # Y runs until planned end 15 Feb
    assert c[("C", "2020-03")]
    assert c[("D", "2020-01")]  # Y ended on 20 Dec although planned until June
    assert not c[("E", "2020-03")]  # started X on 20 Feb (while not yet on benefit on 1 Feb)
    assert not t[("E", "2020-03")]
    treated_y, control_y = panel.arms("Y")
    assert not treated_y.any()  # Y's starts lie before the first start month
    assert not pd.Series(control_y, index=rows.index)[("D", "2020-01")]  # D started Y before


def test_outflow_to_work_within_horizon(panel):
    out = _rows(panel)["outcome"]
    assert out[("A", "2020-01")] == 1 and out[("A", "2020-02")] == 1
    # B's spell is b2+b3 (touching), ending 1 May with reason werk (the benefit ending last).
    assert out[("B", "2020-01")] == 0  # 1 May is not before 1 April
    assert out[("B", "2020-02")] == 0  # exactly the first day of m+H does not count
    assert out[("B", "2020-03")] == 1
    assert out[("C", "2020-01")] == 0
    assert out[("G", "2020-01")] == 1


def test_sustained_outflow_excludes_quick_returns():
    panel = build_panel(_frames(), horizon=3, until="2020-12-01", start="2020-01-01", outcome="werk_duurzaam")
    out = _rows(panel)["outcome"]
    assert panel.start_months[-1] == "2020-03"  # m + H + 6 months must fit before `until`
    assert out[("A", "2020-01")] == 1
    assert out[("G", "2020-01")] == 0  # back on benefit on 1 June, within six months
    assert _rows(panel)["werk"][("G", "2020-01")] == 1


def test_covariates_on_the_first_day(panel):
    rows = _rows(panel)
    assert rows.loc[("A", "2020-03"), "age"] == 28
    assert rows.loc[("B", "2020-01"), "duration_months"] == 12
    assert rows.loc[("B", "2020-01"), "duration_band"] == "1-3"
    assert rows.loc[("B", "2020-01"), "prior_spells"] == 0
    assert rows.loc[("F", "2020-01"), "prior_spells"] == 1
    assert rows.loc[("F", "2020-01"), "ladder_step"] == "2"
    assert rows.loc[("F", "2020-02"), "ladder_step"] == "5"  # id 10 beats id 5 on the same day
    assert rows.loc[("F", "2020-02"), "months_to_work"] == 30  # latest known value
    assert rows.loc[("F", "2020-02"), "wage_value_pct"] == 60
    assert np.isnan(rows.loc[("F", "2020-01"), "wage_value_pct"])
    assert rows.loc[("A", "2020-01"), "ladder_step"] == "onbekend"
    assert rows.loc[("D", "2020-01"), "prior_trajectories"] == 1
    assert rows.loc[("D", "2020-03"), "placed"] == 1 and rows.loc[("D", "2020-02"), "placed"] == 0
    assert rows.loc[("D", "2020-03"), "client_group"] == "geplaatst"
    assert rows.loc[("F", "2020-01"), "client_group"] == "zorg"  # 30 months, ladder 2, no DGR
    assert rows.loc[("F", "2020-02"), "client_group"] == "leren_en_ontwikkelen"  # ladder 5
    assert rows.loc[("B", "2020-01"), "statushouder"] == "1"
    assert rows.loc[("C", "2020-03"), "statushouder"] == "onbekend"
    assert rows.loc[("F", "2020-01"), "age_band"] == ">=61"
    assert set(panel.rows["age_band"]) <= {"<=20", "21-30", "31-40", "41-50", "51-60", ">=61"}
    matrix, names = panel.design()
    assert matrix.shape == (len(panel.rows), len(names))
    assert np.isfinite(matrix).all()
    assert "client_group=zorg" in names and "age_bin=>=64" in names  # F is 69
    sub, sub_names = panel.design(np.array([0, 3]))
    assert sub_names == names and np.array_equal(sub, matrix[[0, 3]])


def test_completed_years_counts_leap_day_births_on_first_of_march():
    born = np.array([_day("2000-02-29")] * 3)
    on = np.array([_day("2021-02-28"), _day("2021-03-01"), _day("2024-02-29")])
    assert list(_completed_years(born, on)) == [20, 21, 24]


def test_frames_from_database_types_read_like_csv():
    import datetime
    from decimal import Decimal

    db_like = {
        "clients": pd.DataFrame(
            {
                "client_id": ["A"],
                "birth_date": [datetime.date(1990, 1, 1)],
                "statushouder": [True],
                "dgr": [None],
            }
        ),
        "diagnoses": pd.DataFrame(
            {
                "diagnosis_id": ["1"],
                "client_id": ["A"],
                "date": [datetime.date(2020, 1, 1)],
                "months_to_work": [12],
                "ladder_step": [None],
                "wage_value_pct": [Decimal("55.50")],
            }
        ),
    }
    f = normalise_frames(db_like)
    assert f["clients"].loc[0, "statushouder"] == "1" and f["clients"].loc[0, "dgr"] == ""
    assert f["clients"].loc[0, "birth_date"] == pd.Timestamp("1990-01-01")
    assert f["diagnoses"].loc[0, "wage_value_pct"] == 55.5
    assert np.isnan(f["diagnoses"].loc[0, "ladder_step"])
    assert list(f["benefits"].columns) == [
        "benefit_id",
        "client_id",
        "regulation",
        "start_date",
        "end_date",
        "end_reason",
    ]


def _tie_frames(benefit_rows, diagnosis_rows=()):
    return {
        "clients": pd.DataFrame([("K", "1980-01-01", "0", "0")], columns=CLIENTS.columns),
        "benefits": pd.DataFrame(benefit_rows, columns=BENEFITS.columns),
        "trajectories": pd.DataFrame(
            [("t1", "K", "X", "2020-01-10", "2020-06-01", "")], columns=TRAJECTORIES.columns
        ),
        "diagnoses": pd.DataFrame(list(diagnosis_rows), columns=DIAGNOSES.columns),
        "placements": pd.DataFrame(columns=["placement_id", "client_id", "start_date", "end_date"]),
    }


@pytest.mark.parametrize("reverse", [False, True])
def test_equal_benefits_the_highest_id_by_length_then_text_gives_the_reason(reverse):
    """Decision 4: same start and end, so the highest id decides: B10 is higher than B9."""
    rows = [
        ("B10", "K", "pw", "2019-01-01", "2020-03-01", "werk"),
        ("B9", "K", "pw", "2019-01-01", "2020-03-01", "verhuizing"),
    ]
    panel = build_panel(
        _tie_frames(rows[::-1] if reverse else rows), horizon=3, until="2020-06-01", start="2020-01-01"
    )
    assert _rows(panel)["werk"][("K", "2020-01")] == 1


def test_two_benefits_ending_on_the_same_day_the_one_that_started_last_wins():
    rows = [
        ("B2", "K", "pw", "2019-03-01", "2020-03-01", "verhuizing"),  # higher id, started first
        ("B10", "K", "pw", "2019-06-01", "2020-03-01", "werk"),
    ]
    panel = build_panel(_tie_frames(rows), horizon=3, until="2020-06-01", start="2020-01-01")
    assert _rows(panel)["werk"][("K", "2020-01")] == 1


def test_same_day_diagnoses_the_highest_id_by_length_then_text_counts():
    """`D10` is higher than `D9` (text order alone would pick D9); numeric ids alike."""
    rows = [("B1", "K", "pw", "2019-01-01", "", "")]
    diagnoses = [
        ("D10", "K", "2019-06-01", "", "5", ""),
        ("D9", "K", "2019-06-01", "", "2", ""),
        ("007", "K", "2019-05-01", "", "3", ""),
    ]
    panel = build_panel(_tie_frames(rows, diagnoses), horizon=3, until="2020-06-01", start="2020-01-01")
    assert _rows(panel)["ladder_step"][("K", "2020-01")] == "5"
