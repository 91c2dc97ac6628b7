"""Nuisance models for the estimators: propensity score and outcome regressions.

Defaults are chosen for speed on tables of 10^4-10^5 rows with tens of columns: an L2
regularised logistic regression on standardised columns for the propensity score and for
0/1 outcomes (fit by Newton's method: a handful of iterations with a small Hessian,
several times faster than a general-purpose solver here), ridge regression for other
outcomes. `learner="boosting"` switches both to
histogram gradient boosting (slower, picks up interactions and non-linearity). Any
scikit-learn estimator can be passed instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_classifier
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import Ridge

from .errors import InvalidSetting

LEARNERS = ("linear", "boosting")


class _Standardised(BaseEstimator):
    """Standardise with the sample weights, then fit; keeps penalties comparable across columns."""

    def __init__(self, model: Any):
        self.model = model

    def fit(self, x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> _Standardised:
        w = np.ones(len(y)) if sample_weight is None else sample_weight
        self.mean_ = np.average(x, axis=0, weights=w) if x.shape[1] else np.zeros(0)
        sd = np.sqrt(np.average((x - self.mean_) ** 2, axis=0, weights=w)) if x.shape[1] else np.zeros(0)
        self.scale_ = np.where(sd > 0, sd, 1.0)
        self.model_ = clone(self.model).fit(self.transform(x), y, sample_weight=sample_weight)
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean_) / self.scale_

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(self.transform(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.model_.predict(self.transform(x))


class NewtonLogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression, the same objective as scikit-learn's.

    Minimises sum_i w_i logloss_i + ||coef||^2 / (2 C) (intercept unpenalised) by Newton
    steps with step halving; with tens of columns each step costs one small Gram matrix.
    """

    def __init__(self, C: float = 1.0, max_iter: int = 100, tol: float = 1e-8):
        self.C = C
        self.max_iter = max_iter
        self.tol = tol

    def fit(
        self, x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> NewtonLogisticRegression:
        y = np.asarray(y, dtype=float)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        design = np.column_stack([np.ones(len(y)), x])
        penalty = np.r_[0.0, np.full(x.shape[1], 1.0 / self.C)]
        mean = np.clip(np.average(y, weights=w), 1e-6, 1 - 1e-6)
        beta = np.zeros(design.shape[1])
        beta[0] = np.log(mean / (1 - mean))

        def objective(b: np.ndarray) -> float:
            z = design @ b
            return float((w * (np.logaddexp(0.0, z) - y * z)).sum() + 0.5 * (penalty * b * b).sum())

        current = objective(beta)
        self.n_iter_ = 0
        for iteration in range(1, self.max_iter + 1):
            self.n_iter_ = iteration
            p = expit(design @ beta)
            grad = design.T @ (w * (y - p)) - penalty * beta
            hess = (design * (w * p * (1 - p))[:, None]).T @ design
            hess[np.diag_indices_from(hess)] += penalty + 1e-10
            step = np.linalg.solve(hess, grad)
            scale = 1.0
            while True:
                candidate = beta + scale * step
                value = objective(candidate)
                if value <= current + 1e-12 * abs(current) or scale < 1e-8:
                    break
                scale /= 2
            beta, improvement, current = candidate, current - value, value
            if np.max(np.abs(scale * step)) < 1e-6 or improvement < self.tol * max(abs(current), 1.0):
                break
        self.intercept_ = np.array([beta[0]])
        self.coef_ = beta[1:][None, :]
        self.classes_ = np.array([0.0, 1.0])
        return self

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        return x @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = expit(self.decision_function(x))
        return np.column_stack([1 - p, p])

    def predict(self, x: np.ndarray) -> np.ndarray:
        return (self.decision_function(x) > 0).astype(float)


class _Constant(BaseEstimator):
    """Prediction when the training outcome does not vary (tiny folds, rare outcomes)."""

    def __init__(self, value: float):
        self.value = value

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.full(len(x), self.value)


def make_propensity_model(learner: str, *, C: float = 1.0, random_state: int = 0) -> Any:
    if learner == "linear":
        return _Standardised(NewtonLogisticRegression(C=C))
    if learner == "boosting":
        return HistGradientBoostingClassifier(
            max_iter=150, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=40, random_state=random_state
        )
    raise InvalidSetting("learner", learner, LEARNERS)


def make_outcome_model(learner: str, *, binary: bool, C: float = 1.0, random_state: int = 0) -> Any:
    if learner == "linear":
        return _Standardised(NewtonLogisticRegression(C=C) if binary else Ridge(alpha=1.0))
    if learner == "boosting":
        kwargs = dict(
            max_iter=150, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=40, random_state=random_state
        )
        return HistGradientBoostingClassifier(**kwargs) if binary else HistGradientBoostingRegressor(**kwargs)
    raise InvalidSetting("learner", learner, LEARNERS)


def fit_propensity(model: Any, x: np.ndarray, t: np.ndarray, w: np.ndarray) -> Any:
    return clone(model).fit(x, t, sample_weight=w)


def predict_propensity(model: Any, x: np.ndarray) -> np.ndarray:
    return model.predict_proba(x)[:, 1]


def fit_outcome(model: Any, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> Any:
    if len(y) == 0:
        return _Constant(0.0)
    if np.all(y == y[0]):
        return _Constant(float(y[0]))
    return clone(model).fit(x, y, sample_weight=w)


def predict_outcome(model: Any, x: np.ndarray) -> np.ndarray:
    if is_classifier(getattr(model, "model_", model)):
        return model.predict_proba(x)[:, 1]
    return np.asarray(model.predict(x), dtype=float)
