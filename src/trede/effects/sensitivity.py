"""E-values: how strong unmeasured confounding would have to be to explain an effect away.

VanderWeele & Ding (2017), "Sensitivity analysis in observational research: introducing
the E-value", Annals of Internal Medicine 167(4). The E-value is the minimum strength of
association, on the risk-ratio scale, that an unmeasured confounder would need with both
the treatment and the outcome to move the estimate (or its interval) to the null.
"""

from __future__ import annotations

import math

from .result import Sensitivity

# VanderWeele & Ding's conversion of a standardised mean difference d to an approximate
# risk ratio, RR ~ exp(0.91 d), for outcomes that are not 0/1.
_SMD_TO_LOG_RR = 0.91


def evalue_rr(rr: float) -> float:
    """E-value of a risk ratio: RR + sqrt(RR (RR - 1)), after inverting a protective RR."""
    if not math.isfinite(rr) or rr <= 0:
        return math.inf if rr == 0 or rr == math.inf else math.nan
    if rr < 1:
        rr = 1 / rr
    return rr + math.sqrt(rr * (rr - 1))


def evalue_ci(rr_low: float, rr_high: float) -> float:
    """E-value of the interval: 1 when it contains the null, else of the bound nearest 1."""
    if rr_low <= 1 <= rr_high:
        return 1.0
    nearest = rr_low if rr_low > 1 else rr_high
    return evalue_rr(nearest)


def _rr_from_difference(diff: float, baseline: float) -> float:
    if baseline <= 0:
        return math.nan
    # A difference that pushes the treated risk to or below zero is an extreme protective
    # effect; a tiny positive floor keeps the E-value finite but very large.
    return max(baseline + diff, 1e-12) / baseline


def sensitivity_for_difference(
    estimate: float, ci_low: float, ci_high: float, *, baseline: float, outcome_sd: float | None = None
) -> Sensitivity:
    """E-values for an effect measured as a difference.

    For a 0/1 outcome pass `baseline` = p0, the estimated risk without treatment in the
    target population, and leave `outcome_sd` empty: RR = (p0 + effect) / p0, holding p0
    fixed for the interval bounds. For other outcomes pass `outcome_sd` and the
    difference is converted with RR ~ exp(0.91 * effect / sd).
    """
    if outcome_sd is None:
        rr = _rr_from_difference(estimate, baseline)
        rr_low = _rr_from_difference(ci_low, baseline)
        rr_high = _rr_from_difference(ci_high, baseline)
        scale = "risk_ratio"
    else:
        sd = outcome_sd if outcome_sd > 0 else math.nan
        rr, rr_low, rr_high = (math.exp(_SMD_TO_LOG_RR * v / sd) for v in (estimate, ci_low, ci_high))
        scale = "smd_approx"
    if any(math.isnan(v) for v in (rr, rr_low, rr_high)):
        return Sensitivity(math.nan, math.nan, math.nan, baseline, scale)
    return Sensitivity(
        risk_ratio=rr,
        evalue_estimate=evalue_rr(rr),
        evalue_ci=evalue_ci(rr_low, rr_high),
        baseline=baseline,
        scale=scale,
    )
