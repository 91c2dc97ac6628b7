"""The city benchmark's comparison code on a tiny generated city (seconds, no Django).

EconML is optional: without it the benchmark still prepares what EconML would get (Trede's
trimmed rows and clip), and these tests check that; with it, they check its columns too.
"""

import importlib.util

import numpy as np
import pytest

from trede.effects import benchmark
from trede.effects.estimators import AIPWEstimator
from trede.effects.frames import read_interchange_folder
from trede.effects.instruments import fit_instrument
from trede.effects.panel import build_panel

HAS_ECONML = importlib.util.find_spec("econml") is not None


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder, _ = benchmark.city_folder(tmp_path_factory.mktemp("city"), clients=400, years=4, seed=3)
    return folder


@pytest.fixture(scope="module")
def result(city):
    return benchmark.city_benchmark(city, horizons=(12,), econml_learner="linear")


@pytest.fixture(scope="module")
def panel(city, result):
    return build_panel(read_interchange_folder(city), horizon=12, until=result["data_end"])


def _estimated(result):
    rows = [r for r in result["rows"] if r["trede_estimate"] is not None]
    assert rows, "no instrument had enough starts in the tiny city"
    return rows


def test_econml_gets_trede_rows_after_trimming_and_its_clip(panel):
    code = next(c for c in panel.instruments if fit_instrument(panel, c) is not None)
    fitted = fit_instrument(panel, code)
    given = benchmark.fair_inputs(panel, code)
    assert np.array_equal(given.rows, fitted.rows[fitted.estimator.keep_])
    assert given.min_propensity == fitted.estimator.clip == AIPWEstimator().clip
    # Read from the estimator Trede fitted, not a copy: another clip setting follows through.
    other = benchmark.fair_inputs(panel, code, estimator_options={"clip": 0.02})
    assert other.min_propensity == 0.02
    options = benchmark.econml_options("linear", cv=2, seed=0, min_propensity=given.min_propensity)
    assert options["min_propensity"] == fitted.estimator.clip


def test_report_structure_and_same_rows(result):
    assert result["mode"] == "city" and result["econml"] is HAS_ECONML
    assert result["fairness"]["min_propensity"] == AIPWEstimator().clip
    assert result["fairness"]["controls_weighted"] is False
    assert "fair_inputs_seconds" in result["timing"]
    for r in _estimated(result):
        given = r["econml_inputs"]
        assert r["same_rows"] is True
        assert (
            given["n_treated"] == r["n_treated"] and given["rows"] == given["n_treated"] + given["n_control"]
        )
        assert given["min_propensity"] == AIPWEstimator().clip
        if r["truth"] is not None:
            assert r["trede_abs_error"] == pytest.approx(abs(r["trede_estimate"] - r["truth"]))
            assert r["trede_covers"] == (r["trede_ci_low"] <= r["truth"] <= r["trede_ci_high"])
    trede = result["accuracy"]["trede"]
    errors = [r["trede_abs_error"] for r in result["rows"] if r["trede_abs_error"] is not None]
    assert trede["median_abs_error"] == pytest.approx(float(np.median(errors)))
    assert trede["covered"] == sum(bool(r["trede_covers"]) for r in result["rows"])
    text = benchmark.render_city(result)
    assert "mediaan" in text and "min_propensity" in text and result["verdict"]["text"] in text


@pytest.mark.skipif(HAS_ECONML, reason="checks the report when econml is absent")
def test_without_econml_nothing_is_claimed(result):
    v = result["verdict"]
    assert v["more_accurate"] is None and v["faster"] is None and v["goal_met"] is None
    assert "niet gemeten" in v["text"]
    assert "econml" not in result["accuracy"] and "econml_seconds" not in result["timing"]
    assert all("econml_estimate" not in r for r in result["rows"])


@pytest.mark.skipif(not HAS_ECONML, reason="econml (optional 'bench' extra) is not installed")
def test_with_econml_both_sides_are_scored(result):
    common = result["accuracy"]["common"]
    assert common["instruments"] >= 1
    assert common["trede"]["compared"] == common["econml"]["compared"] == common["instruments"]
    assert result["verdict"]["more_accurate"] in ("trede", "econml", "gelijk")
    assert result["timing"]["econml_fit_seconds"] > 0


def _measured(trede_errors, econml_errors, ratio):
    rows = [
        {"trede_abs_error": a, "econml_abs_error": b, "trede_covers": True, "econml_covers": False}
        for a, b in zip(trede_errors, econml_errors, strict=True)
    ]
    result = {"econml": True, "econml_note": None, "timing": {"ratio_econml_trede": ratio}}
    result["accuracy"] = benchmark._accuracies(rows, econml=True)
    return benchmark.verdict(result)


def test_verdict_names_the_more_accurate_and_the_faster():
    v = _measured([0.01, 0.03], [0.02, 0.05], 6.0)
    assert (v["more_accurate"], v["faster"], v["goal_met"]) == ("trede", "trede", True)
    assert "Trede is nauwkeuriger" in v["text"] and "6.0×" in v["text"]
    # More accurate but only 3× faster misses the goal; less accurate misses it too.
    assert _measured([0.01], [0.02], 3.0)["goal_met"] is False
    v = _measured([0.05], [0.02], 0.5)
    assert (v["more_accurate"], v["faster"], v["goal_met"]) == ("econml", "econml", False)
    assert "EconML is 2.0× zo snel" in v["text"]


def test_report_names_each_sides_learners(result):
    learners = result["fairness"]["learners"]
    assert learners["trede"] == ["aipw linear, 3 folds"]
    assert learners["econml"] == "linear, cv=2"
