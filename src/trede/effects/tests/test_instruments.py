"""Effects per instrument on a simulated municipality with a known effect of each start."""

import time

import numpy as np
import pytest

from trede.effects.instruments import estimate_instruments
from trede.effects.panel import SEGMENT_DIMENSIONS, build_panel
from trede.effects.simulate import Instrument, simulate_world


@pytest.fixture(scope="module")
def world():
    return simulate_world(5000, months=60, seed=3, horizons=(12,))


@pytest.fixture(scope="module")
def report(world):
    frames, truth = world
    return estimate_instruments(frames, horizon=12, until=truth["until"])


def test_estimates_cover_the_simulated_truth(world, report):
    _, truth = world
    assert set(report.instruments) == {"JOBCOACH", "SOLLTRAIN"}
    for code, effect in report.instruments.items():
        r = effect.result
        true = truth["att"][code][12]
        assert abs(r.estimate - true) < 3 * r.std_error, code
        assert r.method == "aipw" and r.estimand == "att"
    assert truth["att"]["JOBCOACH"][12] > 0.05
    assert report.instruments["JOBCOACH"].result.ci_low > 0  # a real effect is detected
    assert report.instruments["SOLLTRAIN"].result.ci_low < 0 < report.instruments["SOLLTRAIN"].result.ci_high


def test_naive_comparison_would_be_biased(world, report):
    frames, truth = world
    panel = build_panel(frames, horizon=12, until=truth["until"])
    treated, control = panel.arms("SOLLTRAIN")
    y = panel.rows["outcome"].to_numpy()
    naive = y[treated].mean() - y[control].mean()
    assert naive - truth["att"]["SOLLTRAIN"][12] > 0.05  # clients closer to work start more often


def test_counts_follow_the_contract(world, report):
    _, truth = world
    for code, effect in report.instruments.items():
        assert effect.n_starts == truth["n_starts"][code][12]
        r = effect.result
        assert r.n_treated >= 0.95 * effect.n_starts  # trimming removes at most 5 %
        assert effect.n_control > r.n_control  # the sample stands for all eligible client-months
        assert r.weighted_n_control == pytest.approx(effect.n_control, rel=0.05)
    out = report.to_dict()
    assert out["horizon_months"] == 12
    for values in out["instruments"].values():
        assert {"estimate", "ci_low", "ci_high", "n_treated", "n_control"} <= set(values)
        assert isinstance(values["n_treated"], int) and isinstance(values["n_control"], int)


def test_segments_with_flags(report):
    effect = report.instruments["JOBCOACH"]
    assert set(effect.segments) == set(SEGMENT_DIMENSIONS)
    ladder = effect.segments["ladder_step"]
    assert set(ladder) <= {"1", "2", "3", "4", "5", "6", "onbekend"}
    assert sum(s.result.n_treated for s in ladder.values()) <= effect.result.n_treated
    for levels in effect.segments.values():
        for seg in levels.values():
            assert seg.small_n == (seg.result.n_treated < 30)
            assert np.isfinite(seg.result.estimate)
    segments = report.to_dict(segments=True)["instruments"]["JOBCOACH"]["segments"]
    assert {"small_n", "poor_overlap", "estimate"} <= set(
        segments["age_band"][next(iter(segments["age_band"]))]
    )


def test_too_few_starts_gives_no_estimate(world):
    frames, truth = world
    report = estimate_instruments(frames, horizon=12, until=truth["until"], min_treated=10**6, segments=())
    assert all(e.result is None for e in report.instruments.values())
    assert report.to_dict()["instruments"]["JOBCOACH"]["estimate"] is None


@pytest.mark.slow
def test_city_of_twenty_thousand_over_ten_years_within_a_minute():
    instruments = [Instrument(f"I{j:02d}", 1.0 + 0.1 * j, 12, -5.5 + 0.1 * j) for j in range(14)]
    frames, truth = simulate_world(20000, months=120, seed=1, horizons=(12,), instruments=instruments)
    started = time.perf_counter()
    report = estimate_instruments(frames, horizon=12, until=truth["until"])
    seconds = time.perf_counter() - started
    assert seconds < 60
    inside = [
        e.result.ci_low <= truth["att"][code][12] <= e.result.ci_high
        for code, e in report.instruments.items()
    ]
    assert sum(inside) >= 12  # 14 instruments, 95 % intervals
