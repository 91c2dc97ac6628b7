"""Effect estimation for "wat werkt voor wie" (pure Python: no Django imports here).

Estimators (scikit-learn style: settings in `__init__`, `fit`, results in `result_`):
`AIPWEstimator` (default, doubly robust with cross-fitting), `IPWEstimator`,
`MatchingEstimator`, `DRLearner` (effects per subgroup). The person-month panel for the
instruments estimand is in `trede.effects.panel`, the per-instrument run in
`trede.effects.instruments`. See README.md in this folder.
"""

# Loaded on first use (PEP 562): importing a light submodule such as `trede.effects.bands`
# or `trede.effects.errors` must not pull in scikit-learn, SciPy and pandas, which cost
# about a second at the start of every `trede` command.
_LAZY = {
    "ESTIMATORS": "estimators",
    "AIPWEstimator": "estimators",
    "DRLearner": "estimators",
    "IPWEstimator": "estimators",
    "MatchingEstimator": "estimators",
    "InstrumentEffect": "instruments",
    "InstrumentsReport": "instruments",
    "estimate_instrument": "instruments",
    "estimate_instruments": "instruments",
    "Panel": "panel",
    "build_panel": "panel",
    "BalanceDiagnostics": "result",
    "Diagnostics": "result",
    "EffectResult": "result",
    "OverlapDiagnostics": "result",
    "Sensitivity": "result",
    "SubgroupEffect": "result",
    "evalue_ci": "sensitivity",
    "evalue_rr": "sensitivity",
    "sensitivity_for_difference": "sensitivity",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
