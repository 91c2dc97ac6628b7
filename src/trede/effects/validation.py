"""Validation of the instruments estimand against the synthetic generator's ground truth.

For each seed the generator writes an interchange folder and `ground_truth.json` (the true
effect of every start, from the client and a clone that skipped the start with the same
random numbers). The engine reads the folder as a municipality would export it and its
estimates are compared with the truth: bias, RMSE and the share of 95 % intervals that
contain the true effect, per instrument and horizon.

Pure Python: the generator is imported lazily and nothing touches the database.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .frames import read_interchange_folder
from .instruments import estimate_instruments


def _generate(out_dir: Path, *, clients: int, years: int, seed: int) -> None:
    from trede.synthetic.generator import generate

    generate(out_dir, clients=clients, years=years, seed=seed)


def run_seed(folder: str | Path, *, horizons: Sequence[int] = (12, 24), **options: Any) -> pd.DataFrame:
    """Estimates next to the truth for one generated folder: one row per instrument and horizon."""
    folder = Path(folder)
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    frames = read_interchange_folder(folder)
    rows = []
    for h in horizons:
        report = estimate_instruments(frames, horizon=h, until=truth["data_end"], segments=(), **options)
        for code, effect in report.instruments.items():
            block = truth["instruments"].get(code, {})
            true = block.get("att", {}).get(str(h))
            r = effect.result
            rows.append(
                {
                    "instrument": code,
                    "horizon": h,
                    "truth": np.nan if true is None else float(true),
                    "estimate": np.nan if r is None else r.estimate,
                    "ci_low": np.nan if r is None else r.ci_low,
                    "ci_high": np.nan if r is None else r.ci_high,
                    "std_error": np.nan if r is None else r.std_error,
                    "n_treated": effect.n_starts if r is None else r.n_treated,
                    "n_starts": effect.n_starts,
                    "n_starts_truth": block.get("n_starts", {}).get(str(h)),
                }
            )
    return pd.DataFrame(rows)


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Bias, RMSE and interval coverage per instrument and horizon (rows with a truth and estimate)."""
    ok = results.dropna(subset=["truth", "estimate"])
    err = ok["estimate"] - ok["truth"]
    covered = (ok["ci_low"] <= ok["truth"]) & (ok["truth"] <= ok["ci_high"])
    frame = ok.assign(error=err, squared=err**2, covered=covered.astype(float))
    out = frame.groupby(["instrument", "horizon"]).agg(
        runs=("error", "size"),
        truth=("truth", "mean"),
        bias=("error", "mean"),
        rmse=("squared", lambda s: float(np.sqrt(s.mean()))),
        coverage=("covered", "mean"),
        mean_se=("std_error", "mean"),
        n_treated=("n_treated", "mean"),
    )
    return out.reset_index()


def validate(
    seeds: Sequence[int],
    *,
    clients: int = 5000,
    years: int = 6,
    horizons: Sequence[int] = (12, 24),
    work_dir: str | Path | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
    **options: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate each seed, estimate, and compare: (per-run results, summary per instrument/horizon).

    Overall coverage is `results.covered.mean()` on the summary's runs; options go to
    `estimate_instruments` (method, control_ratio, ...).
    """
    report = progress or (lambda phase, advance, total: None)
    frames = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(work_dir) if work_dir is not None else Path(tmp)
        report("Validatie", 0, len(seeds))
        for seed in seeds:
            folder = base / f"seed_{seed}"
            if not (folder / "ground_truth.json").exists():
                _generate(folder, clients=clients, years=years, seed=seed)
            frames.append(run_seed(folder, horizons=horizons, **options).assign(seed=seed))
            report("Validatie", 1, len(seeds))
    results = pd.concat(frames, ignore_index=True)
    return results, summarise(results)


def coverage(results: pd.DataFrame) -> float:
    """Share of (seed, instrument, horizon) runs whose 95 % interval contains the truth."""
    ok = results.dropna(subset=["truth", "estimate"])
    return float(((ok["ci_low"] <= ok["truth"]) & (ok["truth"] <= ok["ci_high"])).mean())
