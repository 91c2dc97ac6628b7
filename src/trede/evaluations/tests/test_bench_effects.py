"""`trede bench_effects`: both modes on a tiny generated municipality (seconds, not minutes)."""

import importlib.util
import json

import pytest
from django.core.management import CommandError, call_command

from trede.effects import benchmark

HAS_ECONML = importlib.util.find_spec("econml") is not None
CLIENTS, YEARS = 400, 4


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("bench")


def run(capsys, *args):
    call_command("bench_effects", *args, "--no-progress")
    return capsys.readouterr()


def test_validate_json_and_table(capsys, work_dir):
    common = ["--seeds", "1", "--clients", str(CLIENTS), "--years", str(YEARS), "--work-dir", str(work_dir)]
    out = run(capsys, "--validate", *common, "--min-coverage", "0", "--json").out
    result = json.loads(out)
    assert result["mode"] == "validate" and result["seeds"] == [1]
    assert result["horizons"] == [12, 24]
    assert result["runs"] > 0 and 0.0 <= result["coverage"] <= 1.0
    assert set(result["coverage_by_horizon"]) <= {"12", "24"}
    row = result["rows"][0]
    assert {"instrument", "horizon", "bias", "rmse", "coverage"} <= set(row)
    assert row["rmse"] >= abs(row["bias"]) - 1e-12

    # The folder is reused; coverage below the bar exits with code 1 after the table.
    with pytest.raises(CommandError) as info:
        run(capsys, *common, "--min-coverage", "1.01")
    assert info.value.returncode == 1
    text = capsys.readouterr().out
    assert "dekking 95 %-intervallen" in text and "RMSE" in text


def test_usage_errors(capsys):
    with pytest.raises(CommandError) as info:
        run(capsys, "--horizons", "12,x")
    assert info.value.returncode == 2


def _city_args(work_dir):
    return [
        "--city",
        "--clients",
        str(CLIENTS),
        "--years",
        str(YEARS),
        "--seed",
        "3",
        "--work-dir",
        str(work_dir),
    ]


def test_city_trede_only(capsys, work_dir):
    result = json.loads(run(capsys, *_city_args(work_dir), "--no-econml", "--json").out)
    assert result["mode"] == "city" and result["econml"] is False
    assert result["timing"]["trede_seconds"] > 0 and "econml_seconds" not in result["timing"]
    assert result["rows"] and all(r["horizon"] == 12 for r in result["rows"])
    estimated = [r for r in result["rows"] if r["trede_estimate"] is not None]
    assert estimated, "no instrument had enough starts in the tiny city"
    for r in estimated:
        assert r["trede_ci_low"] <= r["trede_estimate"] <= r["trede_ci_high"]
        if r["truth"] is not None:
            assert r["trede_abs_error"] == pytest.approx(abs(r["trede_estimate"] - r["truth"]))
    assert (work_dir / "city_c400_y4_s3" / "ground_truth.json").exists()


@pytest.mark.skipif(not HAS_ECONML, reason="econml (optional 'bench' extra) is not installed")
def test_city_with_econml(capsys, work_dir):
    result = json.loads(
        run(capsys, *_city_args(work_dir), "--econml-learner", "linear", "--cv", "2", "--json").out
    )
    assert result["econml"] is True and result["econml_note"] is None
    timing = result["timing"]
    assert timing["econml_seconds"] >= timing["econml_fit_seconds"] > 0
    assert timing["ratio_econml_trede"] > 0
    compared = [r for r in result["rows"] if r["trede_estimate"] is not None]
    assert any(r["econml_estimate"] is not None for r in compared)
    assert result["accuracy"]["econml"]["compared"] >= 1
    text = benchmark.render_city(result)
    assert "EconML" in text and "verhouding EconML/Trede" in text


def test_city_without_econml_degrades(monkeypatch, work_dir):
    """With econml absent the city benchmark still runs Trede and says how to get EconML."""
    import builtins

    real_import = builtins.__import__

    def no_econml(name, *args, **kwargs):
        if name == "econml" or name.startswith("econml."):
            raise ImportError("No module named 'econml'")
        return real_import(name, *args, **kwargs)

    folder, _ = benchmark.city_folder(work_dir, clients=CLIENTS, years=YEARS, seed=3)
    monkeypatch.setattr(builtins, "__import__", no_econml)
    result = benchmark.city_benchmark(folder, horizons=(12,))
    assert result["econml"] is False and "bench" in result["econml_note"]
    assert "econml" not in result["accuracy"]
    assert "bench" in benchmark.render_city(result)
