"""The engine signals data conditions as typed exceptions (trede.effects.errors), not bare
ValueErrors to be recognised by their English text, and keeps its settings across fits."""

import numpy as np
import pandas as pd
import pytest

from trede.effects import AIPWEstimator, DRLearner, IPWEstimator, MatchingEstimator
from trede.effects.errors import (
    EffectsError,
    InvalidData,
    InvalidSetting,
    MissingColumns,
    NoOverlap,
    NoStartMonth,
    NoStarts,
    NotEnoughData,
)
from trede.effects.instruments import estimate_instrument
from trede.effects.panel import build_panel
from trede.effects.simulate import simulate_table

COVARIATES = ["age", "ladder", "education"]


@pytest.fixture(scope="module")
def table():
    return simulate_table(1500, seed=3)[0]


def _est(cls=AIPWEstimator, **kwargs):
    return cls(treatment="t", outcome="y", covariates=COVARIATES, **kwargs)


def test_every_engine_error_is_an_effects_error_and_a_value_error():
    for cls in (
        InvalidData,
        InvalidSetting,
        MissingColumns,
        NotEnoughData,
        NoStarts,
        NoStartMonth,
        NoOverlap,
    ):
        assert issubclass(cls, EffectsError) and issubclass(cls, ValueError)


def test_unknown_estimand_and_learner_are_invalid_settings(table):
    with pytest.raises(InvalidSetting) as info:
        _est(estimand="atc").fit(table)
    assert info.value.name == "estimand" and "att" in info.value.allowed
    with pytest.raises(InvalidSetting) as info:
        _est(learner="forest").fit(table)
    assert info.value.name == "learner"


def test_missing_columns_name_them(table):
    with pytest.raises(MissingColumns) as info:
        AIPWEstimator(treatment="t", outcome="y", covariates=["age", "shoe_size"]).fit(table)
    assert info.value.columns == ("shoe_size",)
    with pytest.raises(MissingColumns):
        DRLearner(treatment="t", outcome="y", covariates=COVARIATES, by=["wijk"]).fit(table)


def test_bad_columns_are_invalid_data(table):
    bad_t = table.assign(t=table["t"].replace(1, 2))
    with pytest.raises(InvalidData) as info:
        _est().fit(bad_t)
    assert info.value.column == "treatment"
    bad_y = table.assign(y=table["y"].astype(float))
    bad_y.loc[0, "y"] = np.inf
    with pytest.raises(InvalidData) as info:
        _est().fit(bad_y)
    assert info.value.column == "outcome"
    with pytest.raises(InvalidData) as info:
        _est(weights="w").fit(table.assign(w=-1.0))
    assert info.value.column == "weights"


def test_one_arm_only_is_not_enough_data(table):
    with pytest.raises(NotEnoughData):
        _est().fit(table.assign(t=1))


@pytest.mark.parametrize("cls", [AIPWEstimator, IPWEstimator, MatchingEstimator])
def test_treated_only_in_strata_without_controls_is_no_overlap(cls):
    """Before, this gave a NaN estimate (0/0) that looked like a result."""
    rng = np.random.default_rng(0)
    n = 400
    data = pd.DataFrame({"x": rng.normal(size=n), "t": 0, "y": rng.integers(0, 2, n)})
    data["stratum"] = np.where(np.arange(n) < 40, "a", "b")
    data.loc[data.index < 40, "t"] = 1  # every treated in stratum a, where no control is
    kwargs = {"n_folds": 2} if cls is AIPWEstimator else {}
    with pytest.raises(NoOverlap):
        cls(treatment="t", outcome="y", covariates=["x"], strata="stratum", **kwargs).fit(data)


def _frames(trajectories):
    return {
        "clients": pd.DataFrame({"client_id": ["A", "B"], "birth_date": ["1980-01-01", "1990-01-01"]}),
        "benefits": pd.DataFrame(
            {
                "benefit_id": ["b1", "b2"],
                "client_id": ["A", "B"],
                "regulation": ["pw", "pw"],
                "start_date": ["2019-01-01", "2019-01-01"],
                "end_date": ["", ""],
                "end_reason": ["", ""],
            }
        ),
        "trajectories": pd.DataFrame(
            trajectories, columns=["trajectory_id", "client_id", "instrument_code", "start_date"]
        ),
    }


def test_panel_without_starts_or_room_for_the_horizon():
    with pytest.raises(NoStarts):
        build_panel(_frames([]), horizon=3, until="2021-01-01")
    with pytest.raises(NoStartMonth) as info:
        build_panel(_frames([("t1", "A", "X", "2020-06-10")]), horizon=12, until="2021-01-01")
    assert (info.value.first_month, info.value.last_month, info.value.horizon) == ("2020-06", "2020-01", 12)
    with pytest.raises(InvalidSetting):
        build_panel(_frames([("t1", "A", "X", "2020-06-10")]), horizon=1, until="2021-01-01", outcome="baan")


def test_an_instrument_without_overlap_gives_no_result_instead_of_failing_the_run(monkeypatch):
    panel = build_panel(_frames([("t1", "A", "X", "2020-06-10")]), horizon=1, until="2021-01-01")

    def refuse(self, *args, **kwargs):
        raise NoOverlap("test")

    monkeypatch.setattr(AIPWEstimator, "fit", refuse)
    effect = estimate_instrument(panel, "X", min_treated=1, segments=())
    assert effect.result is None and effect.no_overlap
    assert effect.to_dict()["no_overlap"] is True


def test_drlearner_fit_keeps_its_settings(table):
    """scikit-learn convention: fit learns attributes ending in `_`, it never rewrites settings."""
    learner = DRLearner(treatment="t", outcome="y", by=["ladder"], n_folds=2, min_treated=5)
    before = dict(vars(learner))
    learner.fit(table)
    assert learner.covariates is None
    first = learner.feature_names_
    assert not any(name.startswith("ladder") for name in first)  # `by` is no covariate
    # A second table with an extra column: the covariates follow the new table.
    learner.fit(table.assign(extra=np.arange(len(table)) % 3))
    assert learner.covariates is None
    assert "extra" in learner.feature_names_ and "extra" not in first
    settings = {k: v for k, v in vars(learner).items() if not k.endswith("_") and not k.startswith("_")}
    assert settings == {k: v for k, v in before.items() if not k.endswith("_") and not k.startswith("_")}
