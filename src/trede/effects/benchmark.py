"""Benchmarks of the instruments estimand: accuracy against the generator and speed against EconML.

Two runs, both on synthetic municipalities whose true effects are known
(`trede.synthetic.generator`, `ground_truth.json`):

- `validate_benchmark(seeds, ...)`: bias, RMSE and 95 % interval coverage of Trede's
  default estimator per instrument and horizon over several seeds (`validation.validate`),
  plus the overall coverage.
- `city_benchmark(folder, ...)`: one large city read from its CSV folder (reading is not
  timed). Trede's full run (panel, every instrument, five segment dimensions) is timed
  and compared with EconML's `DRLearner` on the same rows (`fair_inputs`): Trede's
  sampled person-months of each instrument minus the rows Trede trimmed for overlap, the
  same encoded covariates, and `min_propensity` equal to the propensity clip Trede
  applied. Its ATT is the mean CATE over the treated rows (see `econml_att` for its
  interval). Both are scored against the truth per instrument and in summary (mean and
  median absolute error, coverage, wall time), with a plain verdict (`verdict`).

Pure Python: no Django. EconML is an optional dependency (the `bench` extra) and is
imported lazily; without it the city benchmark runs Trede only, still reports what
EconML would have been given, and says that nothing of EconML was measured.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .errors import NoOverlap
from .frames import read_interchange_folder
from .instruments import estimate_instruments, fit_instrument
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


def econml_options(learner: str, *, cv: int, seed: int, min_propensity: float) -> dict[str, Any]:
    """Keyword arguments for `econml.dr.DRLearner`; `min_propensity` must be Trede's clip.

    EconML floors every class probability at `min_propensity` (so e in [m, 1 - m]); Trede,
    for the ATT, caps e at 1 - clip and leaves small scores alone because its ATT formula
    never divides by e. Given the same number, the cap near 1 is identical; the floor is
    what EconML's ATE-style pseudo-outcome (divides by e) needs and Trede's formula does
    not. Without it (EconML's default 1e-6) a treated row with e = 0.0006 gets a
    pseudo-outcome of about 1,600.
    """
    if learner == "linear":
        from sklearn.linear_model import LinearRegression, LogisticRegression

        propensity, regression = LogisticRegression(C=1.0, max_iter=1000), LinearRegression()
    else:
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

        propensity = HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=seed)
        regression = HistGradientBoostingRegressor(max_iter=100, early_stopping=False, random_state=seed)
    return {
        "model_propensity": propensity,
        "model_regression": regression,
        "min_propensity": float(min_propensity),
        "cv": cv,
        "random_state": seed,
    }


@dataclass(frozen=True)
class FairInputs:
    """What EconML gets for one instrument: Trede's own rows and clip, after Trede's trimming.

    `rows` index `panel.rows`: the treated starts and sampled controls Trede fitted on,
    without those Trede trimmed for overlap (propensity above its bound, or a start month
    without controls). `min_propensity` is the fitted Trede estimator's `clip`, read from
    that estimator, so the two cannot drift apart. `trede_estimate` is that fit's ATT (it
    equals the timed run's, which the report checks).
    """

    instrument: str
    rows: np.ndarray
    t: np.ndarray
    min_propensity: float
    trim_high: float | None
    n_trimmed_treated: int
    n_trimmed_control: int
    trede_estimate: float
    trede_learner: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": int(len(self.rows)),
            "n_treated": int(self.t.sum()),
            "n_control": int((self.t == 0).sum()),
            "min_propensity": self.min_propensity,
            "trim_high": self.trim_high,
            "n_trimmed_treated": self.n_trimmed_treated,
            "n_trimmed_control": self.n_trimmed_control,
        }


def fair_inputs(panel: Panel, instrument: str, **trede_options: Any) -> FairInputs | None:
    """Refit Trede's estimator exactly as the timed run does and take its rows, trim and clip.

    `trede_options` must be the options the timed run passed (seed, control_ratio, ...).
    None when Trede has no estimate for the instrument (too few starts, no overlap): then
    there are no common rows to compare on.
    """
    options = {k: v for k, v in trede_options.items() if k != "segments"}
    try:
        fitted = fit_instrument(panel, instrument, **options)
    except NoOverlap:
        return None
    if fitted is None:
        return None
    est = fitted.estimator
    keep = est.keep_
    return FairInputs(
        instrument=instrument,
        rows=fitted.rows[keep],
        t=fitted.t[keep],
        min_propensity=float(est.clip),
        trim_high=None if est.trim_.high is None else float(est.trim_.high),
        n_trimmed_treated=int(est.trim_.n_trimmed_treated),
        n_trimmed_control=int(est.trim_.n_trimmed_control),
        trede_estimate=float(est.result_.estimate),
        trede_learner=f"{est.method} {getattr(est, 'learner', 'linear')}, {getattr(est, 'n_folds', 1)} folds",
    )


def econml_att(
    panel: Panel, inputs: FairInputs, *, learner: str = "boosting", cv: int = 2, seed: int = 0
) -> dict[str, Any]:
    """EconML DRLearner on `inputs` (Trede's trimmed rows): ATT = mean CATE over the treated.

    Covariates are Trede's encoded design matrix (standardised, so that the linear learners
    converge); cross-fitting folds are grouped by client. The controls are Trede's uniform
    sample (probability q, the same for every control), so they are not reweighted: a
    constant control weight leaves E[Y0 | X] and hence the ATT unchanged, while weights
    1/q would push the treated's propensities towards the population's 0.001-0.01 and
    with them the pseudo-outcomes up. The final stage is linear in X, so the mean CATE
    over the treated equals the CATE at their mean covariates; its interval is the one
    `effect_inference` gives there (coefficient covariance, heteroskedasticity-robust, not
    clustered by client).
    """
    from econml.dr import DRLearner

    rows, t = inputs.rows, inputs.t
    matrix, _ = panel.design(rows)
    scale = matrix.std(axis=0)
    keep = scale > 0
    x = ((matrix - matrix.mean(axis=0)) / np.where(keep, scale, 1.0))[:, keep]
    y = panel.rows["outcome"].to_numpy()[rows].astype(float)
    model = DRLearner(**econml_options(learner, cv=cv, seed=seed, min_propensity=inputs.min_propensity))
    model.fit(y, t, X=x, groups=panel.rows["client"].to_numpy()[rows])
    treated_x = x[t == 1]
    out: dict[str, Any] = {
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
    reported too. Preparing the fair inputs (refitting Trede without segments to learn
    its trimmed rows) is timed apart and counted for neither. Wall-clock and CPU seconds
    are both given, with the load average, because the machine may be shared.
    """
    report = progress or _noop
    folder = Path(folder)
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    load_before = _load()
    began = time.perf_counter()
    frames = read_interchange_folder(folder)
    read_seconds = time.perf_counter() - began

    wanted = econml
    econml_note = None
    if econml:
        try:
            import econml as _econml  # noqa: F401
        except ImportError:
            econml, econml_note = False, ECONML_MISSING

    # One set of options for the timed run and for the refit that yields EconML's rows.
    trede_options: dict[str, Any] = {"seed": seed, "control_ratio": control_ratio}
    rows: list[dict[str, Any]] = []
    timing = {"read_seconds": round(read_seconds, 2), "trede_seconds": 0.0, "trede_cpu_seconds": 0.0}
    if wanted:
        timing["fair_inputs_seconds"] = 0.0
    if econml:
        timing.update(
            econml_panel_seconds=0.0, econml_fit_seconds=0.0, econml_seconds=0.0, econml_cpu_seconds=0.0
        )
    panel_rows = {}
    prepared_inputs: list[FairInputs] = []
    for h in horizons:
        wall, cpu = time.perf_counter(), time.process_time()
        result = estimate_instruments(
            frames,
            horizon=h,
            until=truth["data_end"],
            segments=SEGMENT_DIMENSIONS,
            progress=report,
            **trede_options,
        )
        timing["trede_seconds"] += time.perf_counter() - wall
        timing["trede_cpu_seconds"] += time.process_time() - cpu

        inputs: dict[str, FairInputs | None] = {}
        fitted: dict[str, dict[str, Any]] = {}
        if wanted:
            wall, cpu = time.perf_counter(), time.process_time()
            panel = build_panel(frames, horizon=h, until=truth["data_end"])
            panel_seconds = time.perf_counter() - wall
            panel_cpu = time.process_time() - cpu
            panel_rows[str(h)] = len(panel.rows)
            report(f"EconML H={h}", 0, len(panel.instruments))
            fit_wall = fit_cpu = 0.0
            for code in panel.instruments:
                prepared = time.perf_counter()
                with threadpool_limits(limits=1, user_api="blas"):  # as Trede's own run
                    inputs[code] = fair_inputs(panel, code, **trede_options)
                if inputs[code] is not None:
                    prepared_inputs.append(inputs[code])
                timing["fair_inputs_seconds"] += time.perf_counter() - prepared
                if econml and inputs[code] is not None:
                    wall, cpu = time.perf_counter(), time.process_time()
                    try:
                        fitted[code] = econml_att(
                            panel, inputs[code], learner=econml_learner, cv=cv, seed=seed
                        )
                    except Exception as exc:  # one failing instrument should not end the benchmark
                        fitted[code] = {"estimate": None, "ci_low": None, "ci_high": None, "error": str(exc)}
                    fit_wall += time.perf_counter() - wall
                    fit_cpu += time.process_time() - cpu
                report(f"EconML H={h}", 1, len(panel.instruments))
            if econml:
                timing["econml_panel_seconds"] += panel_seconds
                timing["econml_fit_seconds"] += fit_wall
                timing["econml_seconds"] += panel_seconds + fit_wall
                timing["econml_cpu_seconds"] += panel_cpu + fit_cpu

        for code, effect in result.instruments.items():
            r = effect.result
            true = _finite(truth["instruments"].get(code, {}).get("att", {}).get(str(h)))
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
            if wanted:
                given = inputs.get(code)
                row["econml_inputs"] = None if given is None else given.to_dict()
                # The refit must be the timed fit, or EconML was handed other rows.
                row["same_rows"] = (
                    None
                    if given is None or r is None
                    else bool(
                        given.trede_estimate == r.estimate
                        and int(given.t.sum()) == r.n_treated
                        and int((given.t == 0).sum()) == r.n_control
                    )
                )
            if econml:
                e = fitted.get(code) or {"estimate": None, "ci_low": None, "ci_high": None}
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
    clips = {r["econml_inputs"]["min_propensity"] for r in rows if r.get("econml_inputs")}
    out = {
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
        "fairness": {
            "rows": "Trede's sampled rows per instrument minus the rows Trede trimmed for overlap",
            "covariates": "Trede's encoded design matrix (standardised for EconML)",
            "min_propensity": sorted(clips)[0] if len(clips) == 1 else sorted(clips) or None,
            "controls_weighted": False,
            # Not made equal: each side keeps its own nuisance learners (the speed is theirs).
            "learners": {
                "trede": sorted({i.trede_learner for i in prepared_inputs}),
                "econml": f"{econml_learner}, cv={cv}",
            },
        }
        if wanted
        else None,
        "load_average": {"before": load_before, "after": _load()},
        "timing": timing,
        "accuracy": _accuracies(rows, econml),
        "rows": rows,
    }
    out["verdict"] = verdict(out)
    return out


def _load() -> list[float] | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def _abs_error(estimate: float | None, truth: float | None) -> float | None:
    return None if estimate is None or truth is None else abs(estimate - truth)


def _accuracies(rows: list[dict[str, Any]], econml: bool) -> dict[str, Any]:
    """Per side over all its rows, and both over the instruments both estimated."""
    out: dict[str, Any] = {"trede": _accuracy(rows, "trede")}
    if econml:
        out["econml"] = _accuracy(rows, "econml")
        common = [
            r for r in rows if r.get("trede_abs_error") is not None and r.get("econml_abs_error") is not None
        ]
        out["common"] = {
            "instruments": len(common),
            "trede": _accuracy(common, "trede"),
            "econml": _accuracy(common, "econml"),
        }
    return out


def _accuracy(rows: list[dict[str, Any]], who: str) -> dict[str, Any]:
    errors = [r[f"{who}_abs_error"] for r in rows if r.get(f"{who}_abs_error") is not None]
    covers = [r[f"{who}_covers"] for r in rows if r.get(f"{who}_covers") is not None]
    return {
        "compared": len(errors),
        "mean_abs_error": float(np.mean(errors)) if errors else None,
        "median_abs_error": float(np.median(errors)) if errors else None,
        "max_abs_error": float(np.max(errors)) if errors else None,
        "intervals": len(covers),
        "covered": int(sum(covers)),
        "coverage": float(np.mean(covers)) if covers else None,
    }


SPEED_GOAL = 5.0  # issue 13: Trede at least as accurate as the fair EconML and at least 5× faster


def verdict(result: dict[str, Any]) -> dict[str, Any]:
    """Which is more accurate and which is faster on the same rows, in plain Dutch.

    Accuracy is the mean absolute error over the instruments both estimated; speed the
    wall time of the whole runs. Nothing is said about EconML that was not measured.
    """
    if not result["econml"]:
        why = result["econml_note"] or "EconML overgeslagen (--no-econml)"
        return {
            "more_accurate": None,
            "faster": None,
            "goal_met": None,
            "text": f"Geen vergelijking: EconML is in deze run niet gemeten. {why}",
        }
    common = result["accuracy"]["common"]
    a, b = common["trede"]["mean_abs_error"], common["econml"]["mean_abs_error"]
    ratio = result["timing"].get("ratio_econml_trede")
    if a is None or b is None:
        accurate, acc_text = None, "geen instrument met een schatting van beide"
    else:
        accurate = "trede" if a < b else "econml" if b < a else "gelijk"
        name = {
            "trede": "Trede is nauwkeuriger",
            "econml": "EconML is nauwkeuriger",
            "gelijk": "even nauwkeurig",
        }
        acc_text = (
            f"{name[accurate]} op dezelfde rijen (gemiddelde |fout| Trede {a:.4f}, EconML {b:.4f},"
            f" over {common['instruments']} instrumenten; mediaan {common['trede']['median_abs_error']:.4f}"
            f" tegen {common['econml']['median_abs_error']:.4f})"
        )
    if ratio is None:
        faster, speed_text = None, "geen tijd gemeten"
    else:
        faster = "trede" if ratio > 1 else "econml" if ratio < 1 else "gelijk"
        speed_text = (
            f"Trede is {ratio:.1f}× zo snel als EconML"
            if ratio >= 1
            else f"EconML is {1 / ratio:.1f}× zo snel als Trede"
        )
    goal = None
    if accurate is not None and ratio is not None:
        goal = bool(accurate in ("trede", "gelijk") and ratio >= SPEED_GOAL)
    goal_text = (
        ""
        if goal is None
        else f" Doel (minstens even nauwkeurig en ≥ {SPEED_GOAL:.0f}× sneller): {'gehaald' if goal else 'niet gehaald'}."
    )
    return {
        "more_accurate": accurate,
        "faster": faster,
        "goal_met": goal,
        "text": f"{acc_text}; {speed_text} (wandtijd, hele runs).{goal_text}",
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
        f"{'instrument':<16} {'H':>3} {'starts':>6} {'waar':>7} {'Trede [95 %-interval]':>28}"
        f" {'|fout|':>6} {'dekt':>4}"
    )
    if econml:
        head += f" {'EconML [95 %-interval]':>28} {'|fout|':>6} {'dekt':>4}"
    lines.append(head)
    for r in result["rows"]:
        trede = _with_ci(r["trede_estimate"], r["trede_ci_low"], r["trede_ci_high"])
        line = (
            f"{r['instrument']:<16} {r['horizon']:>3} {r['n_treated']:>6} {_p(r['truth']):>7} {trede:>28}"
            f" {_p(r['trede_abs_error'], False):>6} {_yes(r['trede_covers']):>4}"
        )
        if econml:
            other = _with_ci(r["econml_estimate"], r["econml_ci_low"], r["econml_ci_high"])
            line += f" {other:>28} {_p(r['econml_abs_error'], False):>6} {_yes(r['econml_covers']):>4}"
        lines.append(line)
    lines.append("")
    acc = result["accuracy"]
    sides = (
        [("Trede", acc["common"]["trede"]), ("EconML", acc["common"]["econml"])]
        if econml
        else [("Trede", acc["trede"])]
    )
    if econml:
        lines.append(f"over de {acc['common']['instruments']} instrumenten met een schatting van beide:")
    for label, a in sides:
        cov = "-" if a["coverage"] is None else f"{a['covered']}/{a['intervals']} intervallen"
        lines.append(
            f"{label:<7} gemiddelde |fout| {_p(a['mean_abs_error'], False)}, mediaan"
            f" {_p(a['median_abs_error'], False)}, grootste {_p(a['max_abs_error'], False)},"
            f" dekking {cov}"
        )
    fair = result.get("fairness")
    if fair:
        given = "EconML kreeg" if econml else "Klaargezet voor EconML (niet gedraaid):"
        lines += [
            "",
            f"{given} dezelfde rijen als Trede (na Trede's trimming voor overlap), dezelfde"
            f" covariaten en min_propensity = Trede's clip {fair['min_propensity']}; eigen leerders:"
            f" Trede {', '.join(fair['learners']['trede'])}, EconML {fair['learners']['econml']}",
        ]
    lines += [
        "",
        f"inlezen CSV-map (niet meegeteld): {t['read_seconds']:.1f} s",
        f"Trede  (panel + alle instrumenten + 5 segmentdimensies): {t['trede_seconds']:.1f} s"
        f" (CPU {t['trede_cpu_seconds']:.1f} s)",
    ]
    if "fair_inputs_seconds" in t:
        lines.append(
            f"rijen en clip voor EconML klaarzetten (niet meegeteld): {t['fair_inputs_seconds']:.1f} s"
        )
    if econml:
        lines += [
            f"EconML (hetzelfde panel {t['econml_panel_seconds']:.1f} s + DRLearner cv={result['cv']},"
            f" {result['econml_learner']}: {t['econml_fit_seconds']:.1f} s): {t['econml_seconds']:.1f} s"
            f" (CPU {t['econml_cpu_seconds']:.1f} s)",
            f"verhouding EconML/Trede: {t['ratio_econml_trede']:.2f}"
            f" (alleen de fits: {t['ratio_econml_fits_trede']:.2f})",
        ]
    load = result.get("load_average") or {}
    if load.get("before"):
        lines.append(f"belasting van de machine (1/5/15 min): voor {load['before']}, na {load['after']}")
    lines += ["", result["verdict"]["text"]]
    return "\n".join(lines) + "\n"


def _yes(flag: bool | None) -> str:
    return "-" if flag is None else "ja" if flag else "nee"


def _with_ci(estimate: float | None, low: float | None, high: float | None) -> str:
    if estimate is None:
        return "-"
    if low is None or high is None:
        return _p(estimate)
    return f"{_p(estimate)} [{_p(low)}, {_p(high)}]"


def results_frame(result: dict[str, Any]) -> pd.DataFrame:
    """The per-row table of either benchmark as a DataFrame (for notebooks)."""
    return pd.DataFrame(result["rows"])
