"""What an algorithm says about itself, as data next to its code (pure Python, no Django).

Each algorithm module that decides or advises about people declares one `Declaration`
(`casework/intake/scoring.py`, `employers/matching/rules.py`, `effects/panel.py`); the
algorithm register (`trede.algorithms.selectors`) builds its entries from these
declarations, the active policy preset and the latest fairness figures, and the tests in
`trede/algorithms/tests/` compare every declaration with what the code really reads, so a
declaration that drifts from its code fails the tests.

The field names follow the Algoritmeregister's publication standard where one exists
(decision 94): `name`, `description_short`, `goal`, `impact`, `proportionality`,
`human_intervention`, `risks`, `lawful_basis`, `source_data`, `methods_and_models`,
`publiccode`; what the standard has no field for (the data deliberately not used, the
thresholds, the fairness analysis) is added under `x_trede`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Attributes that a scoring or matching model must never use (shared/DOMAIN.md "Privacy,
# law and fairness"; decision 12). Trede registers no nationality, ethnicity or origin at
# all; gender, age, statushouder status and household are registered for other tasks.
NEVER_USED = ("nationaliteit", "etniciteit", "herkomst")
PROTECTED = (*NEVER_USED, "geslacht", "leeftijd", "statushouder", "huishouden")


@dataclass(frozen=True)
class DataItem:
    """One piece of data: `key` is how the code names it, `source` where it comes from."""

    key: str
    label: str
    source: str = ""


@dataclass(frozen=True)
class NotUsed:
    """Data the algorithm deliberately leaves out, and why."""

    key: str
    label: str
    reason: str


@dataclass(frozen=True)
class Threshold:
    """A setting of the policy preset the algorithm applies: `path` into `PolicyPreset.config`."""

    path: str
    label: str


@dataclass(frozen=True)
class LegalBasis:
    title: str
    link: str = ""


@dataclass(frozen=True)
class Declaration:
    key: str  # the register's source_id
    name: str
    description_short: str  # at most 500 characters (the standard's limit)
    goal: str  # doel
    impact: str
    proportionality: str  # afwegingen
    human_intervention: tuple[str, ...]  # the points where a person decides
    data_used: tuple[DataItem, ...]
    data_not_used: tuple[NotUsed, ...]
    thresholds: tuple[Threshold, ...]  # from the active policy preset
    constants: tuple[tuple[str, object], ...]  # fixed settings in the code (label, value)
    lawful_basis: tuple[LegalBasis, ...]
    risks: tuple[str, ...]  # risicobeheer
    methods_and_models: str  # technische werking
    publiccode: tuple[str, ...]  # source files, relative to src/
    fairness: str  # which fairness analysis belongs to it: "diagnosis", "matching" or "effects"
    impacttoetsen: str = ""
    status: str = "in gebruik"

    def used_keys(self) -> set[str]:
        return {item.key for item in self.data_used}

    def not_used_keys(self) -> set[str]:
        return {item.key for item in self.data_not_used}
