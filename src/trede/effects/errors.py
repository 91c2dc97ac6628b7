"""The conditions under which the effects engine cannot give an answer, as typed exceptions.

Callers (the `trede effects` command, the stored runs behind "Wat werkt voor wie") catch
these and explain them in Dutch; they never have to parse an English message. All derive
from `EffectsError`, which is a `ValueError` as scikit-learn's input errors are, so code
that caught `ValueError` before keeps working. Programming errors (calling `fit` the wrong
way) stay `TypeError`.
"""

from __future__ import annotations

from collections.abc import Sequence


class EffectsError(ValueError):
    """The engine cannot estimate an effect from these data or settings."""


class InvalidSetting(EffectsError):
    """A setting outside its allowed values (estimand, learner, outcome)."""

    def __init__(self, name: str, value: object, allowed: Sequence[str]):
        self.name, self.value, self.allowed = name, value, tuple(allowed)
        super().__init__(f"{name} must be one of {self.allowed}, not {value!r}")


class InvalidData(EffectsError):
    """A column does not hold what it must (treatment 0/1, finite outcome, positive weights)."""

    def __init__(self, column: str, message: str):
        self.column = column
        super().__init__(message)


class MissingColumns(EffectsError):
    """Columns named in the settings are not in the table."""

    def __init__(self, columns: Sequence[str]):
        self.columns = tuple(columns)
        super().__init__(f"columns not in table: {', '.join(self.columns)}")


class NotEnoughData(EffectsError):
    """Too little data to compare: no treated or no control rows, no started trajectories."""


class NoStarts(NotEnoughData):
    """No trajectory has started, so there is no first start month to begin the panel at."""


class NoStartMonth(NotEnoughData):
    """No start month fits between the first start and `until` minus the horizon."""

    def __init__(self, *, first_month: str, last_month: str, horizon: int):
        self.first_month, self.last_month, self.horizon = first_month, last_month, horizon
        super().__init__(
            f"no start month fits between the start ({first_month}) and `until` minus the horizon"
            f" of {horizon} months ({last_month})"
        )


class NoOverlap(EffectsError):
    """After trimming for overlap no treated row (or no control row) is left to compare."""
