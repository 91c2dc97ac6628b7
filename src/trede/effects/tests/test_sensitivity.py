import math

import pytest

from trede.effects.sensitivity import evalue_ci, evalue_rr, sensitivity_for_difference


def test_evalue_matches_vanderweele_ding_formula():
    # E = RR + sqrt(RR (RR - 1)); RR = 3.9 gives 7.26 (VanderWeele & Ding 2017, worked example).
    assert evalue_rr(3.9) == pytest.approx(3.9 + math.sqrt(3.9 * 2.9))
    assert evalue_rr(3.9) == pytest.approx(7.26, abs=0.01)
    assert evalue_rr(2.0) == pytest.approx(2 + math.sqrt(2))
    assert evalue_rr(1.0) == 1.0


def test_protective_risk_ratio_is_inverted():
    assert evalue_rr(0.5) == pytest.approx(evalue_rr(2.0))


def test_interval_evalue_uses_bound_nearest_null_or_one():
    assert evalue_ci(1.5, 2.5) == pytest.approx(evalue_rr(1.5))
    assert evalue_ci(0.4, 0.8) == pytest.approx(evalue_rr(0.8))
    assert evalue_ci(0.9, 1.4) == 1.0


def test_difference_on_binary_outcome_uses_baseline_risk():
    s = sensitivity_for_difference(0.10, 0.05, 0.15, baseline=0.20)
    assert s.scale == "risk_ratio"
    assert s.risk_ratio == pytest.approx(1.5)
    assert s.evalue_estimate == pytest.approx(evalue_rr(1.5))
    assert s.evalue_ci == pytest.approx(evalue_rr(1.25))


def test_difference_on_continuous_outcome_uses_smd_approximation():
    s = sensitivity_for_difference(0.5, 0.1, 0.9, baseline=10.0, outcome_sd=1.0)
    assert s.scale == "smd_approx"
    assert s.risk_ratio == pytest.approx(math.exp(0.91 * 0.5))
    assert s.evalue_ci == pytest.approx(evalue_rr(math.exp(0.091)))
