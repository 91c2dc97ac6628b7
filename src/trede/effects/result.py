"""Immutable result objects of the effect estimators.

Results are frozen so that a figure, once estimated, cannot drift between the place where
it is computed and the report or JSON where it ends up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import Any


def _frozen_map(values: Mapping[str, float] | None) -> Mapping[str, float]:
    return MappingProxyType(dict(values or {}))


def _jsonable(value: Any) -> Any:
    """Plain JSON types; NaN and infinity become None (JSON has no such numbers)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


@dataclass(frozen=True)
class OverlapDiagnostics:
    """Common support: how far apart treated and controls are on the propensity score.

    `trim_low`/`trim_high` are the bounds outside which units were removed (`trim_low` only
    for the ATE); at most `max_trim_share` of the treated may be removed by design.
    Effective sample sizes are Kish's (sum w)^2 / sum w^2 of the final weights per arm.
    """

    propensity_treated_min: float
    propensity_treated_max: float
    propensity_control_min: float
    propensity_control_max: float
    trim_low: float | None
    trim_high: float | None
    n_trimmed_treated: int
    n_trimmed_control: int
    share_trimmed_treated: float
    ess_treated: float
    ess_control: float


@dataclass(frozen=True)
class BalanceDiagnostics:
    """Standardised mean differences per covariate before and after weighting.

    Both use the same denominator, the pooled standard deviation of the unweighted arms
    (sqrt((s_t^2 + s_c^2) / 2)), so that the two columns can be compared directly.
    """

    smd_before: Mapping[str, float] = field(default_factory=dict)
    smd_after: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "smd_before", _frozen_map(self.smd_before))
        object.__setattr__(self, "smd_after", _frozen_map(self.smd_after))

    @property
    def max_abs_before(self) -> float:
        return max((abs(v) for v in self.smd_before.values()), default=0.0)

    @property
    def max_abs_after(self) -> float:
        return max((abs(v) for v in self.smd_after.values()), default=0.0)


@dataclass(frozen=True)
class Sensitivity:
    """E-values (VanderWeele & Ding 2017) on the risk-ratio scale.

    `scale` says how the estimate was put on that scale: `risk_ratio` for a 0/1 outcome
    (RR = (p0 + effect) / p0 with p0 the estimated outcome risk without treatment) or
    `smd_approx` for other outcomes (RR ~ exp(0.91 * effect / sd)).
    """

    risk_ratio: float
    evalue_estimate: float
    evalue_ci: float
    baseline: float
    scale: str


@dataclass(frozen=True)
class Diagnostics:
    overlap: OverlapDiagnostics
    balance: BalanceDiagnostics
    sensitivity: Sensitivity


@dataclass(frozen=True)
class EffectResult:
    """One estimated effect with its 95 % interval, sizes, method and diagnostics.

    `n_treated` and `n_control` are rows (after trimming) that entered the estimate;
    `weighted_n_control` is the sum of their sample weights, i.e. the number of control
    rows they stand for when controls were subsampled.
    """

    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    n_treated: int
    n_control: int
    method: str
    estimand: str
    diagnostics: Diagnostics | None = None
    weighted_n_control: float = math.nan
    n_clusters: int | None = None

    def to_dict(self, *, diagnostics: bool = True) -> dict[str, Any]:
        out = {
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
            "method": self.method,
            "estimand": self.estimand,
            "std_error": self.std_error,
            "weighted_n_control": self.weighted_n_control,
            "n_clusters": self.n_clusters,
        }
        if diagnostics and self.diagnostics is not None:
            d = self.diagnostics
            out["diagnostics"] = {
                "overlap": asdict(d.overlap),
                "balance": {
                    "smd_before": dict(d.balance.smd_before),
                    "smd_after": dict(d.balance.smd_after),
                    "max_abs_smd_before": d.balance.max_abs_before,
                    "max_abs_smd_after": d.balance.max_abs_after,
                },
                "sensitivity": asdict(d.sensitivity),
            }
        return _jsonable(out)


@dataclass(frozen=True)
class SubgroupEffect:
    """The effect within one subgroup (segment), with flags for figures not to lean on.

    `small_n`: fewer treated than the minimum; `poor_overlap`: more than 10 % of the
    subgroup's treated were trimmed, or the controls' effective sample size is below the
    number of treated (a handful of controls carry the comparison).
    """

    dimension: str
    level: str
    result: EffectResult
    small_n: bool
    poor_overlap: bool

    def to_dict(self) -> dict[str, Any]:
        out = self.result.to_dict(diagnostics=False)
        out.update(small_n=self.small_n, poor_overlap=self.poor_overlap)
        return out
