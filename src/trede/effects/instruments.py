"""Effects per instrument and per segment from the person-month panel ("wat werkt voor wie").

For each instrument the treated starts and a weighted sample of the eligible control
client-months go into the doubly robust AIPW estimator (ATT, start months as strata,
standard errors clustered by client). Segment effects come from the same fit (DR-learner).

Control subsampling: the eligible control client-months of an instrument number up to
about a million, most of them nearly alike. Each is kept with probability
q = min(1, max(control_ratio * n_treated, min_controls) / n_eligible) and weighted 1/q;
the same uniform draw per client-month is used for every instrument, so the samples are
nested and reproducible (`seed`). The extra variance is small (the control side's share of
the variance shrinks like 1 / control_ratio) and is included in the interval because
the weights enter the influence-function variance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .errors import NoOverlap
from .estimators import ESTIMATORS
from .panel import SEGMENT_DIMENSIONS, Panel, build_panel
from .result import EffectResult, SubgroupEffect

Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class InstrumentEffect:
    """The effect of starting one instrument, overall and per segment.

    `n_control` counts the eligible control client-months (the population the weighted
    sample stands for); `result.n_control` the sampled rows that entered the estimate.
    `result` is None when there were fewer than `min_treated` starts, or when no start
    had comparable controls (`no_overlap`).
    """

    instrument: str
    n_starts: int
    n_control: int
    result: EffectResult | None
    segments: Mapping[str, Mapping[str, SubgroupEffect]] = field(default_factory=dict)
    no_overlap: bool = False

    def to_dict(self, *, segments: bool = False) -> dict[str, Any]:
        r = self.result
        out: dict[str, Any] = {
            "estimate": None if r is None else _num(r.estimate),
            "ci_low": None if r is None else _num(r.ci_low),
            "ci_high": None if r is None else _num(r.ci_high),
            "n_treated": self.n_starts if r is None else r.n_treated,
            "n_control": self.n_control,
            "n_starts": self.n_starts,
            "n_control_sampled": None if r is None else r.n_control,
            "std_error": None if r is None else _num(r.std_error),
            "method": None if r is None else r.method,
            "no_overlap": self.no_overlap,
        }
        if r is not None and r.diagnostics is not None:
            o = r.diagnostics.overlap
            out["n_trimmed"] = o.n_trimmed_treated
            out["share_trimmed"] = o.share_trimmed_treated
            out["max_abs_smd_before"] = _num(r.diagnostics.balance.max_abs_before)
            out["max_abs_smd_after"] = _num(r.diagnostics.balance.max_abs_after)
            out["evalue"] = _num(r.diagnostics.sensitivity.evalue_estimate)
            out["evalue_ci"] = _num(r.diagnostics.sensitivity.evalue_ci)
        if segments:
            out["segments"] = {
                dim: {level: seg.to_dict() for level, seg in levels.items()}
                for dim, levels in self.segments.items()
            }
        return out


def _num(value: float) -> float | None:
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class InstrumentsReport:
    horizon_months: int
    outcome: str
    start_months: tuple[str, str]
    instruments: Mapping[str, InstrumentEffect]

    def to_dict(self, *, segments: bool = False) -> dict[str, Any]:
        return {
            "horizon_months": self.horizon_months,
            "outcome": self.outcome,
            "start_months": list(self.start_months),
            "instruments": {code: eff.to_dict(segments=segments) for code, eff in self.instruments.items()},
        }


def sampled_rows(
    panel: Panel,
    instrument: str,
    *,
    control_ratio: float = 10.0,
    min_controls: int = 5000,
    min_treated: int = 10,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The rows an instrument's estimate is fitted on: (row index, treatment 0/1, q), or None
    when there are too few starts or no controls.

    Every treated start is kept; each eligible control client-month is kept with
    probability q (the same seeded uniform draw per client-month for every instrument) and
    weighted 1/q. The benchmark calls this too, so another estimator sees exactly these rows.
    """
    treated, control = panel.arms(instrument)
    n_t, n_c = int(treated.sum()), int(control.sum())
    if n_t < min_treated or n_c == 0:
        return None
    draw = np.random.default_rng(seed).random(len(treated))
    q = min(1.0, max(control_ratio * n_t, min_controls) / n_c)
    rows = np.flatnonzero(treated | (control & (draw < q)))
    return rows, treated[rows].astype(float), q


@dataclass(frozen=True)
class FittedInstrument:
    """One instrument's fitted estimator and the rows it was fitted on.

    `rows` index `panel.rows` (the treated starts and the sampled controls), `t` is their
    treatment, `q` the controls' sampling probability, `estimator` the fitted Trede
    estimator (its `keep_` marks the rows left after trimming for overlap and its `clip`
    the propensity clip it applied). The benchmark hands exactly these to EconML.
    """

    rows: np.ndarray
    t: np.ndarray
    q: float
    estimator: Any


def fit_instrument(
    panel: Panel,
    instrument: str,
    *,
    method: str = "aipw",
    control_ratio: float = 10.0,
    min_controls: int = 5000,
    min_treated: int = 10,
    seed: int = 0,
    estimator_options: Mapping[str, Any] | None = None,
) -> FittedInstrument | None:
    """Fit the instrument's estimator on its sampled rows; None when there are too few starts.

    Raises `NoOverlap` when no start has comparable controls.
    """
    sample = sampled_rows(
        panel,
        instrument,
        control_ratio=control_ratio,
        min_controls=min_controls,
        min_treated=min_treated,
        seed=seed,
    )
    if sample is None:
        return None
    rows, t, q = sample
    frame = panel.rows
    options = dict(estimand="att", random_state=seed, **(estimator_options or {}))
    if method == "aipw":
        options.setdefault("n_folds", 3)
    estimator = ESTIMATORS[method](**options)
    matrix, names = panel.design(rows)
    estimator.fit(
        pd.DataFrame(matrix, columns=names),
        t,
        frame["outcome"].to_numpy()[rows],
        sample_weight=np.where(t == 1, 1.0, 1.0 / q),
        cluster=frame["client"].to_numpy()[rows],
        strata=frame["month"].to_numpy()[rows],
    )
    return FittedInstrument(rows, t, q, estimator)


def estimate_instrument(
    panel: Panel,
    instrument: str,
    *,
    method: str = "aipw",
    segments: Sequence[str] = SEGMENT_DIMENSIONS,
    control_ratio: float = 10.0,
    min_controls: int = 5000,
    min_treated: int = 10,
    min_segment_treated: int = 30,
    seed: int = 0,
    estimator_options: Mapping[str, Any] | None = None,
) -> InstrumentEffect:
    treated, control = panel.arms(instrument)
    n_t, n_c = int(treated.sum()), int(control.sum())
    try:
        fitted = fit_instrument(
            panel,
            instrument,
            method=method,
            control_ratio=control_ratio,
            min_controls=min_controls,
            min_treated=min_treated,
            seed=seed,
            estimator_options=estimator_options,
        )
    except NoOverlap:
        # One instrument without comparable controls must not sink the other instruments.
        return InstrumentEffect(instrument, n_t, n_c, None, no_overlap=True)
    if fitted is None:
        return InstrumentEffect(instrument, n_t, n_c, None)
    estimator = fitted.estimator
    by_segment: dict[str, dict[str, SubgroupEffect]] = {}
    if segments and hasattr(estimator, "effect_by"):
        for dim in segments:
            by_segment[dim] = estimator.effect_by(
                panel.rows[dim].to_numpy()[fitted.rows], dimension=dim, min_treated=min_segment_treated
            )
    return InstrumentEffect(instrument, n_t, n_c, estimator.result_, by_segment)


def estimate_instruments(
    frames: Mapping[str, pd.DataFrame],
    *,
    horizon: int,
    until: date | str,
    start: date | str | None = None,
    regulations: Sequence[str] = ("pw",),
    outcome: str = "werk",
    instruments: Sequence[str] | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> InstrumentsReport:
    """Effects of every instrument (or those named) on outflow to work within `horizon` months.

    `frames` are interchange-shaped DataFrames (clients, benefits, diagnoses,
    trajectories, placements). Options go to `estimate_instrument` (method, segments,
    control_ratio, min_controls, min_treated, seed, estimator_options).
    """
    report = progress or (lambda phase, advance, total: None)
    report("Panel opbouwen", 0, 1)
    panel = build_panel(
        frames, horizon=horizon, until=until, start=start, regulations=regulations, outcome=outcome
    )
    report("Panel opbouwen", 1, 1)
    codes = list(instruments) if instruments is not None else panel.instruments
    results = {}
    report("Instrumenten schatten", 0, len(codes))
    # The matrices are small (tens of columns): a second BLAS thread gains little and, on
    # a busy machine, oversubscription made each Gram matrix several times slower.
    with threadpool_limits(limits=1, user_api="blas"):
        for code in codes:
            results[code] = estimate_instrument(panel, code, **options)
            report("Instrumenten schatten", 1, len(codes))
    months = panel.start_months
    return InstrumentsReport(horizon, outcome, (months[0], months[-1]), results)
