"""Effect estimation for "wat werkt voor wie" (pure Python: no Django imports here).

Estimators (scikit-learn style: settings in `__init__`, `fit`, results in `result_`):
`AIPWEstimator` (default, doubly robust with cross-fitting), `IPWEstimator`,
`MatchingEstimator`, `DRLearner` (effects per subgroup). The person-month panel for the
instruments estimand is in `trede.effects.panel`, the per-instrument run in
`trede.effects.instruments`. See README.md in this folder.
"""

from .estimators import ESTIMATORS, AIPWEstimator, DRLearner, IPWEstimator, MatchingEstimator
from .instruments import InstrumentEffect, InstrumentsReport, estimate_instrument, estimate_instruments
from .panel import Panel, build_panel
from .result import (
    BalanceDiagnostics,
    Diagnostics,
    EffectResult,
    OverlapDiagnostics,
    Sensitivity,
    SubgroupEffect,
)
from .sensitivity import evalue_ci, evalue_rr, sensitivity_for_difference

__all__ = [
    "ESTIMATORS",
    "AIPWEstimator",
    "BalanceDiagnostics",
    "DRLearner",
    "Diagnostics",
    "EffectResult",
    "IPWEstimator",
    "InstrumentEffect",
    "InstrumentsReport",
    "MatchingEstimator",
    "OverlapDiagnostics",
    "Panel",
    "Sensitivity",
    "SubgroupEffect",
    "build_panel",
    "estimate_instrument",
    "estimate_instruments",
    "evalue_ci",
    "evalue_rr",
    "sensitivity_for_difference",
]
