"""Estimators against simulated data with a known effect and known confounding."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from trede.effects import AIPWEstimator, DRLearner, IPWEstimator, MatchingEstimator
from trede.effects.simulate import simulate_table
from trede.effects.weighting import ate_contrast, att_contrast

COVARIATES = ["age", "ladder", "education"]
ESTIMATORS = [AIPWEstimator, IPWEstimator, MatchingEstimator]


@pytest.fixture(scope="module")
def table():
    return simulate_table(6000, seed=7)


def _fit(cls, table, estimand, **kwargs):
    return (
        cls(treatment="t", outcome="y", covariates=COVARIATES, estimand=estimand, **kwargs).fit(table).result_
    )


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("estimand", ["att", "ate"])
def test_adjusted_estimate_is_close_to_truth_where_naive_is_not(table, cls, estimand):
    data, truth = table
    naive = data.y[data.t == 1].mean() - data.y[data.t == 0].mean()
    assert naive - truth[estimand] > 0.08  # the design confounds upwards
    r = _fit(cls, data, estimand)
    assert abs(r.estimate - truth[estimand]) < 3 * r.std_error
    assert abs(r.estimate - truth[estimand]) < 0.05
    assert r.ci_low < r.estimate < r.ci_high
    assert r.ci_high - r.ci_low == pytest.approx(2 * 1.959964 * r.std_error)
    assert r.method == cls.method and r.estimand == estimand
    assert r.n_treated + r.n_control <= len(data)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_balance_improves_after_weighting(table, cls):
    r = _fit(cls, table[0], "att")
    balance = r.diagnostics.balance
    assert balance.max_abs_before > 0.5
    # Matching on the score balances only in expectation (a rare education level stays off).
    assert balance.max_abs_after < (0.15 if cls is MatchingEstimator else 0.1)
    assert set(balance.smd_before) == set(balance.smd_after)


def test_result_is_immutable_and_serialisable(table):
    r = _fit(AIPWEstimator, table[0], "att")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.estimate = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.diagnostics.balance.smd_before["age"] = 0.0  # type: ignore[index]
    d = r.to_dict()
    assert {"estimate", "ci_low", "ci_high", "n_treated", "n_control", "method"} <= set(d)
    assert d["diagnostics"]["sensitivity"]["evalue_estimate"] > 1


def test_sensitivity_uses_the_estimated_baseline(table):
    r = _fit(AIPWEstimator, table[0], "att")
    s = r.diagnostics.sensitivity
    treated_mean = table[0].y[table[0].t == 1].mean()
    assert s.baseline == pytest.approx(treated_mean - r.estimate)
    assert s.risk_ratio == pytest.approx(treated_mean / s.baseline)


def test_arrays_and_table_give_the_same_estimate(table):
    data, _ = table
    from_table = _fit(IPWEstimator, data, "att")
    from_arrays = IPWEstimator(estimand="att").fit(data[COVARIATES], data.t, data.y).result_
    assert from_arrays.estimate == pytest.approx(from_table.estimate)
    assert from_arrays.std_error == pytest.approx(from_table.std_error)


def _extreme(n: int, seed: int) -> tuple[pd.DataFrame, float]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    t = (rng.random(n) < expit(-1 + 4 * x)).astype(int)
    y = 0.5 * x + 0.3 * t + rng.normal(scale=0.5, size=n)  # constant effect: trimming keeps the truth
    return pd.DataFrame({"x": x, "t": t, "y": y}), 0.3


@pytest.mark.parametrize("estimand", ["att", "ate"])
def test_extreme_propensities_stay_stable_with_bounded_trimming(estimand):
    data, truth = _extreme(4000, 3)
    r = AIPWEstimator(treatment="t", outcome="y", estimand=estimand).fit(data).result_
    overlap = r.diagnostics.overlap
    assert overlap.propensity_treated_max > 0.99 and overlap.propensity_control_min < 0.01
    assert 0 < overlap.n_trimmed_treated <= 0.05 * (data.t == 1).sum()
    assert overlap.share_trimmed_treated <= 0.05
    assert np.isfinite(r.std_error) and r.std_error < 0.1
    assert abs(r.estimate - truth) < 4 * r.std_error
    assert overlap.ess_control > 50


def test_at_most_five_percent_of_treated_are_trimmed_even_without_overlap():
    rng = np.random.default_rng(5)
    x = rng.normal(size=3000)
    t = (x > 0.5).astype(int)  # complete separation
    y = x + t + rng.normal(size=3000)
    r = AIPWEstimator(estimand="att").fit(x[:, None], t, y).result_
    assert r.diagnostics.overlap.share_trimmed_treated <= 0.05
    assert np.isfinite(r.estimate)


@pytest.mark.parametrize("cls", [AIPWEstimator, IPWEstimator])
def test_rare_treatment_keeps_ineligible_controls_out(cls):
    """Monthly starts are rare (scores ~0.005); clients who are never referred (here: a
    running placement) must get no weight, so tiny scores must not be lifted to a floor."""
    rng = np.random.default_rng(8)
    n = 40000
    x = rng.normal(size=n)
    placed = (rng.random(n) < 0.2).astype(float)
    t = ((rng.random(n) < expit(-5.5 + 0.8 * x)) & (placed == 0)).astype(int)
    y = (rng.random(n) < expit(-1.5 + 0.7 * x + 2.0 * placed) + 0.05 * t).astype(int)
    data = pd.DataFrame({"x": x, "placed": placed, "t": t, "y": y})
    r = cls(treatment="t", outcome="y", estimand="att").fit(data).result_
    assert abs(r.diagnostics.balance.smd_after["placed"]) < 0.02
    assert abs(r.estimate - 0.05) < 3 * r.std_error


def test_subsampled_controls_with_weights_estimate_the_same_effect(table):
    data, truth = table
    rng = np.random.default_rng(11)
    keep = (data.t == 1) | (rng.random(len(data)) < 0.3)
    sample = data[keep].assign(w=np.where(data.t[keep] == 1, 1.0, 1 / 0.3))
    full = _fit(AIPWEstimator, data, "att")
    weighted = _fit(AIPWEstimator, sample, "att", weights="w")
    assert abs(weighted.estimate - full.estimate) < 0.02
    assert abs(weighted.estimate - truth["att"]) < 3 * weighted.std_error
    assert weighted.std_error > full.std_error  # fewer controls, wider interval
    assert weighted.weighted_n_control == pytest.approx((data.t == 0).sum(), rel=0.05)


def test_cluster_robust_se_counts_repeated_persons_once(table):
    data, _ = table
    base = _fit(AIPWEstimator, data.assign(person=np.arange(len(data))), "att", cluster="person")
    tripled = pd.concat([data.assign(person=np.arange(len(data)))] * 3, ignore_index=True)
    naive = _fit(AIPWEstimator, tripled, "att")
    clustered = _fit(AIPWEstimator, tripled, "att", cluster="person")
    assert clustered.n_clusters == len(data)
    assert naive.std_error == pytest.approx(base.std_error / np.sqrt(3), rel=0.15)
    assert clustered.std_error == pytest.approx(base.std_error, rel=0.15)


def test_strata_compare_within_stratum():
    # Later strata have more treatment and more outflow (a booming labour market and a
    # growing instrument): pooled comparisons are biased, within-stratum ones are not.
    rng = np.random.default_rng(2)
    n = 8000
    month = rng.integers(0, 8, n)
    x = rng.normal(size=n)
    t = (rng.random(n) < expit(-2.5 + 0.3 * month + 0.5 * x)).astype(int)
    y = (rng.random(n) < expit(-2 + 0.35 * month + 0.5 * x) + 0.05 * t).astype(int)
    data = pd.DataFrame({"x": x, "t": t, "y": y, "month": month})
    pooled = AIPWEstimator(treatment="t", outcome="y", covariates=["x"]).fit(data).result_
    within = AIPWEstimator(treatment="t", outcome="y", covariates=["x"], strata="month").fit(data).result_
    assert pooled.estimate - 0.05 > 3 * pooled.std_error
    assert abs(within.estimate - 0.05) < 3 * within.std_error


def test_dr_learner_recovers_effect_by_subgroup():
    data, _ = simulate_table(20000, seed=21, effect=0.10)
    learner = DRLearner(treatment="t", outcome="y", covariates=COVARIATES, by=["ladder"], min_treated=30)
    learner.fit(data)
    groups = learner.segments_["ladder"]
    assert set(groups) == {str(step) for step in range(1, 7)}
    for step, effect in groups.items():
        truth = 0.10 + 0.03 * (int(step) - 3.5)
        assert abs(effect.result.estimate - truth) < 3.5 * effect.result.std_error, step
        assert effect.result.method == "dr_learner"
    low, high = groups["1"].result.estimate, groups["6"].result.estimate
    assert high - low > 0.05  # the heterogeneity (truth 0.15) is visible
    weighted = sum(g.result.estimate * g.result.n_treated for g in groups.values()) / sum(
        g.result.n_treated for g in groups.values()
    )
    assert weighted == pytest.approx(learner.result_.estimate, abs=0.01)


def test_small_subgroups_are_flagged(table):
    data, _ = table
    est = AIPWEstimator(treatment="t", outcome="y", covariates=COVARIATES).fit(data)
    labels = np.where(np.arange(len(data)) < 50, "klein", "groot")
    by = est.effect_by(labels, min_treated=30)
    assert by["klein"].small_n and not by["groot"].small_n


def test_ipw_propensity_correction_uses_the_exact_gradient():
    """The stacked-equation term equals a numerical derivative of the estimate."""
    rng = np.random.default_rng(0)
    n = 3000
    x = rng.normal(size=(n, 3))
    t = (rng.random(n) < expit(-1 + x[:, 0])).astype(float)
    y = x[:, 1] + t + rng.normal(size=n)
    strata = rng.integers(0, 4, n)
    w = rng.uniform(0.5, 2, n)
    for estimand in ("att", "ate"):
        est = IPWEstimator(estimand=estimand, threshold=0.999)
        d = est._prepare(x, t, y, w, None, strata)
        from trede.effects.learners import fit_propensity, make_propensity_model, predict_propensity

        model = fit_propensity(make_propensity_model("linear"), d.x, d.t, d.w)
        e_raw = predict_propensity(model, d.x)
        xs = np.column_stack([np.ones(n), model.transform(d.x)])
        beta = np.r_[model.model_.intercept_, model.model_.coef_[0]]

        def tau(b, estimand=estimand, xs=xs, d=d):
            e = np.clip(expit(xs @ b), 1e-3, 1 - 1e-3)
            if estimand == "att":
                return att_contrast(y, t, w, e, None, d.strata).estimate
            return ate_contrast(y, t, w, e, None, None, d.strata).estimate

        numeric = np.array([(tau(beta + h) - tau(beta - h)) / 2e-6 for h in np.eye(len(beta)) * 1e-6])
        correction = est._propensity_correction(
            d, model, e_raw, np.clip(e_raw, 1e-3, 1 - 1e-3), np.ones(n, bool), 0
        )
        info = (xs * (w * e_raw * (1 - e_raw))[:, None]).T @ xs
        info[np.diag_indices_from(info)] += np.r_[0.0, np.ones(3)]
        v = np.linalg.lstsq(xs * (w * (t - e_raw))[:, None], correction, rcond=None)[0]
        assert np.allclose(info @ v, numeric, atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("estimand", ["att", "ate"])
def test_interval_coverage_over_replications(cls, estimand):
    truth = simulate_table(10, seed=0)[1][estimand]
    hits, estimates = 0, []
    for rep in range(60):
        data, _ = simulate_table(1500, seed=1000 + rep)
        r = _fit(cls, data, estimand)
        hits += r.ci_low <= truth <= r.ci_high
        estimates.append(r.estimate)
    assert hits / 60 >= 0.88
    assert abs(np.mean(estimates) - truth) < 0.01
