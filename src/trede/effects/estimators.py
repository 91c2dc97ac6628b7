"""Effect estimators: inverse-probability weighting, doubly robust AIPW, matching, DR-learner.

All follow the scikit-learn conventions: settings in `__init__`, learning in `fit`
(learned attributes end in `_`), and an immutable `EffectResult` in `result_` (also
returned by `estimate()`). `fit` takes either a DataFrame with the columns named in
`__init__`, or arrays `fit(X, t, y, sample_weight=..., cluster=..., strata=...)`.

Common options
- `estimand`: `att` (effect on the treated) or `ate` (average effect).
- `weights`/`sample_weight`: sampling weights, e.g. 1/q for controls kept with probability q.
- `cluster`: rows with the same value (a person) are treated as one unit in the variance.
- `strata`: compare treated only with controls of the same stratum (e.g. start month);
  the effect is the treated-weighted (ATT) or size-weighted (ATE) mean over strata.
- Overlap: units outside the propensity bounds [1 - threshold, threshold] (upper bound
  only for the ATT; threshold 0.9 for the ATT and 0.98 for the ATE unless set) are trimmed, the bounds widened so that at most `max_trim_share` of
  the treated is removed; the remaining scores are clipped to [clip, 1 - clip] (only
  from above for the ATT, where small scores are harmless) and all
  weights are normalised within arm and stratum (Hajek), so that a few extreme scores
  cannot blow the estimate up.
- Intervals: estimate +/- z * SE, with SE from the sum of per-row (influence function)
  contributions, summed per cluster when a cluster is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.special import logit
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from .encoding import encode_covariates
from .errors import InvalidData, InvalidSetting, MissingColumns, NoOverlap, NotEnoughData
from .learners import (
    fit_outcome,
    fit_propensity,
    make_outcome_model,
    make_propensity_model,
    predict_outcome,
    predict_propensity,
)
from .result import BalanceDiagnostics, Diagnostics, EffectResult, OverlapDiagnostics, SubgroupEffect
from .sensitivity import sensitivity_for_difference
from .weighting import (
    ESTIMANDS,
    Contrast,
    Trim,
    _both_arms_present,
    ate_contrast,
    att_contrast,
    bounded_trim,
    clustered_variance,
    kish_ess,
    standardised_differences,
)


@dataclass(frozen=True)
class _Data:
    x: np.ndarray
    names: list[str]
    t: np.ndarray
    y: np.ndarray
    w: np.ndarray
    cluster: np.ndarray | None
    strata: np.ndarray | None

    @property
    def binary_outcome(self) -> bool:
        return bool(np.isin(self.y, (0.0, 1.0)).all())


def _codes(values: Any) -> np.ndarray | None:
    if values is None:
        return None
    _, codes = np.unique(np.asarray(values).astype(str), return_inverse=True)
    return codes.astype(np.int64)


def _binary_treatment(values: Any) -> np.ndarray:
    t = pd.to_numeric(pd.Series(np.asarray(values)), errors="coerce").to_numpy(dtype=float)
    if np.isnan(t).any() or not np.isin(t, (0.0, 1.0)).all():
        raise InvalidData("treatment", "treatment must be 0 or 1 in every row")
    return t


class _EffectEstimator:
    method: ClassVar[str] = ""

    def __init__(
        self,
        *,
        treatment: str = "treatment",
        outcome: str = "outcome",
        covariates: Sequence[str] | None = None,
        estimand: str = "att",
        weights: str | None = None,
        cluster: str | None = None,
        strata: str | None = None,
        threshold: float | None = None,
        max_trim_share: float = 0.05,
        clip: float = 1e-3,
        alpha: float = 0.05,
        random_state: int = 0,
    ):
        self.treatment = treatment
        self.outcome = outcome
        self.covariates = covariates
        self.estimand = estimand
        self.weights = weights
        self.cluster = cluster
        self.strata = strata
        self.threshold = threshold
        self.max_trim_share = max_trim_share
        self.clip = clip
        self.alpha = alpha
        self.random_state = random_state

    # -- input -------------------------------------------------------------------------
    def _prepare(self, data: Any, t: Any, y: Any, sample_weight: Any, cluster: Any, strata: Any) -> _Data:
        if self.estimand not in ESTIMANDS:
            raise InvalidSetting("estimand", self.estimand, ESTIMANDS)
        if t is None:
            if not isinstance(data, pd.DataFrame):
                raise TypeError("fit(table) needs a DataFrame; use fit(X, t, y) for arrays")
            used = {self.treatment, self.outcome, self.weights, self.cluster, self.strata} - {None}
            missing = [c for c in [*used, *(self.covariates or [])] if c not in data.columns]
            if missing:
                raise MissingColumns(missing)
            covariates = self._covariates_of(data, used)
            x, names = encode_covariates(data[covariates])
            t, y = data[self.treatment], data[self.outcome]
            sample_weight = data[self.weights] if self.weights else sample_weight
            cluster = data[self.cluster] if self.cluster else cluster
            strata = data[self.strata] if self.strata else strata
        elif isinstance(data, pd.DataFrame):
            x, names = encode_covariates(data)
        else:
            x = np.asarray(data, dtype=float).reshape(len(data), -1)
            names = [f"x{i}" for i in range(x.shape[1])]
        t_arr = _binary_treatment(t)
        y_arr = pd.to_numeric(pd.Series(np.asarray(y)), errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(y_arr).all():
            raise InvalidData("outcome", "outcome must be a finite number in every row")
        w = np.ones(len(t_arr)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if not (np.isfinite(w).all() and (w > 0).all()):
            raise InvalidData("weights", "sample weights must be positive numbers")
        if t_arr.sum() == 0 or t_arr.sum() == len(t_arr):
            raise NotEnoughData("need at least one treated and one control row")
        return _Data(
            x=x,
            names=names,
            t=t_arr,
            y=y_arr,
            w=w,
            cluster=None if cluster is None else np.asarray(cluster),
            strata=_codes(strata),
        )

    def _covariates_of(self, data: pd.DataFrame, used: set[str]) -> list[str]:
        """The covariate columns: as set, or every column that has no other role."""
        if self.covariates is not None:
            return list(self.covariates)
        return [c for c in data.columns if c not in used]

    def fit(
        self,
        data: Any,
        t: Any = None,
        y: Any = None,
        *,
        sample_weight: Any = None,
        cluster: Any = None,
        strata: Any = None,
    ) -> _EffectEstimator:
        d = self._prepare(data, t, y, sample_weight, cluster, strata)
        self.feature_names_ = d.names
        # Tens of columns: one BLAS thread is as fast, and far faster on a busy machine
        # where two threads per Gram matrix oversubscribe the cores.
        with threadpool_limits(limits=1, user_api="blas"):
            self._fit(d)
        return self

    def estimate(self) -> EffectResult:
        return self.result_

    def _fit(self, d: _Data) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- shared pieces -----------------------------------------------------------------
    def _trim(self, d: _Data, e_raw: np.ndarray) -> Trim:
        trim = bounded_trim(
            e_raw,
            d.t,
            estimand=self.estimand,
            threshold=self._threshold(),
            max_share=self.max_trim_share,
            strata=d.strata,
        )
        _require_overlap(trim.keep, d.t)
        return trim

    def _threshold(self) -> float:
        if self.threshold is not None:
            return self.threshold
        # The ATE bound also removes controls with scores below 1 - threshold; Crump et
        # al.'s 0.1 would change the population too much for a municipal question.
        return 0.9 if self.estimand == "att" else 0.98

    def _clipped(self, e: np.ndarray) -> np.ndarray:
        # For the ATT only scores near 1 are dangerous (control weight e / (1 - e)); lifting
        # tiny scores would hand weight to controls that are nothing like the treated,
        # which matters when treatment is rare (propensities of 0.001-0.01 are normal for
        # a monthly instrument start).
        if self.estimand == "att":
            return np.minimum(e, 1 - self.clip)
        return np.clip(e, self.clip, 1 - self.clip)

    def _contrast(
        self, d: _Data, e: np.ndarray, keep: np.ndarray, mu0: np.ndarray | None, mu1: np.ndarray | None
    ) -> Contrast:
        sub = lambda a: None if a is None else a[keep]  # noqa: E731
        if self.estimand == "att":
            return att_contrast(d.y[keep], d.t[keep], d.w[keep], e[keep], sub(mu0), sub(d.strata))
        return ate_contrast(d.y[keep], d.t[keep], d.w[keep], e[keep], sub(mu0), sub(mu1), sub(d.strata))

    def _result(
        self,
        d: _Data,
        *,
        e_raw: np.ndarray,
        trim: Trim,
        estimate: float,
        contributions: np.ndarray,
        weights: np.ndarray,
        p1: float,
        method: str | None = None,
    ) -> EffectResult:
        """Interval, sizes and diagnostics; `contributions`/`weights` are full length."""
        keep = trim.keep
        variance, n_clusters = clustered_variance(contributions, d.cluster)
        se = float(np.sqrt(variance))
        z = float(norm.ppf(1 - self.alpha / 2))
        ci_low, ci_high = estimate - z * se, estimate + z * se
        treated = d.t == 1
        kt, kc = keep & treated, keep & ~treated
        overlap = OverlapDiagnostics(
            propensity_treated_min=float(e_raw[treated].min()),
            propensity_treated_max=float(e_raw[treated].max()),
            propensity_control_min=float(e_raw[~treated].min()),
            propensity_control_max=float(e_raw[~treated].max()),
            trim_low=trim.low,
            trim_high=trim.high,
            n_trimmed_treated=trim.n_trimmed_treated,
            n_trimmed_control=trim.n_trimmed_control,
            share_trimmed_treated=trim.n_trimmed_treated / int(treated.sum()),
            ess_treated=kish_ess(weights[kt]),
            ess_control=kish_ess(weights[kc]),
        )
        before, after = standardised_differences(d.x[keep], d.t[keep], d.w[keep], weights[keep], d.names)
        if d.binary_outcome:
            sensitivity = sensitivity_for_difference(estimate, ci_low, ci_high, baseline=p1 - estimate)
        else:
            sd = float(np.sqrt(np.cov(d.y[keep], aweights=d.w[keep])))
            sensitivity = sensitivity_for_difference(
                estimate, ci_low, ci_high, baseline=p1 - estimate, outcome_sd=sd
            )
        return EffectResult(
            estimate=float(estimate),
            std_error=se,
            ci_low=float(ci_low),
            ci_high=float(ci_high),
            n_treated=int(kt.sum()),
            n_control=int(kc.sum()),
            method=method or self.method,
            estimand=self.estimand,
            diagnostics=Diagnostics(overlap, BalanceDiagnostics(before, after), sensitivity),
            weighted_n_control=float(d.w[kc].sum()),
            n_clusters=n_clusters if d.cluster is not None else None,
        )


def _require_overlap(keep: np.ndarray, t: np.ndarray) -> None:
    """Without a treated and a control row left there is nothing to compare (not a NaN)."""
    if not (keep & (t == 1)).any() or not (keep & (t == 0)).any():
        raise NoOverlap(
            "no treated and control rows left after trimming for overlap"
            " (treated only in strata or propensity ranges without controls)"
        )


def _fold_ids(d: _Data, n_folds: int, rng: np.random.Generator) -> np.ndarray:
    """Random folds, whole clusters at a time, balanced on treatment.

    Keeping a person's rows in one fold stops the nuisance models from predicting a row
    with the same person's other months; balancing on treatment keeps treated in every
    fold when treatment is rare.
    """
    if d.cluster is None:
        groups = np.arange(len(d.t))
    else:
        _, groups = np.unique(d.cluster.astype(str), return_inverse=True)
    n_groups = int(groups.max()) + 1
    has_treated = np.bincount(groups, weights=d.t, minlength=n_groups) > 0
    fold_of_group = np.empty(n_groups, dtype=np.int64)
    for flag in (True, False):
        members = np.flatnonzero(has_treated == flag)
        rng.shuffle(members)
        fold_of_group[members] = np.arange(len(members)) % n_folds
    return fold_of_group[groups]


class IPWEstimator(_EffectEstimator):
    """Inverse-probability weighting with normalised (Hajek) weights.

    The propensity score is a regularised logistic regression on standardised
    covariates, fit once on all rows. The standard error accounts for estimating it
    (stacked estimating equations: the logistic score enters each row's contribution).
    """

    method = "ipw"

    def __init__(self, *, C: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.C = C

    def _fit(self, d: _Data) -> None:
        model = fit_propensity(make_propensity_model("linear", C=self.C), d.x, d.t, d.w)
        e_raw = predict_propensity(model, d.x)
        trim = self._trim(d, e_raw)
        e = self._clipped(e_raw)
        keep = trim.keep
        contrast = self._contrast(d, e, keep, None, None)
        contributions = np.zeros(len(d.t))
        contributions[keep] = contrast.contributions
        contributions += self._propensity_correction(d, model, e_raw, e, keep, contrast.estimate)
        weights = np.zeros(len(d.t))
        weights[keep] = contrast.weights
        self.propensity_, self.keep_, self.weights_, self.contributions_ = e_raw, keep, weights, contributions
        self.result_ = self._result(
            d,
            e_raw=e_raw,
            trim=trim,
            estimate=contrast.estimate,
            contributions=contributions,
            weights=weights,
            p1=contrast.p1,
        )

    def _propensity_correction(
        self, d: _Data, model: Any, e_raw: np.ndarray, e: np.ndarray, keep: np.ndarray, estimate: float
    ) -> np.ndarray:
        """grad(tau)' (-H)^-1 s_i: the first-order effect of each row on the fitted score.

        The logistic fit solves sum w (t - e) x~ - beta / C = 0 (intercept unpenalised),
        so beta_hat - beta ~ (-H)^-1 sum_i s_i with -H = sum w e (1 - e) x~ x~' + I / C.
        """
        xs = np.column_stack([np.ones(len(d.t)), model.transform(d.x)])
        free = e == e_raw  # clipped scores do not move with beta
        k = keep
        y, t, w, ek = d.y[k], d.t[k], d.w[k], e[k]
        strata = np.zeros(int(k.sum()), dtype=np.int64) if d.strata is None else d.strata[k]
        n_s = int(strata.max()) + 1
        sums = lambda v: np.bincount(strata, weights=v, minlength=n_s)  # noqa: E731
        if self.estimand == "att":
            a, b = w * t, w * (1 - t) * ek / (1 - ek)
            sa, sb = sums(a), sums(b)
            mean_b = np.divide(sums(b * y), sb, out=np.zeros(n_s), where=sb > 0)
            ratio = np.divide(sa, sb, out=np.zeros(n_s), where=sb > 0)[strata]
            # d b / d beta = b x~ (the odds are exp(x~ beta)).
            row = -ratio * b * (y - mean_b[strata]) / a.sum()
        else:
            g1, g0 = w * t / ek, w * (1 - t) / (1 - ek)
            sw, s1, s0 = sums(w), sums(g1), sums(g0)
            h1 = np.divide(sums(g1 * y), s1, out=np.zeros(n_s), where=s1 > 0)
            h0 = np.divide(sums(g0 * y), s0, out=np.zeros(n_s), where=s0 > 0)
            share = sw[strata] / sw.sum()
            # d g1 / d beta = -g1 (1 - e) x~, d g0 / d beta = g0 e x~.
            row = share * (
                -g1 * (1 - ek) * (y - h1[strata]) / s1[strata] - g0 * ek * (y - h0[strata]) / s0[strata]
            )
        row = row * free[k]
        grad = xs[k].T @ row
        info = (xs * (d.w * e_raw * (1 - e_raw))[:, None]).T @ xs
        info[np.diag_indices_from(info)] += np.r_[0.0, np.full(xs.shape[1] - 1, 1 / self.C)]
        v = np.linalg.solve(info, grad)
        return d.w * (d.t - e_raw) * (xs @ v)


class AIPWEstimator(_EffectEstimator):
    """Doubly robust augmented IPW with K-fold cross-fitting (the default method).

    Propensity and outcome models are fit on K - 1 folds and predict the held-out fold,
    so flexible learners do not overfit their own rows (Chernozhukov et al. 2018). The
    ATT uses the control outcome model only; the ATE both arms'. The score is
    Neyman-orthogonal, so the interval needs no correction for the fitted nuisances.
    After `fit`, `effect_by(groups)` gives DR-learner effects per subgroup.
    """

    method = "aipw"

    def __init__(
        self,
        *,
        learner: str = "linear",
        propensity_model: Any = None,
        outcome_model: Any = None,
        n_folds: int = 5,
        C: float = 1.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.learner = learner
        self.propensity_model = propensity_model
        self.outcome_model = outcome_model
        self.n_folds = n_folds
        self.C = C

    def _fit(self, d: _Data) -> None:
        rng = np.random.default_rng(self.random_state)
        folds = _fold_ids(d, self.n_folds, rng)
        p_model = self.propensity_model or make_propensity_model(
            self.learner, C=self.C, random_state=self.random_state
        )
        o_model = self.outcome_model or make_outcome_model(
            self.learner, binary=d.binary_outcome, C=self.C, random_state=self.random_state
        )
        n = len(d.t)
        e_raw, mu0 = np.empty(n), np.empty(n)
        mu1 = np.empty(n) if self.estimand == "ate" else None
        for k in range(self.n_folds):
            test = folds == k
            if not test.any():
                continue
            train = ~test
            model = fit_propensity(p_model, d.x[train], d.t[train], d.w[train])
            e_raw[test] = predict_propensity(model, d.x[test])
            c = train & (d.t == 0)
            mu0[test] = predict_outcome(fit_outcome(o_model, d.x[c], d.y[c], d.w[c]), d.x[test])
            if mu1 is not None:
                tr = train & (d.t == 1)
                mu1[test] = predict_outcome(fit_outcome(o_model, d.x[tr], d.y[tr], d.w[tr]), d.x[test])
        trim = self._trim(d, e_raw)
        e = self._clipped(e_raw)
        contrast = self._contrast(d, e, trim.keep, mu0, mu1)
        contributions = np.zeros(n)
        contributions[trim.keep] = contrast.contributions
        weights = np.zeros(n)
        weights[trim.keep] = contrast.weights
        self._data = d
        self.folds_, self.propensity_, self.mu0_, self.mu1_ = folds, e_raw, mu0, mu1
        self.keep_, self.weights_, self.contributions_, self.trim_ = trim.keep, weights, contributions, trim
        self.result_ = self._result(
            d,
            e_raw=e_raw,
            trim=trim,
            estimate=contrast.estimate,
            contributions=contributions,
            weights=weights,
            p1=contrast.p1,
        )

    def effect_by(
        self, groups: Any, *, dimension: str = "groep", min_treated: int = 30
    ) -> dict[str, SubgroupEffect]:
        """DR-learner: the cross-fitted scores averaged within each subgroup.

        With a categorical effect modifier the DR-learner's second-stage regression of the
        pseudo-outcome on the subgroup is the subgroup mean of the pseudo-outcome; here it
        is taken in the same normalised form as the overall estimate, with the subgroup's
        own (clustered) standard error. `groups` is one label per row of the fitted data.
        """
        d = self._data
        labels = np.asarray(groups).astype(str)
        if len(labels) != len(d.t):
            raise InvalidData("groups", "groups needs one label per fitted row")
        e = self._clipped(self.propensity_)
        out: dict[str, SubgroupEffect] = {}
        for level in sorted(set(labels)):
            in_group = labels == level
            treated_in_group = int((in_group & (d.t == 1)).sum())
            keep = self.keep_ & in_group
            if d.strata is not None:
                keep &= _both_arms_present(d.t, keep, d.strata, need_treated=self.estimand == "ate")
            n_kt = int((keep & (d.t == 1)).sum())
            if n_kt == 0 or int((keep & (d.t == 0)).sum()) == 0:
                continue
            contrast = self._contrast(d, e, keep, self.mu0_, self.mu1_)
            contributions = np.zeros(len(d.t))
            contributions[keep] = contrast.contributions
            weights = np.zeros(len(d.t))
            weights[keep] = contrast.weights
            variance, n_clusters = clustered_variance(contributions[in_group], _sub(d.cluster, in_group))
            se = float(np.sqrt(variance))
            z = float(norm.ppf(1 - self.alpha / 2))
            kc = keep & (d.t == 0)
            result = EffectResult(
                estimate=contrast.estimate,
                std_error=se,
                ci_low=contrast.estimate - z * se,
                ci_high=contrast.estimate + z * se,
                n_treated=n_kt,
                n_control=int(kc.sum()),
                method="dr_learner",
                estimand=self.estimand,
                weighted_n_control=float(d.w[kc].sum()),
                n_clusters=n_clusters if d.cluster is not None else None,
            )
            trimmed_share = 1 - n_kt / treated_in_group if treated_in_group else 0.0
            out[level] = SubgroupEffect(
                dimension=dimension,
                level=level,
                result=result,
                small_n=n_kt < min_treated,
                poor_overlap=trimmed_share > 0.10 or kish_ess(weights[kc]) < n_kt,
            )
        return out


def _sub(values: np.ndarray | None, mask: np.ndarray) -> np.ndarray | None:
    return None if values is None else values[mask]


class DRLearner(AIPWEstimator):
    """Heterogeneous effects per subgroup from the cross-fitted AIPW scores.

    `by` names the table columns that define subgroups (each column separately, e.g.
    age band, duration band). `fit(table)` fits the AIPW nuisances once on the whole
    table; `result_` is the overall effect and `segments_[column][level]` the
    `SubgroupEffect`s. The `by` columns are not used as covariates unless listed there.
    """

    method = "aipw"

    def __init__(self, *, by: Sequence[str] = (), min_treated: int = 30, **kwargs: Any):
        super().__init__(**kwargs)
        self.by = by
        self.min_treated = min_treated

    def _covariates_of(self, data: pd.DataFrame, used: set[str]) -> list[str]:
        # The subgroup columns modify the effect; they are no covariates unless listed.
        # Decided per fit, so `self.covariates` stays the setting it was constructed with.
        return super()._covariates_of(data, used | set(self.by))

    def fit(self, data: Any, t: Any = None, y: Any = None, **kwargs: Any) -> DRLearner:
        if t is not None or not isinstance(data, pd.DataFrame):
            raise TypeError("DRLearner.fit takes a DataFrame with the `by` columns")
        missing = [c for c in self.by if c not in data.columns]
        if missing:
            raise MissingColumns(missing)
        super().fit(data, **kwargs)
        self.segments_: dict[str, dict[str, SubgroupEffect]] = {
            col: self.effect_by(data[col].to_numpy(), dimension=col, min_treated=self.min_treated)
            for col in self.by
        }
        return self


class MatchingEstimator(_EffectEstimator):
    """Nearest-neighbour matching on the logit of the propensity score, with replacement.

    Each treated row (for the ATE: each row) gets its `n_neighbors` nearest rows of the
    other arm within its stratum; matches further than `caliper` standard deviations of
    the logit score are dropped (rows left without a match are reported as trimmed).
    The Abadie-Imbens (2011) bias correction with a regression of the outcome on the
    covariates is applied by default.

    Standard error: the bias-corrected estimator is linear in the outcomes,
    sum_T w_i (y_i - m0(x_i)) / W - sum_C K_j (y_j - m0(x_j)) / W with K_j the (weighted)
    number of times control j is used, so each row contributes its residual times its
    use (Abadie & Imbens 2006; Otsu & Rai 2017). The squared contributions reproduce the
    Abadie-Imbens variance, and summing them per cluster makes it cluster-robust. The
    estimation of the propensity score itself is ignored (Abadie & Imbens 2016: that is
    conservative for the ATE; for the ATT it is usually a small error either way).
    Sample weights weigh the matched rows' averages; they do not change which control is
    nearest, so subsampled controls are used as they are.
    """

    method = "matching"

    def __init__(
        self,
        *,
        n_neighbors: int = 5,
        caliper: float | None = None,
        bias_correction: bool = True,
        C: float = 1.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.n_neighbors = n_neighbors
        self.caliper = caliper
        self.bias_correction = bias_correction
        self.C = C

    def _fit(self, d: _Data) -> None:
        model = fit_propensity(make_propensity_model("linear", C=self.C), d.x, d.t, d.w)
        e_raw = predict_propensity(model, d.x)
        trim = self._trim(d, e_raw)
        score = logit(np.clip(e_raw, 1e-12, 1 - 1e-12))
        keep = trim.keep.copy()
        strata = np.zeros(len(d.t), dtype=np.int64) if d.strata is None else d.strata
        caliper = None if self.caliper is None else self.caliper * float(score[keep].std())
        treated = d.t == 1
        targets_arms = (True,) if self.estimand == "att" else (True, False)
        use = np.zeros(len(d.t))  # K_j: weighted times row j serves as a match
        pairs_by_arm: dict[bool, tuple[np.ndarray, np.ndarray]] = {}
        unmatched = np.zeros(len(d.t), dtype=bool)
        for arm in targets_arms:
            targets = np.flatnonzero(keep & (treated == arm))
            pool = np.flatnonzero(keep & (treated != arm))
            (tgt_rows, pool_rows), counts = _nearest(score, strata, targets, pool, self.n_neighbors, caliper)
            unmatched[targets[counts == 0]] = True
            share = d.w[tgt_rows] / counts[np.searchsorted(targets, tgt_rows)]
            np.add.at(use, pool_rows, share)
            pairs_by_arm[arm] = (tgt_rows, pool_rows)
        keep &= ~unmatched
        _require_overlap(keep, d.t)
        kt, kc = keep & treated, keep & ~treated
        mu0 = predict_outcome(fit_outcome(self._outcome_model(d), d.x[kc], d.y[kc], d.w[kc]), d.x)
        mu1 = predict_outcome(fit_outcome(self._outcome_model(d), d.x[kt], d.y[kt], d.w[kt]), d.x)
        bias = np.zeros(len(d.t))
        if not self.bias_correction:
            # Without the correction the estimate keeps m(x_i) - mean m(x_match) per target.
            for arm, (tgt_rows, pool_rows) in pairs_by_arm.items():
                mu_other = mu0 if arm else mu1
                gap = np.zeros(len(d.t))
                cnt = np.zeros(len(d.t))
                np.add.at(gap, tgt_rows, mu_other[tgt_rows] - mu_other[pool_rows])
                np.add.at(cnt, tgt_rows, 1.0)
                bias += np.divide(gap, cnt, out=np.zeros(len(d.t)), where=cnt > 0) * (1 if arm else -1)
        # Rows that lost all their matches to the caliper no longer count as users.
        use = np.where(keep, use, 0.0)
        if self.estimand == "att":
            total = d.w[kt].sum()
            contrib_t = d.w * (d.y - mu0 + bias)
            contrib_c = -use * (d.y - mu0)
            estimate = float((contrib_t[kt].sum() + contrib_c[kc].sum()) / total)
            contributions = np.where(kt, contrib_t - d.w * estimate, 0.0) + np.where(kc, contrib_c, 0.0)
            contributions /= total
            weights = np.where(kt, d.w, 0.0) + np.where(kc, use, 0.0)
            p1 = float((d.w[kt] * d.y[kt]).sum() / total)
        else:
            total = d.w[keep].sum()
            resid = np.where(treated, d.y - mu1, d.y - mu0)
            sign = np.where(treated, 1.0, -1.0)
            base = d.w * (mu1 - mu0 + bias)
            estimate = float((base[keep].sum() + (sign * (d.w + use) * resid)[keep].sum()) / total)
            contributions = np.where(
                keep, d.w * (mu1 - mu0 + bias - estimate) + sign * (d.w + use) * resid, 0.0
            )
            contributions /= total
            weights = np.where(keep, d.w + use, 0.0)
            p1 = float(((d.w * mu1)[keep].sum() + ((d.w + use) * (d.y - mu1))[kt].sum()) / total)
        trim = Trim(
            keep=keep,
            low=trim.low,
            high=trim.high,
            n_trimmed_treated=int((treated & ~keep).sum()),
            n_trimmed_control=int((~treated & ~keep).sum()),
        )
        self.propensity_, self.keep_, self.weights_, self.contributions_ = e_raw, keep, weights, contributions
        self.result_ = self._result(
            d, e_raw=e_raw, trim=trim, estimate=estimate, contributions=contributions, weights=weights, p1=p1
        )

    def _outcome_model(self, d: _Data) -> Any:
        return make_outcome_model("linear", binary=d.binary_outcome, C=self.C)


def _nearest(
    score: np.ndarray,
    strata: np.ndarray,
    targets: np.ndarray,
    pool: np.ndarray,
    m: int,
    caliper: float | None,
) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The m nearest pool rows (same stratum) per target on a 1-D score.

    Returns (target row, pool row) pairs and the number of matches per target (in the
    order of `targets`). The m nearest of a sorted 1-D pool are contiguous, so a window
    of 2m around the insertion point holds them.
    """
    pair_t: list[np.ndarray] = []
    pair_p: list[np.ndarray] = []
    counts = np.zeros(len(targets), dtype=np.int64)
    order_t = np.argsort(strata[targets], kind="stable")
    order_p = np.argsort(strata[pool], kind="stable")
    st, sp = strata[targets][order_t], strata[pool][order_p]
    for s in np.unique(st):
        t_idx = order_t[np.searchsorted(st, s, "left") : np.searchsorted(st, s, "right")]
        p_rows = pool[order_p[np.searchsorted(sp, s, "left") : np.searchsorted(sp, s, "right")]]
        if len(p_rows) == 0:
            continue
        p_rows = p_rows[np.argsort(score[p_rows], kind="stable")]
        p_scores = score[p_rows]
        q = score[targets[t_idx]]
        width = min(2 * m, len(p_rows))
        start = np.clip(np.searchsorted(p_scores, q) - m, 0, len(p_rows) - width)
        window = start[:, None] + np.arange(width)[None, :]
        dist = np.abs(p_scores[window] - q[:, None])
        k = min(m, width)
        nearest = np.argsort(dist, axis=1, kind="stable")[:, :k]
        chosen = np.take_along_axis(window, nearest, axis=1)
        ok = np.ones_like(chosen, dtype=bool)
        if caliper is not None:
            ok = np.take_along_axis(dist, nearest, axis=1) <= caliper
        counts[t_idx] = ok.sum(axis=1)
        rows_t = np.repeat(targets[t_idx], k).reshape(-1, k)
        pair_t.append(rows_t[ok])
        pair_p.append(p_rows[chosen[ok]])
    if not pair_t:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)), counts
    return (np.concatenate(pair_t), np.concatenate(pair_p)), counts


ESTIMATORS: Mapping[str, type[_EffectEstimator]] = {
    "aipw": AIPWEstimator,
    "ipw": IPWEstimator,
    "matching": MatchingEstimator,
}
