"""Shared machinery of the weighting estimators: trimming, normalised contrasts, variance.

Every estimator here is written as a sum of per-row contributions (its linearisation or
influence function), so that one variance formula serves them all, and clustering by
person is a matter of summing the contributions per person first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InvalidSetting

ESTIMANDS = ("att", "ate")


@dataclass(frozen=True)
class Trim:
    keep: np.ndarray
    low: float | None
    high: float | None
    n_trimmed_treated: int
    n_trimmed_control: int


def bounded_trim(
    e: np.ndarray,
    t: np.ndarray,
    *,
    estimand: str,
    threshold: float = 0.9,
    max_share: float = 0.05,
    strata: np.ndarray | None = None,
) -> Trim:
    """Drop units outside the region where both arms are present, removing few treated.

    Treated with a propensity above `threshold` (and, for the ATE, below 1 - threshold)
    have hardly any comparable controls. They are removed, but the bounds are widened to
    the treated's (1 - max_share) quantiles when needed, so that at most `max_share` of the
    treated go: the estimand stays (almost) the effect on the treated that were asked
    about. Controls outside the same bounds go too, because beyond them they only stand
    for treated that were removed. Strata left with one arm only are removed as well.
    """
    if estimand not in ESTIMANDS:
        raise InvalidSetting("estimand", estimand, ESTIMANDS)
    treated = t == 1
    e_t = np.sort(e[treated])
    n_t = len(e_t)
    # Bounds from order statistics, so that ties at a bound are kept and no more than
    # floor(max_share * n_treated) treated fall outside.
    removable = int(np.floor(max_share * n_t))
    if estimand == "att":
        low = None
        high = max(threshold, float(e_t[n_t - 1 - removable])) if n_t else 1.0
        keep = e <= high
    else:
        from_low = removable // 2
        low = min(1 - threshold, float(e_t[from_low])) if n_t else 0.0
        high = max(threshold, float(e_t[n_t - 1 - (removable - from_low)])) if n_t else 1.0
        keep = (e >= low) & (e <= high)
    if strata is not None:
        keep &= _both_arms_present(t, keep, strata, need_treated=estimand == "ate")
    return Trim(
        keep=keep,
        low=low,
        high=high,
        n_trimmed_treated=int((treated & ~keep).sum()),
        n_trimmed_control=int((~treated & ~keep).sum()),
    )


def _both_arms_present(
    t: np.ndarray, keep: np.ndarray, strata: np.ndarray, *, need_treated: bool
) -> np.ndarray:
    n_strata = int(strata.max()) + 1 if strata.size else 0
    n_t = np.bincount(strata[keep & (t == 1)], minlength=n_strata)
    n_c = np.bincount(strata[keep & (t == 0)], minlength=n_strata)
    ok = n_c > 0
    if need_treated:
        ok &= n_t > 0
    else:
        # For the ATT a stratum without treated carries no weight; its controls may stay.
        ok |= n_t == 0
    return ok[strata]


def _sums(values: np.ndarray, strata: np.ndarray, n_strata: int) -> np.ndarray:
    return np.bincount(strata, weights=values, minlength=n_strata)


def _safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros_like(num, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out


@dataclass(frozen=True)
class Contrast:
    """A normalised (Hajek) weighted contrast and its per-row linearisation.

    `contributions` sum to zero and satisfy estimate - truth ~ sum(contributions).
    `weights` are the final balancing weights (treated and controls each summing to the
    target population's weight per stratum); `p1` the mean outcome under treatment in the
    target population (for the E-value's baseline p1 - estimate).
    """

    estimate: float
    contributions: np.ndarray
    weights: np.ndarray
    p1: float


def att_contrast(
    y: np.ndarray,
    t: np.ndarray,
    w: np.ndarray,
    e: np.ndarray,
    mu0: np.ndarray | None = None,
    strata: np.ndarray | None = None,
) -> Contrast:
    """Effect on the treated: treated mean of (y - mu0) minus the odds-weighted control mean.

    With mu0 = 0 this is inverse-probability weighting with normalised weights; with a
    cross-fitted outcome model it is the doubly robust (AIPW) estimator of the ATT
    (consistent when either the propensity or the outcome model is right). Within strata
    (e.g. start months) controls are only compared with treated of their own stratum.
    """
    strata = np.zeros(len(y), dtype=np.int64) if strata is None else strata
    n_s = int(strata.max()) + 1 if strata.size else 1
    resid = y - (0.0 if mu0 is None else mu0)
    a = w * t
    b = w * (1 - t) * e / (1 - e)
    sa, sb = _sums(a, strata, n_s), _sums(b, strata, n_s)
    total_a = sa.sum()
    mean_b = _safe_div(_sums(b * resid, strata, n_s), sb)
    estimate = float((a * resid).sum() / total_a - (sa * mean_b).sum() / total_a)
    ratio = _safe_div(sa, sb)[strata]
    b_res = resid - mean_b[strata]
    contributions = (a * (b_res - estimate) - ratio * b * b_res) / total_a
    weights = a + ratio * b
    p1 = float((a * y).sum() / total_a)
    return Contrast(estimate, contributions, weights, p1)


def ate_contrast(
    y: np.ndarray,
    t: np.ndarray,
    w: np.ndarray,
    e: np.ndarray,
    mu0: np.ndarray | None = None,
    mu1: np.ndarray | None = None,
    strata: np.ndarray | None = None,
) -> Contrast:
    """Average effect: mean of (mu1 - mu0) plus normalised weighted residual means per arm.

    mu0 = mu1 = 0 gives normalised IPW; cross-fitted outcome models give AIPW.
    """
    strata = np.zeros(len(y), dtype=np.int64) if strata is None else strata
    n_s = int(strata.max()) + 1 if strata.size else 1
    m0 = np.zeros(len(y)) if mu0 is None else mu0
    m1 = np.zeros(len(y)) if mu1 is None else mu1
    g1 = w * t / e
    g0 = w * (1 - t) / (1 - e)
    sw, s1, s0 = _sums(w, strata, n_s), _sums(g1, strata, n_s), _sums(g0, strata, n_s)
    total_w = sw.sum()
    h1 = _safe_div(_sums(g1 * (y - m1), strata, n_s), s1)
    h0 = _safe_div(_sums(g0 * (y - m0), strata, n_s), s0)
    estimate = float(((w * (m1 - m0)).sum() + (sw * (h1 - h0)).sum()) / total_w)
    ws = sw[strata]
    contributions = (
        w * (m1 - m0 + h1[strata] - h0[strata] - estimate)
        + ws
        * (
            _safe_div(g1, s1[strata]) * (y - m1 - h1[strata])
            - _safe_div(g0, s0[strata]) * (y - m0 - h0[strata])
        )
    ) / total_w
    weights = ws * (_safe_div(g1, s1[strata]) + _safe_div(g0, s0[strata]))
    p1 = float(((w * m1).sum() + (sw * h1).sum()) / total_w)
    return Contrast(estimate, contributions, weights, p1)


def clustered_variance(contributions: np.ndarray, cluster: np.ndarray | None = None) -> tuple[float, int]:
    """Sum of squared per-cluster contributions with the G / (G - 1) small-sample factor.

    Without clusters every row is its own cluster (the usual sandwich variance). With the
    same person appearing as control in many months, rows of one person are correlated;
    summing their contributions first makes the variance honest about that.
    """
    if cluster is None:
        sums = contributions
    else:
        _, codes = np.unique(cluster, return_inverse=True)
        sums = np.bincount(codes, weights=contributions)
    g = len(sums)
    if g < 2:
        return float("nan"), g
    return float((sums**2).sum() * g / (g - 1)), g


def kish_ess(weights: np.ndarray) -> float:
    total = weights.sum()
    squares = (weights**2).sum()
    return float(total**2 / squares) if squares > 0 else 0.0


def standardised_differences(
    x: np.ndarray, t: np.ndarray, w_before: np.ndarray, w_after: np.ndarray, names: list[str]
) -> tuple[dict[str, float], dict[str, float]]:
    """SMD per column before (sample weights) and after (balancing weights) adjustment."""
    treated = t == 1

    def wmean(mask: np.ndarray, wts: np.ndarray) -> np.ndarray:
        ww = wts[mask]
        return (x[mask] * ww[:, None]).sum(axis=0) / ww.sum() if ww.sum() > 0 else np.full(x.shape[1], np.nan)

    def wvar(mask: np.ndarray, wts: np.ndarray) -> np.ndarray:
        ww = wts[mask]
        mu = wmean(mask, wts)
        return ((x[mask] - mu) ** 2 * ww[:, None]).sum(axis=0) / ww.sum()

    sd = np.sqrt((wvar(treated, w_before) + wvar(~treated, w_before)) / 2)
    sd = np.where(sd > 0, sd, np.nan)
    before = (wmean(treated, w_before) - wmean(~treated, w_before)) / sd
    after = (wmean(treated, w_after) - wmean(~treated, w_after)) / sd
    clean = lambda arr: {n: float(v) for n, v in zip(names, arr, strict=True) if np.isfinite(v)}  # noqa: E731
    return clean(before), clean(after)
