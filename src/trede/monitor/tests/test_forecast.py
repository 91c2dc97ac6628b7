"""`trede monitor forecast` (issue 11 point 5): the flow model against an independent
reference, what was known on the origin, scenarios, the interval and the backtest."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import random
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.benefits.models import Benefit
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.clients.tests.factories import ClientFactory
from trede.monitor.forecast import flow
from trede.monitor.models import ForecastScenario
from trede.monitor.tests import oracle
from trede.monitor.tests import reference_forecast as ref

PRESET = PRESETS[DEFAULT_PRESET]["config"]["forecast"]

# A small configuration, so that the row-by-row reference stays fast under Hypothesis.
SMALL = {
    **copy.deepcopy(PRESET),
    "duration_band_edges_months": [0, 1, 3, 6],
    "hazard_window_months": 5,
    "inflow_window_months": 4,
    "simulations": 200,
    "backtest": {"max_horizon_months": 3, "origins": 3, "step_months": 2, "min_history_months": 3},
}


def forecast_json(*args) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):  # the contract's commands write to sys.stdout itself
        call_command("monitor", "forecast", *args, "--json")
    return json.loads(out.getvalue())


def flow_path(pairs, as_of: date, months: int, cfg: dict, inflow=1.0, outflow=1.0) -> np.ndarray:
    s = flow.Settings.from_config(cfg)
    known = flow.Spells.from_pairs(pairs).known_on(as_of)
    return flow.expected_path(
        flow.fit(known, as_of, s), flow.start_on(known, as_of, s), months, s, inflow=inflow, outflow=outflow
    )


# ---- the pure model against the reference ------------------------------------------------

days = st.integers(min_value=0, max_value=900).map(lambda n: date(2018, 1, 1) + timedelta(days=n))


@st.composite
def spell_lists(draw):
    pairs = []
    for _ in range(draw(st.integers(min_value=0, max_value=25))):
        start = draw(days)
        length = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=700)))
        pairs.append((start, None if length is None else start + timedelta(days=length)))
    return pairs


@settings(max_examples=60, deadline=None)
@given(pairs=spell_lists(), as_of=days, months=st.integers(min_value=1, max_value=8))
def test_expected_path_equals_the_reference(pairs, as_of, months):
    ours = flow_path(pairs, as_of, months, SMALL)
    theirs = ref.expected_path(
        ref.known_on([(s, e or ref.FAR) for s, e in pairs], as_of), as_of, months, SMALL
    )
    assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(pairs=spell_lists(), as_of=days)
def test_backtest_equals_the_reference(pairs, as_of):
    s = flow.Settings.from_config(SMALL)
    known = flow.Spells.from_pairs(pairs).known_on(as_of)
    ours = flow.run_backtest(known, as_of, 3, s)
    theirs = ref.backtest(ref.known_on([(a, e or ref.FAR) for a, e in pairs], as_of), as_of, 3, SMALL)
    assert [o.isoformat() for o in ours.origins] == theirs["origins"]
    for key in ("mape", "naive_mape"):
        if theirs[key] is None:
            assert getattr(ours, key) is None
        else:
            assert getattr(ours, key) == pytest.approx(theirs[key], rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(pairs=spell_lists(), as_of=days, inflow=st.floats(1.0, 3.0), outflow=st.floats(1.0, 3.0))
def test_more_inflow_never_lowers_and_more_outflow_never_raises_the_path(pairs, as_of, inflow, outflow):
    basis = flow_path(pairs, as_of, 6, SMALL)
    assert np.all(flow_path(pairs, as_of, 6, SMALL, inflow=inflow) >= basis - 1e-9)
    assert np.all(flow_path(pairs, as_of, 6, SMALL, outflow=outflow) <= basis + 1e-9)


def test_steady_flows_hold_the_stock():
    """A hundred arrivals a month whose stays follow an 8 % monthly exit rate, for nine
    years: the stock has settled, and the forecast must hold it."""
    stays = [min(math.ceil(math.log(1 - (i + 0.5) / 100) / math.log(0.92)), 120) for i in range(100)]
    pairs = []
    for month in range(108):
        first = flow.month_start(flow.month_index(date(2011, 1, 1)) + month)
        pairs += [(first, flow.month_start(flow.month_index(first) + stay)) for stay in stays]
    as_of = date(2019, 12, 31)
    now = flow.Spells.from_pairs(pairs).known_on(as_of).stock_on(as_of)
    path = flow_path(pairs, as_of, 36, PRESET)
    assert np.all(np.abs(path - now) / now < 0.02)


def test_a_known_future_exit_is_not_used():
    """Ends after the origin must read as open: the path is the one without those ends."""
    pairs = [
        (date(2018, 1, 1) + timedelta(days=3 * i), date(2020, 3, 1) if i % 2 else None) for i in range(200)
    ]
    as_of = date(2019, 12, 31)
    assert flow_path(pairs, as_of, 3, PRESET) == pytest.approx(
        flow_path([(s, None) for s, _ in pairs], as_of, 3, PRESET)
    )
    assert flow_path(pairs, as_of, 3, PRESET)[0] > 200  # arrivals go on, nobody has left yet


def test_simulated_interval_covers_what_the_model_itself_generates():
    """Data drawn from the model's own assumptions (constant arrivals, constant exit rate):
    the 80 % interval of the simulation should hold the simulated truth about 80 % of the
    time, over many months and draws; far below means a broken interval."""
    rng = random.Random(7)
    s = flow.Settings.from_config({**PRESET, "simulations": 500})
    covered = total = 0
    for _replicate in range(8):
        pairs = []
        for month in range(96):
            first = flow.month_start(flow.month_index(date(2012, 1, 1)) + month)
            for _ in range(sum(1 for _ in range(60) if rng.random() < 0.5)):
                stay = 1
                while rng.random() > 0.03:
                    stay += 1
                pairs.append((first, flow.month_start(flow.month_index(first) + stay)))
        all_spells = flow.Spells.from_pairs(pairs)
        as_of = date(2017, 12, 31)
        known = all_spells.known_on(as_of)
        fitted, start = flow.fit(known, as_of, s), flow.start_on(known, as_of, s)
        paths = flow.simulate(fitted, start, 24, s)
        low, high = np.quantile(paths, 0.1, axis=0), np.quantile(paths, 0.9, axis=0)
        for i in range(24):
            truth = all_spells.stock_on(flow.month_start(flow.month_index(as_of) + 1 + i))
            covered += low[i] <= truth <= high[i]
            total += 1
    assert 0.6 <= covered / total <= 1.0


# ---- the command on the database ------------------------------------------------------------


def benefit(client, start, end=None, reason="", regulation="pw"):
    return BenefitFactory(
        client=client,
        start_date=start,
        end_date=end,
        end_reason=reason or ("werk" if end else ""),
        regulation=regulation,
    )


def make_history(seed: int = 1, clients: int = 120, growth_from: date | None = None):
    """Benefits from 2015 to 2021; with `growth_from`, twice the inflow from then on."""
    rng = random.Random(seed)
    made = []
    for i in range(clients):
        client = ClientFactory(client_id=f"F{seed}-{i:04d}")
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 7 * 365))
        if growth_from and start < growth_from and rng.random() < 0.5:
            start = growth_from + timedelta(days=rng.randrange(0, (date(2022, 1, 1) - growth_from).days))
        end = start + timedelta(days=rng.randrange(20, 1500)) if rng.random() < 0.8 else None
        regulation = "ioaw" if rng.random() < 0.1 else "pw"
        made.append(benefit(client, start, end, regulation=regulation))
        if end and rng.random() < 0.3:  # some come back
            again = end + timedelta(days=rng.randrange(0, 400))
            made.append(
                benefit(client, again, again + timedelta(days=rng.randrange(30, 600)), regulation="pw")
            )
    return made


def reference_spells(regulations=("pw",)) -> list:
    """The spells of the benefits in the database, by the monitor's row-by-row oracle."""
    rows = [
        {
            "client_id": b.client_id,
            "benefit_id": b.benefit_id,
            "regulation": b.regulation,
            "start_date": b.start_date,
            "end_date": b.end_date,
            "end_reason": b.end_reason,
        }
        for b in Benefit.objects.all()
    ]
    return [(s["start"], s["end"]) for s in oracle.spells(rows, set(regulations))]


def reference_for(as_of: date, months: int, regulations=("pw",), inflow=1.0) -> dict:
    known = ref.known_on(reference_spells(regulations), as_of)
    horizon = min(months, PRESET["backtest"]["max_horizon_months"])
    return {
        "path": ref.expected_path(known, as_of, months, PRESET, inflow=inflow),
        "stock": ref.stock_on(known, as_of),
        "backtest": ref.backtest(known, as_of, horizon, PRESET),
    }


@pytest.mark.django_db
def test_command_equals_the_reference():
    make_history()
    as_of = date(2020, 8, 17)
    result = forecast_json("--as-of", as_of.isoformat(), "--months", "36")
    expected = reference_for(as_of, 36)
    assert result["as_of"] == "2020-08-17"
    assert result["scenario"] == "basis"
    assert [m["month"] for m in result["months"]][:3] == ["2020-09", "2020-10", "2020-11"]
    assert len(result["months"]) == 36 and result["months"][-1]["month"] == "2023-08"
    assert [m["stock"] for m in result["months"]] == [round(v) for v in expected["path"]]
    assert result["stock_on_as_of"] == expected["stock"]
    for m in result["months"]:
        assert m["low"] <= m["stock"] <= m["high"]
    # The interval widens as the horizon grows.
    first, last = result["months"][0], result["months"][-1]
    assert last["high"] - last["low"] > first["high"] - first["low"]
    assert result["backtest"]["horizon_months"] == 12
    assert result["backtest"]["origins"] == expected["backtest"]["origins"]
    assert len(result["backtest"]["origins"]) > 0
    assert result["backtest"]["mape"] == pytest.approx(expected["backtest"]["mape"], rel=1e-9)
    assert result["backtest"]["naive_mape"] == pytest.approx(expected["backtest"]["naive_mape"], rel=1e-9)


@pytest.mark.django_db
def test_regulations_select_the_spells():
    make_history()
    as_of = date(2021, 3, 31)
    both = forecast_json("--as-of", as_of.isoformat(), "--months", "3", "--regulations", "pw,ioaw")
    assert both["regulations"] == ["pw", "ioaw"]
    assert [m["stock"] for m in both["months"]] == [
        round(v) for v in reference_for(as_of, 3, ("pw", "ioaw"))["path"]
    ]


@pytest.mark.django_db
def test_only_what_was_known_on_the_origin_counts():
    """Later starts, later ends and their reasons change nothing, interval included."""
    made = make_history(seed=3)
    as_of = date(2019, 11, 14)
    before = forecast_json("--as-of", as_of.isoformat(), "--months", "24")
    for b in made:
        if b.end_date and b.end_date > as_of:
            b.end_date = b.end_date + timedelta(days=40)
            b.end_reason = "verhuizing"
            b.save()
    late = ClientFactory(client_id="LATE-1")
    benefit(late, as_of + timedelta(days=1))
    benefit(late, as_of + timedelta(days=100), as_of + timedelta(days=300), "werk")
    after = forecast_json("--as-of", as_of.isoformat(), "--months", "24")
    assert after == before
    # A start on the origin day itself is known, and counts.
    benefit(ClientFactory(client_id="ON-DAY"), as_of)
    assert forecast_json("--as-of", as_of.isoformat(), "--months", "24")["stock_on_as_of"] == (
        before["stock_on_as_of"] + 1
    )


@pytest.mark.django_db
def test_the_flow_model_beats_the_naive_forecast_when_the_stock_moves():
    """Inflow doubles from 2019 on: the stock keeps rising for years, which the naive
    forecast cannot see and the flow model does."""
    make_history(seed=5, clients=260, growth_from=date(2019, 1, 1))
    result = forecast_json("--as-of", "2021-12-31", "--months", "12")
    backtest = result["backtest"]
    assert backtest["mape"] < backtest["naive_mape"]


@pytest.mark.django_db
def test_scenarios_move_the_path_and_leave_the_backtest():
    make_history(seed=2)
    as_of = "2021-06-30"
    basis = forecast_json("--as-of", as_of, "--months", "24")
    weak = forecast_json("--as-of", as_of, "--months", "24", "--scenario", "zwak_herstel")
    full = forecast_json("--as-of", as_of, "--months", "24", "--scenario", "volledig_herstel")
    assert weak["scenario"] == "zwak_herstel"
    assert weak["months"][-1]["stock"] > basis["months"][-1]["stock"] > full["months"][-1]["stock"]
    assert weak["backtest"] == basis["backtest"] == full["backtest"]
    ForecastScenario.objects.create(
        code="eigen", name="Eigen", inflow_multiplier=Decimal("1.50"), outflow_multiplier=Decimal("1.00")
    )
    own = forecast_json("--as-of", as_of, "--months", "24", "--scenario", "eigen")
    expected = reference_for(date(2021, 6, 30), 24, inflow=1.5)["path"]
    assert [m["stock"] for m in own["months"]] == [round(v) for v in expected]
    assert own["months"][-1]["stock"] > basis["months"][-1]["stock"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2021-02-30", "--months", "3"], "geen bestaande datum"),
        (["--as-of", "2021-01-31", "--months", "drie"], "--months moet een geheel getal zijn"),
        (["--as-of", "2021-01-31", "--months", "0"], "--months moet een geheel getal van 1 tot en met"),
        (["--as-of", "2021-01-31", "--months", "3", "--scenario", "paniek"], "onbekend scenario 'paniek'"),
        (["--as-of", "2021-01-31", "--months", "3", "--regulations", "ww"], "onbekende regeling"),
    ],
)
def test_wrong_usage_is_a_clear_message_and_exit_code_2(args, message):
    with pytest.raises(CommandError, match=message) as raised:
        call_command("monitor", "forecast", *args, "--json", stdout=io.StringIO())
    assert raised.value.returncode == 2


@pytest.mark.django_db
def test_no_data_gives_zeros_and_no_backtest():
    result = forecast_json("--as-of", "2021-01-31", "--months", "2")
    assert [(m["stock"], m["low"], m["high"]) for m in result["months"]] == [(0, 0, 0), (0, 0, 0)]
    assert result["backtest"] == {"horizon_months": 2, "origins": [], "mape": None, "naive_mape": None}


@pytest.mark.django_db
def test_the_shipped_scenarios_exist():
    codes = set(ForecastScenario.objects.values_list("code", flat=True))
    assert {"volledig_herstel", "zwak_herstel", "tweede_golf"} <= codes
