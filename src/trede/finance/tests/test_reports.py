"""The version-2 reports against the plain-Python reference over the same CSV files."""

import itertools
import json
import string
import sys
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.finance import reference
from trede.finance.selectors import RUN_RATE_DAYS, budget_report_json
from trede.instruments.reporting import ReportError, instrument_report_json
from trede.interchange.services import import_folder
from trede.interchange.tests.test_cli import _env, trede

pytestmark = pytest.mark.django_db

CLIENTS = [{"client_id": "C1", "birth_date": "1980-01-01"}]
INSTRUMENTS = [{"instrument_code": c, "price_eur": "1000"} for c in ("10", "9", "JC")]
PROVIDERS = [{"provider_id": p} for p in ("P10", "P9")]
BENEFITS = [{"benefit_id": "B1", "client_id": "C1", "regulation": "pw", "start_date": "2015-01-01"}]


def _t(
    tid, instrument="JC", provider="P9", ref="2020-01-10", start="", end="", result="", cost="", planned=""
):
    return {
        "trajectory_id": tid,
        "client_id": "C1",
        "instrument_code": instrument,
        "provider_id": provider,
        "referral_date": ref,
        "start_date": start,
        "planned_end_date": planned,
        "end_date": end,
        "result": result,
        "cost_eur": cost,
    }


def _p(
    pid,
    amount,
    day="2020-03-01",
    trajectory="",
    kind="traject",
    funding="reintegratiebudget",
    line="trajecten",
):
    return {
        "payment_id": pid,
        "client_id": "C1",
        "date": day,
        "amount_eur": amount,
        "kind": kind,
        "funding": funding,
        "line": line,
        "trajectory_id": trajectory,
    }


def folder_of(interchange_folder, trajectories=(), payments=(), budgets=(), name="export"):
    files = {
        "clients.csv": CLIENTS,
        "benefits.csv": BENEFITS,
        "instruments.csv": INSTRUMENTS,
        "providers.csv": PROVIDERS,
        "trajectories.csv": list(trajectories),
        "payments.csv": list(payments),
        "budgets.csv": list(budgets),
    }
    return interchange_folder({k: v for k, v in files.items() if v}, name)


def test_instrument_report_edge_cases(interchange_folder):
    trajectories = [
        # ended in range with payments (and a recovery): cost from the payments, not cost_eur
        _t("T1", "JC", "P9", "2019-12-01", "2019-12-15", "2020-02-01", "niet_geslaagd", "5000"),
        # no payments: its cost_eur
        _t("T2", "JC", "P10", "2020-01-05", "2020-01-20", "2020-06-01", "geslaagd", "1234.565"),
        _t("T3", "JC", "P9", "2020-02-01"),  # no-show
        _t("T4", "10", "P9", "2020-03-01", "2020-03-02"),
        _t("T5", "9", "P9", "2020-03-01", "2020-03-02", "2021-01-01", "geslaagd", "700"),  # ends after range
        _t("T6", "9", "P9", "2018-01-01", "2018-02-01", "2018-06-01", "geslaagd", "700"),  # outside
    ]
    payments = [_p("Y1", "900", trajectory="T1"), _p("Y2", "-250.10", trajectory="T1")]
    folder = folder_of(interchange_folder, trajectories, payments)
    try:
        import_folder(folder)
    except Exception as exc:
        raise AssertionError([str(p) for p in exc.problems]) from exc
    result = instrument_report_json(date(2020, 1, 1), date(2021, 1, 1), "instrument")
    assert result == reference.instrument_report(folder, "2020-01-01", "2021-01-01", "instrument")
    rows = {r["instrument_code"]: r for r in result["rows"]}
    assert [r["instrument_code"] for r in result["rows"]] == ["10", "9", "JC"]  # ids as text
    jc = rows["JC"]
    assert (jc["referrals"], jc["no_shows"], jc["starts"], jc["ended"], jc["successes"]) == (2, 1, 1, 2, 1)
    assert jc["no_show_rate"] == 0.5 and jc["success_rate"] == 0.5
    assert jc["cost_eur"] == 1884.47  # 900 − 250.10 for T1, cost_eur of T2 rounded
    assert rows["10"]["success_rate"] is None and rows["10"]["cost_per_success_eur"] is None
    assert rows["10"]["no_show_rate"] == 0.0 and rows["9"]["ended"] == 0
    pairs = instrument_report_json(date(2020, 1, 1), date(2021, 1, 1), "instrument_provider")["rows"]
    assert [(r["instrument_code"], r["provider_id"]) for r in pairs] == [
        ("10", "P9"),
        ("9", "P9"),
        ("JC", "P10"),
        ("JC", "P9"),
    ]
    by_provider = instrument_report_json(date(2020, 1, 1), date(2021, 1, 1), "provider")["rows"]
    assert [(r["instrument_code"], r["provider_id"]) for r in by_provider] == [(None, "P10"), (None, "P9")]
    # A range that cuts: only T1's end and T2's referral and start fall in January.
    january = instrument_report_json(date(2020, 1, 1), date(2020, 2, 1), "instrument")
    assert january == reference.instrument_report(folder, "2020-01-01", "2020-02-01", "instrument")
    assert january["rows"][0]["ended"] == 0 and january["rows"][0]["referrals"] == 1
    assert instrument_report_json(date(2030, 1, 1), date(2031, 1, 1))["rows"] == []
    with pytest.raises(ReportError):
        instrument_report_json(date(2020, 1, 1), date(2020, 1, 1))


def test_budget_report_lines_spent_and_by_funding(interchange_folder):
    budgets = [
        {
            "budget_id": "BU1",
            "year": "2020",
            "line": "trajecten",
            "funding": "reintegratiebudget",
            "amount_eur": "10000",
        },
        {
            "budget_id": "BU2",
            "year": "2020",
            "line": "jobcoaching",
            "funding": "reintegratiebudget",
            "amount_eur": "500",
        },
        {
            "budget_id": "BU3",
            "year": "2021",
            "line": "trajecten",
            "funding": "reintegratiebudget",
            "amount_eur": "9",
        },
    ]
    payments = [
        _p("Y1", "1000", "2020-02-01"),
        _p("Y2", "-100", "2020-03-01"),
        _p("Y3", "800", "2020-07-01"),  # on or after as_of: not spent
        _p("Y4", "1200", "2020-02-01", kind="uitkering", funding="buig", line=""),  # no line: by_funding only
        _p("Y5", "300", "2019-12-31", line="werkpremies"),  # other year
    ]
    folder = folder_of(interchange_folder, payments=payments, budgets=budgets)
    import_folder(folder)
    result = budget_report_json(2020, date(2020, 7, 1))
    expected = reference.budget_spent(folder, 2020, "2020-07-01")
    assert [
        {k: r[k] for k in ("line", "funding", "budget_eur", "spent_eur")} for r in result["lines"]
    ] == expected["lines"]
    assert {
        f: {k: v[k] for k in ("budget_eur", "spent_eur")} for f, v in result["by_funding"].items()
    } == expected["by_funding"]
    assert [r["line"] for r in result["lines"]] == ["jobcoaching", "trajecten"]
    assert result["by_funding"]["buig"]["spent_eur"] == 1200.0
    assert result["lines"][1]["spent_eur"] == 900.0
    # recurring run-rate: 1200 of uitkering in the 91 days before 2020-04-01 → the rest of the year
    april = budget_report_json(2020, date(2020, 4, 1))
    days_left = (date(2021, 1, 1) - date(2020, 4, 1)).days
    assert april["by_funding"]["buig"]["forecast_eur"] == round(1200 + 1200 * days_left / RUN_RATE_DAYS, 2)
    # a year that ended: forecast is what was spent
    done = budget_report_json(2020, date(2022, 1, 1))
    assert all(r["forecast_eur"] == r["spent_eur"] and r["committed_eur"] == 0 for r in done["lines"])


def test_committed_is_the_unpaid_cost_of_running_trajectories_spread_to_the_planned_end(interchange_folder):
    trajectories = [
        _t("T1", ref="2020-01-01", start="2020-01-01", planned="2021-01-01", cost="3660"),
        _t("T2", ref="2020-01-01", start="2020-01-01", planned="2020-12-01", cost="100"),  # fully paid
    ]
    payments = [
        _p("Y1", "1000", "2020-02-01", trajectory="T1"),
        _p("Y2", "150", "2020-02-01", trajectory="T2"),
    ]
    import_folder(folder_of(interchange_folder, trajectories, payments))
    line = budget_report_json(2020, date(2020, 7, 1))["lines"][0]
    assert line["committed_eur"] == 2660.0  # all of T1's remaining run falls in 2020
    assert line["forecast_eur"] == 1150.0 + 2660.0
    # planned end in the next year: only the share of the remaining days inside 2020
    later = budget_report_json(2020, date(2020, 11, 1))["lines"][0]
    assert later["committed_eur"] == 2660.0  # T1 still ends on 2021-01-01


EXAMPLES = itertools.count()
DAY0 = date(2019, 1, 1)
days = st.integers(min_value=0, max_value=3 * 365).map(lambda n: DAY0 + timedelta(days=n))
ids = st.text(string.digits, min_size=1, max_size=2)


@st.composite
def worlds(draw):
    trajectories, payments = [], []
    for n in range(draw(st.integers(0, 12))):
        ref = draw(days)
        start = draw(st.none() | st.integers(0, 60).map(lambda k, r=ref: r + timedelta(days=k)))
        end = (
            None
            if start is None
            else draw(st.none() | st.integers(0, 400).map(lambda k, s=start: s + timedelta(days=k)))
        )
        trajectories.append(
            _t(
                f"T{n}",
                instrument=draw(st.sampled_from(["10", "9", "JC"])),
                provider=draw(st.sampled_from(["P10", "P9"])),
                ref=ref.isoformat(),
                start=start.isoformat() if start else "",
                end=end.isoformat() if end else "",
                result=draw(
                    st.sampled_from(["geslaagd", "niet_geslaagd", "voortijdig_gestopt", "lopend", ""])
                ),
                cost=draw(st.sampled_from(["", "0", "1500", "99.99"])),
            )
        )
    for n in range(draw(st.integers(0, 15))):
        payments.append(
            _p(
                f"Y{n}",
                str(draw(st.integers(-50000, 200000)) / 100),
                draw(days).isoformat(),
                trajectory=draw(st.sampled_from(["", *[t["trajectory_id"] for t in trajectories]])),
                kind=draw(st.sampled_from(["traject", "uitkering", "loonkostensubsidie", "premie"])),
                funding=draw(st.sampled_from(["buig", "reintegratiebudget", "overig"])),
                line=draw(st.sampled_from(["", "trajecten", "werkpremies", "10", "9"])),
            )
        )
    return trajectories, payments


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(world=worlds(), a=days, b=days, by=st.sampled_from(["instrument", "provider", "instrument_provider"]))
def test_reports_equal_the_reference_for_random_data(interchange_folder, world, a, b, by):
    from trede.finance.models import Payment
    from trede.instruments.models import Trajectory

    Payment.objects.all().delete()
    Trajectory.objects.all().delete()
    trajectories, payments = world
    # A fresh folder per example: an empty file is left out, so an old one must not remain.
    folder = folder_of(interchange_folder, trajectories, payments, name=f"h{next(EXAMPLES)}")
    import_folder(folder)
    lo, hi = min(a, b), max(a, b) + timedelta(days=1)
    result = instrument_report_json(lo, hi, by)
    assert result == reference.instrument_report(folder, lo.isoformat(), hi.isoformat(), by)
    for row in result["rows"]:
        for rate in (row["no_show_rate"], row["success_rate"]):
            assert rate is None or 0 <= rate <= 1
    report = budget_report_json(a.year, b)
    ref = reference.budget_spent(folder, a.year, b.isoformat())
    assert [
        {k: r[k] for k in ("line", "funding", "budget_eur", "spent_eur")} for r in report["lines"]
    ] == ref["lines"]
    assert {f: v["spent_eur"] for f, v in report["by_funding"].items()} == {
        f: v["spent_eur"] for f, v in ref["by_funding"].items()
    }


def test_cli_json_and_usage_errors(tmp_path, interchange_folder):
    from trede.interchange.tests.test_robustness import cli_database  # noqa: F401

    env = _env(tmp_path, tmp_path / "db.sqlite3")
    assert trede("migrate", "-v", "0", env=env, cwd=tmp_path).returncode == 0
    ok = trede(
        "instruments", "report", "--from", "2020-01-01", "--to", "2021-01-01", "--json", env=env, cwd=tmp_path
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"from": "2020-01-01", "to": "2021-01-01", "by": "instrument", "rows": []}
    budget = trede(
        "budget", "report", "--year", "2020", "--as-of", "2020-06-01", "--json", env=env, cwd=tmp_path
    )
    assert json.loads(budget.stdout) == {"year": 2020, "as_of": "2020-06-01", "lines": [], "by_funding": {}}
    for args in (
        ("instruments", "report", "--from", "2020-02-30", "--to", "2021-01-01", "--json"),
        ("instruments", "report", "--from", "2021-01-01", "--to", "2020-01-01", "--json"),
        ("instruments", "report", "--from", "2020-01-01", "--to", "2021-01-01", "--by", "x", "--json"),
        ("budget", "report", "--year", "twintig", "--json"),
        ("budget", "report", "--json"),
    ):
        bad = trede(*args, env=env, cwd=tmp_path)
        assert bad.returncode == 2, (args, bad.stderr)
        assert bad.stdout == ""
    assert (
        "geen bestaande datum"
        in trede(
            "instruments", "report", "--from", "2020-02-30", "--to", "2021-01-01", env=env, cwd=tmp_path
        ).stderr
    )
    assert sys.executable
