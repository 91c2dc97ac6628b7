"""Benchmarks of the instruments estimand: accuracy against the generator and speed against EconML.

Two runs, both on synthetic municipalities whose true effects are known
(`trede.synthetic.generator`, `ground_truth.json`):

- `validate_benchmark(seeds, ...)`: bias, RMSE and 95 % interval coverage of Trede's
  default estimator per instrument and horizon over several seeds (`validation.validate`),
  plus the overall coverage.
- `city_benchmark(folder, ...)`: one large city read from its CSV folder (reading is not
  timed). Trede's full run (panel, every instrument, five segment dimensions) is timed
  and compared with EconML's `DRLearner` (cross-fitting, fast learners) fitted on the same
  person-month rows, controls and weights per instrument; its ATT is the mean CATE over
  the treated rows (see `econml_att` for its interval). Both are scored
  against the truth.

Pure Python: no Django. EconML is an optional dependency (the `bench` extra) and is
imported lazily; without it the city benchmark runs Trede only and says why.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .frames import read_interchange_folder
from .instruments import estimate_instruments, sampled_rows
from .panel import SEGMENT_DIMENSIONS, Panel, build_panel
from .validation import coverage as overall_coverage
from .validation import validate

Progress = Callable[[str, int, "int | None"], None]

ECONML_MISSING = (
    "EconML is niet geïnstalleerd: alleen Trede is gemeten. Installeer de optionele extra "
    "'bench' (pip install 'trede[bench]') voor de vergelijking met econml.dr.DRLearner."
)


def _noop(phase: str, advance: int, total: int | None) -> None:
    return None


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


# -- validate --------------------------------------------------------------------------------


def validate_benchmark(
    seeds: Sequence[int],
    *,
    clients: int = 5000,
    years: int = 6,
    horizons: Sequence[int] = (12, 24),
    work_dir: str | Path | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Bias, RMSE and coverage per instrument and horizon over `seeds`, and overall.

    Options go to `estimate_instruments` (method, control_ratio, ...). Folders already
    generated in `work_dir` (seed_<n> with a ground_truth.json) are reused.
    """
    began = time.perf_counter()
    results, summary = validate(
        list(seeds),
        clients=clients,
        years=years,
        horizons=tuple(horizons),
        work_dir=work_dir,
        progress=progress,
        **options,
    )
    ok = results.dropna(subset=["truth", "estimate"])
    covered = (ok["ci_low"] <= ok["truth"]) & (ok["truth"] <= ok["ci_high"])
    error = ok["estimate"] - ok["truth"]
    rows = [
        {
            "instrument": r.instrument,
            "horizon": int(r.horizon),
            "runs": int(r.runs),
            "truth": _finite(r.truth),
            "bias": _finite(r.bias),
            "rmse": _finite(r.rmse),
            "coverage": _finite(r.coverage),
            "mean_se": _finite(r.mean_se),
            "n_treated": _finite(r.n_treated),
        }
        for r in summary.itertuples(index=False)
    ]
    by_horizon = {str(int(h)): float(c.mean()) for h, c in covered.groupby(ok["horizon"])}
    return {
        "mode": "validate",
        "seeds": [int(s) for s in seeds],
        "clients": clients,
        "years": years,
        "horizons": [int(h) for h in horizons],
        "runs": int(len(ok)),
        "runs_without_estimate": int(len(results) - len(ok)),
        "coverage": overall_coverage(results) if len(ok) else None,
        "coverage_by_horizon": by_horizon,
        "mean_error": _finite(error.mean()) if len(ok) else None,
        "rmse": _finite(np.sqrt((error**2).mean())) if len(ok) else None,
        "mean_se": _finite(ok["std_error"].mean()) if len(ok) else None,
        "seconds": round(time.perf_counter() - began, 2),
        "rows": rows,
    }


# -- city --------------------------------------------------------------------------------------


def city_folder(
    work_dir: str | Path, *, clients: int, years: int, seed: int, progress: Progress | None = None
) -> tuple[Path, float | None]:
    """The generated city in `work_dir` (generated once): (folder, seconds spent generating or None)."""
    folder = Path(work_dir) / f"city_c{clients}_y{years}_s{seed}"
    if (folder / "ground_truth.json").exists():
        return folder, None
    from trede.synthetic.generator import generate

    report = progress or _noop
    report("Stad genereren", 0, 1)
    began = time.perf_counter()
    generate(folder, clients=clients, years=years, seed=seed)
    report("Stad genereren", 1, 1)
    return folder, round(time.perf_counter() - began, 2)


def _econml_models(learner: str, seed: int):
    if learner == "linear":
        from sklearn.linear_model import LinearRegression, LogisticRegression

        return LogisticRegression(C=1.0, max_iter=1000), LinearRegression()
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    return (
        HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=seed),
        HistGradientBoostingRegressor(max_iter=100, early_stopping=False, random_state=seed),
    )


def econml_att(
    panel: Panel,
    instrument: str,
    *,
    learner: str = "boosting",
    cv: int = 2,
    seed: int = 0,
    control_ratio: float = 10.0,
) -> dict[str, Any] | None:
    """EconML DRLearner on Trede's rows for one instrument: ATT = mean CATE over the treated.

    Covariates are Trede's encoded design matrix (standardised, so that the linear learners
    converge); cross-fitting folds are grouped by client. The controls are Trede's uniform
    sample (probability q, the same for every control), so they are not reweighted: a
    constant control weight leaves E[Y0 | X] and hence the ATT unchanged, while weights
    1/q would put the treated's propensity near 0.001 and, without EconML trimming, blow
    up the doubly robust pseudo-outcomes. The final stage is linear in X, so the mean CATE
    over the treated equals the CATE at their mean covariates; its interval is the one
    `effect_inference` gives there (coefficient covariance, heteroskedasticity-robust, not
    clustered by client). None when there are too few starts.
    """
    from econml.dr import DRLearner

    sample = sampled_rows(panel, instrument, control_ratio=control_ratio, seed=seed)
    if sample is None:
        return None
    rows, t, _ = sample
    matrix, _ = panel.design(rows)
    scale = matrix.std(axis=0)
    keep = scale > 0
    x = ((matrix - matrix.mean(axis=0)) / np.where(keep, scale, 1.0))[:, keep]
    y = panel.rows["outcome"].to_numpy()[rows].astype(float)
    propensity, regression = _econml_models(learner, seed)
    model = DRLearner(model_propensity=propensity, model_regression=regression, cv=cv, random_state=seed)
    model.fit(y, t, X=x, groups=panel.rows["client"].to_numpy()[rows])
    treated_x = x[t == 1]
    out: dict[str, Any] = {
        "n_treated": int(t.sum()),
        "n_control": int((t == 0).sum()),
        "estimate": _finite(np.mean(model.effect(treated_x))),
        "ci_low": None,
        "ci_high": None,
    }
    try:
        low, high = model.effect_inference(treated_x.mean(axis=0, keepdims=True)).conf_int(alpha=0.05)
        out.update(ci_low=_finite(np.ravel(low)[0]), ci_high=_finite(np.ravel(high)[0]))
    except Exception as exc:  # the interval is a bonus; the point estimate is what is compared
        out["inference_error"] = f"{type(exc).__name__}: {exc}"
    return out


def _covers(low: float | None, high: float | None, truth: float | None) -> bool | None:
    if low is None or high is None or truth is None:
        return None
    return bool(low <= truth <= high)


def city_benchmark(
    folder: str | Path,
    *,
    horizons: Sequence[int] = (12,),
    econml: bool = True,
    econml_learner: str = "boosting",
    cv: int = 2,
    seed: int = 0,
    control_ratio: float = 10.0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Trede (all instruments × five segment dimensions) against EconML on one generated city.

    Reading the CSV folder is timed apart and not counted. Trede's time is its whole run
    (panel, estimates, segments). EconML's time is building the same panel plus its fits
    (the panel is Trede's work, but EconML cannot run without it); the fits alone are
    reported too. Wall-clock and CPU seconds are both given.
    """
    report = progress or _noop
    folder = Path(folder)
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    began = time.perf_counter()
    frames = read_interchange_folder(folder)
    read_seconds = time.perf_counter() - began

    econml_note = None
    if econml:
        try:
            import econml as _econml  # noqa: F401
        except ImportError:
            econml, econml_note = False, ECONML_MISSING

    rows: list[dict[str, Any]] = []
    timing = {"read_seconds": round(read_seconds, 2), "trede_seconds": 0.0, "trede_cpu_seconds": 0.0}
    if econml:
        timing.update(
            econml_panel_seconds=0.0, econml_fit_seconds=0.0, econml_seconds=0.0, econml_cpu_seconds=0.0
        )
    panel_rows = {}
    for h in horizons:
        wall, cpu = time.perf_counter(), time.process_time()
        result = estimate_instruments(
            frames,
            horizon=h,
            until=truth["data_end"],
            segments=SEGMENT_DIMENSIONS,
            seed=seed,
            control_ratio=control_ratio,
            progress=report,
        )
        timing["trede_seconds"] += time.perf_counter() - wall
        timing["trede_cpu_seconds"] += time.process_time() - cpu

        fitted: dict[str, dict[str, Any] | None] = {}
        if econml:
            wall, cpu = time.perf_counter(), time.process_time()
            panel = build_panel(frames, horizon=h, until=truth["data_end"])
            panel_seconds = time.perf_counter() - wall
            report(f"EconML H={h}", 0, len(panel.instruments))
            for code in panel.instruments:
                try:
                    fitted[code] = econml_att(
                        panel, code, learner=econml_learner, cv=cv, seed=seed, control_ratio=control_ratio
                    )
                except Exception as exc:  # one failing instrument should not end the benchmark
                    fitted[code] = {"estimate": None, "ci_low": None, "ci_high": None, "error": str(exc)}
                report(f"EconML H={h}", 1, len(panel.instruments))
            elapsed = time.perf_counter() - wall
            timing["econml_panel_seconds"] += panel_seconds
            timing["econml_fit_seconds"] += elapsed - panel_seconds
            timing["econml_seconds"] += elapsed
            timing["econml_cpu_seconds"] += time.process_time() - cpu
            panel_rows[str(h)] = len(panel.rows)

        for code, effect in result.instruments.items():
            r = effect.result
            true = truth["instruments"].get(code, {}).get("att", {}).get(str(h))
            true = _finite(true)
            row: dict[str, Any] = {
                "instrument": code,
                "horizon": h,
                "truth": true,
                "n_treated": effect.n_starts if r is None else r.n_treated,
                "trede_estimate": None if r is None else _finite(r.estimate),
                "trede_ci_low": None if r is None else _finite(r.ci_low),
                "trede_ci_high": None if r is None else _finite(r.ci_high),
            }
            row["trede_abs_error"] = _abs_error(row["trede_estimate"], true)
            row["trede_covers"] = _covers(row["trede_ci_low"], row["trede_ci_high"], true)
            if econml:
                e = fitted.get(code) or {}
                row["econml_estimate"] = e.get("estimate")
                row["econml_ci_low"] = e.get("ci_low")
                row["econml_ci_high"] = e.get("ci_high")
                row["econml_abs_error"] = _abs_error(row["econml_estimate"], true)
                row["econml_covers"] = _covers(row["econml_ci_low"], row["econml_ci_high"], true)
                if "error" in e or "inference_error" in e:
                    row["econml_error"] = e.get("error") or e.get("inference_error")
            rows.append(row)

    timing = {k: round(v, 2) for k, v in timing.items()}
    if econml and timing["trede_seconds"] > 0:
        timing["ratio_econml_trede"] = round(timing["econml_seconds"] / timing["trede_seconds"], 2)
        timing["ratio_econml_fits_trede"] = round(timing["econml_fit_seconds"] / timing["trede_seconds"], 2)
    return {
        "mode": "city",
        "folder": str(folder),
        "clients": truth.get("clients"),
        "years": truth.get("years"),
        "seed": truth.get("seed"),
        "data_end": truth["data_end"],
        "horizons": [int(h) for h in horizons],
        "panel_rows": panel_rows,
        "econml": bool(econml),
        "econml_note": econml_note,
        "econml_learner": econml_learner if econml else None,
        "cv": cv,
        "timing": timing,
        "accuracy": {
            "trede": _accuracy(rows, "trede"),
            **({"econml": _accuracy(rows, "econml")} if econml else {}),
        },
        "rows": rows,
    }


def _abs_error(estimate: float | None, truth: float | None) -> float | None:
    return None if estimate is None or truth is None else abs(estimate - truth)


def _accuracy(rows: list[dict[str, Any]], who: str) -> dict[str, Any]:
    errors = [r[f"{who}_abs_error"] for r in rows if r.get(f"{who}_abs_error") is not None]
    covers = [r[f"{who}_covers"] for r in rows if r.get(f"{who}_covers") is not None]
    return {
        "compared": len(errors),
        "mean_abs_error": float(np.mean(errors)) if errors else None,
        "max_abs_error": float(np.max(errors)) if errors else None,
        "intervals": len(covers),
        "coverage": float(np.mean(covers)) if covers else None,
    }


# -- text tables -------------------------------------------------------------------------------


def _p(value: float | None, sign: bool = True) -> str:
    if value is None:
        return "-"
    return f"{value:+.3f}" if sign else f"{value:.3f}"


def render_validate(result: dict[str, Any]) -> str:
    lines = [
        f"Validatie tegen de ware effecten: {len(result['seeds'])} seeds × {result['clients']} cliënten"
        f" × {result['years']} jaar (seeds {', '.join(map(str, result['seeds']))})",
        "",
        f"{'instrument':<16} {'H':>3} {'runs':>5} {'waar':>7} {'bias':>7} {'RMSE':>6} {'gem.SE':>6}"
        f" {'dekking':>8} {'starts':>7}",
    ]
    for r in result["rows"]:
        cov = "-" if r["coverage"] is None else f"{100 * r['coverage']:.0f} %"
        starts = "-" if r["n_treated"] is None else f"{r['n_treated']:.0f}"
        lines.append(
            f"{r['instrument']:<16} {r['horizon']:>3} {r['runs']:>5} {_p(r['truth']):>7} {_p(r['bias']):>7}"
            f" {_p(r['rmse'], False):>6} {_p(r['mean_se'], False):>6} {cov:>8} {starts:>7}"
        )
    cov = result["coverage"]
    lines += [
        "",
        f"runs: {result['runs']} (zonder schatting: {result['runs_without_estimate']})",
        "dekking 95 %-intervallen: "
        + ("-" if cov is None else f"{100 * cov:.1f} %")
        + "".join(f"; H={h}: {100 * c:.1f} %" for h, c in result["coverage_by_horizon"].items()),
        f"gemiddelde fout {_p(result['mean_error'])}, RMSE {_p(result['rmse'], False)},"
        f" gemiddelde SE {_p(result['mean_se'], False)}; {result['seconds']:.0f} s",
    ]
    return "\n".join(lines) + "\n"


def render_city(result: dict[str, Any]) -> str:
    econml = result["econml"]
    t = result["timing"]
    lines = [
        f"Stad: {result['clients']} cliënten × {result['years']} jaar (seed {result['seed']}),"
        f" horizon {', '.join(map(str, result['horizons']))} maanden; {result['folder']}",
        "",
    ]
    head = (
        f"{'instrument':<16} {'H':>3} {'starts':>6} {'waar':>7} {'Trede [95 %-interval]':>28} {'|fout|':>6}"
    )
    if econml:
        head += f" {'EconML [95 %-interval]':>28} {'|fout|':>6}"
    lines.append(head)
    for r in result["rows"]:
        trede = _with_ci(r["trede_estimate"], r["trede_ci_low"], r["trede_ci_high"])
        line = (
            f"{r['instrument']:<16} {r['horizon']:>3} {r['n_treated']:>6} {_p(r['truth']):>7} {trede:>28}"
            f" {_p(r['trede_abs_error'], False):>6}"
        )
        if econml:
            other = _with_ci(r["econml_estimate"], r["econml_ci_low"], r["econml_ci_high"])
            line += f" {other:>28} {_p(r['econml_abs_error'], False):>6}"
        lines.append(line)
    lines.append("")
    for who, label in (("trede", "Trede"), ("econml", "EconML")):
        acc = result["accuracy"].get(who)
        if not acc:
            continue
        cov = (
            "-"
            if acc["coverage"] is None
            else f"{100 * acc['coverage']:.0f} % ({acc['intervals']} intervallen)"
        )
        lines.append(
            f"{label:<7} gemiddelde |fout| {_p(acc['mean_abs_error'], False)}, grootste"
            f" {_p(acc['max_abs_error'], False)}, dekking {cov}"
        )
    lines += [
        "",
        f"inlezen CSV-map (niet meegeteld): {t['read_seconds']:.1f} s",
        f"Trede  (panel + alle instrumenten + 5 segmentdimensies): {t['trede_seconds']:.1f} s"
        f" (CPU {t['trede_cpu_seconds']:.1f} s)",
    ]
    if econml:
        lines += [
            f"EconML (hetzelfde panel {t['econml_panel_seconds']:.1f} s + DRLearner cv={result['cv']},"
            f" {result['econml_learner']}: {t['econml_fit_seconds']:.1f} s): {t['econml_seconds']:.1f} s"
            f" (CPU {t['econml_cpu_seconds']:.1f} s)",
            f"verhouding EconML/Trede: {t['ratio_econml_trede']:.2f}"
            f" (alleen de fits: {t['ratio_econml_fits_trede']:.2f})",
        ]
    else:
        lines.append(result["econml_note"] or "EconML overgeslagen (--no-econml)")
    return "\n".join(lines) + "\n"


def _with_ci(estimate: float | None, low: float | None, high: float | None) -> str:
    if estimate is None:
        return "-"
    if low is None or high is None:
        return _p(estimate)
    return f"{_p(estimate)} [{_p(low)}, {_p(high)}]"


def results_frame(result: dict[str, Any]) -> pd.DataFrame:
    """The per-row table of either benchmark as a DataFrame (for notebooks)."""
    return pd.DataFrame(result["rows"])
