"""The instruments estimand against the synthetic generator's ground truth (slow)."""

import numpy as np
import pytest

from trede.effects.instruments import estimate_instruments
from trede.effects.simulate import simulate_world
from trede.effects.validation import coverage, summarise, validate


@pytest.mark.slow
def test_generator_ground_truth_is_covered(tmp_path):
    pytest.importorskip("trede.synthetic.generator")
    results, summary = validate(
        [101, 102, 103, 104], clients=4000, years=6, horizons=(12, 24), work_dir=tmp_path
    )
    ok = results.dropna(subset=["truth", "estimate"])
    assert len(ok) >= 80
    assert coverage(results) >= 0.88
    # The engine's treated starts are the generator's counted starts (no trimming needed).
    assert (ok["n_starts"] == ok["n_starts_truth"]).all()
    # No instrument is systematically off by more than its typical standard error.
    assert (summary["bias"].abs() < np.maximum(summary["mean_se"], 0.02)).all()


@pytest.mark.slow
def test_simulated_worlds_are_covered():
    rows = []
    for seed in range(6):
        frames, truth = simulate_world(4000, months=60, seed=200 + seed, horizons=(12,))
        report = estimate_instruments(frames, horizon=12, until=truth["until"], segments=())
        for code, effect in report.instruments.items():
            r = effect.result
            rows.append(
                {
                    "instrument": code,
                    "horizon": 12,
                    "truth": truth["att"][code][12],
                    "estimate": r.estimate,
                    "ci_low": r.ci_low,
                    "ci_high": r.ci_high,
                    "std_error": r.std_error,
                    "n_treated": r.n_treated,
                }
            )
    import pandas as pd

    results = pd.DataFrame(rows)
    assert coverage(results) >= 10 / 12
    assert (summarise(results)["bias"].abs() < 0.015).all()
