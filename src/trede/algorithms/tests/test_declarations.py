"""Each algorithm's declaration against what its code really reads: a declaration that
drifts from its code (a feature added, a question scored, a setting read) fails here."""

from __future__ import annotations

import dataclasses
import inspect
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.algorithms.declaration import NEVER_USED, PROTECTED
from trede.algorithms.selectors import DECLARATIONS, preset_value
from trede.casework.intake import scoring
from trede.casework.intake.questionnaire import QUESTIONS
from trede.casework.intake.services import _indicated
from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.rules import classify
from trede.effects import estimators, instruments, panel, weighting
from trede.effects.bands import SEGMENT_DIMENSIONS
from trede.effects.frames import COLUMNS
from trede.effects.register import REGISTER as EFFECTS
from trede.employers.matching import rules as matching
from trede.employers.matching.rules import ClientRecord, Scorer, Settings, VacancyRecord

DIAGNOSIS = scoring.REGISTER
MATCHING = matching.REGISTER
CONFIG = PRESETS[DEFAULT_PRESET]["config"]
# Column names a protected attribute has anywhere in Trede (clients.Client) or could get.
PROTECTED_COLUMNS = {
    "gender",
    "birth_date",
    "statushouder",
    "household",
    "nationality",
    "ethnicity",
    "origin",
}


class Tracking(dict):
    """A dict that remembers which keys were read (top level)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


# --------------------------------------------------------------------------- every declaration


@pytest.mark.parametrize("decl", DECLARATIONS, ids=lambda d: d.key)
def test_used_and_not_used_are_disjoint_and_never_used_is_declared(decl):
    assert decl.used_keys().isdisjoint(decl.not_used_keys())
    assert set(NEVER_USED) <= decl.not_used_keys()
    assert set(NEVER_USED).isdisjoint(decl.used_keys())
    assert len(decl.description_short) <= 500
    assert decl.human_intervention and decl.lawful_basis and decl.risks
    assert len({d.key for d in DECLARATIONS}) == len(DECLARATIONS)


@pytest.mark.parametrize("decl", [DIAGNOSIS, MATCHING], ids=lambda d: d.key)
def test_scoring_and_matching_declare_every_protected_attribute_as_not_used(decl):
    assert set(PROTECTED) <= decl.not_used_keys()
    for item in decl.data_used:
        words = f"{item.key} {item.source}".lower()
        assert not any(column in words for column in PROTECTED_COLUMNS), item


@pytest.mark.parametrize("decl", DECLARATIONS, ids=lambda d: d.key)
@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_declared_threshold_is_a_setting_of_every_preset(decl, preset):
    for threshold in decl.thresholds:
        preset_value(PRESETS[preset]["config"], threshold.path)


# --------------------------------------------------------------------------- diagnosis


def _base_answers() -> dict:
    return {
        q.id: sorted((c for c in q.choices if c.rank is not None), key=lambda c: c.rank)[0].value
        for q in QUESTIONS
        if any(c.rank is not None for c in q.choices)
    }


def _influential_answers() -> set[str]:
    """The questions whose answer changes the tool's outcome, found by trying every choice."""
    base = _base_answers()
    reference = scoring.score(base, 0, CONFIG).as_dict()
    found = set()
    for question in QUESTIONS:
        for choice in question.choices:
            if scoring.score(base | {question.id: choice.value}, 0, CONFIG).as_dict() != reference:
                found.add(question.id)
        if (
            scoring.score({k: v for k, v in base.items() if k != question.id}, 0, CONFIG).as_dict()
            != reference
        ):
            found.add(question.id)
    return found


def test_diagnosis_declares_exactly_the_answers_that_change_the_score():
    declared = {d.key for d in DIAGNOSIS.data_used if d.source == "intakevragenlijst"} - {"indicatie"}
    assert _influential_answers() == declared


def test_diagnosis_declares_the_months_on_benefit_and_nothing_else_of_the_person():
    assert set(inspect.signature(scoring.score).parameters) == {"answers", "benefit_months", "config"}
    base = _base_answers()
    assert scoring.score(base, 0, CONFIG) != scoring.score(base, 70, CONFIG)
    assert "uitkeringsduur" in DIAGNOSIS.used_keys()


def test_diagnosis_indication_reads_the_declared_answer_and_client_field():
    read: set[str] = set()

    class Recorder(SimpleNamespace):
        def __getattribute__(self, name):
            if not name.startswith("__"):
                read.add(name)
            return super().__getattribute__(name)

    answers_changing = set()
    for question in QUESTIONS:
        for choice in question.choices:
            for dgr in (None, False, True):
                if _indicated({question.id: choice.value}, Recorder(dgr=dgr)) != _indicated(
                    {}, Recorder(dgr=dgr)
                ):
                    answers_changing.add(question.id)
    assert answers_changing == {"indicatie"} and read == {"dgr"}
    assert {"indicatie", "dgr"} <= DIAGNOSIS.used_keys()


def test_diagnosis_declares_exactly_the_preset_settings_the_rules_read():
    config = Tracking(CONFIG)
    for months in (0, 3, 10, 20, 30, 50, 100):
        for step in (1, 2, 3, 4, 5, 6):
            for dgr in (None, False, True):
                classify(months_to_work=months, ladder_step=step, dgr=dgr, config=config)
                scoring.ladder_target_for(ladder_step=step, months_to_work=months, config=config)
    assert config.read == {t.path.split(".")[0] for t in DIAGNOSIS.thresholds}


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=12).filter(lambda k: k not in DIAGNOSIS.used_keys()),
        st.text(max_size=8),
        max_size=6,
    )
)
def test_undeclared_keys_in_the_answers_change_nothing(extra):
    base = _base_answers()
    assert scoring.score(base | extra, 12, CONFIG) == scoring.score(base, 12, CONFIG)


# --------------------------------------------------------------------------- matching


def _client_keys() -> set[str]:
    return {d.key for d in MATCHING.data_used if not d.key.startswith("vacancy.")}


def _vacancy_keys() -> set[str]:
    return {d.key.removeprefix("vacancy.") for d in MATCHING.data_used if d.key.startswith("vacancy.")}


def test_matching_declares_exactly_the_fields_of_its_records():
    # `point` is the centroid of postcode4 (reference data, not a fact about the person).
    assert {f.name for f in dataclasses.fields(ClientRecord)} - {"client_id", "point"} == _client_keys()
    assert {f.name for f in dataclasses.fields(VacancyRecord)} - {"vacancy_id", "point"} == _vacancy_keys()


def test_matching_scores_the_parts_its_declaration_names():
    assert dict(MATCHING.constants)["Onderdelen"] == matching.PARTS
    assert set(CONFIG["matching"]["weights"]) == set(matching.PARTS)


def test_every_declared_client_feature_can_change_a_score():
    settings_ = Settings.from_config(CONFIG["matching"])
    vacancy = VacancyRecord(
        "V1",
        occupation="5120",
        skills=(("koken", "koken"), ("plannen", "plannen")),
        hours=32,
        postcode4="2271",
        point=(52.07, 4.39),
    )
    base = ClientRecord(
        "C1",
        occupations=("5120",),
        skills=frozenset({"koken"}),
        hours=16,
        max_travel_km=20,
        postcode4="2271",
        point=(52.07, 4.39),
        language="a1",
    )
    changes = {
        "occupations": {"occupations": ("2511",)},
        "skills": {"skills": frozenset({"koken", "plannen"})},
        "hours": {"hours": 32},
        "max_travel_km": {"max_travel_km": 0.5, "postcode4": "2272", "point": (52.08, 4.40)},
        "postcode4": {"postcode4": "2272", "point": (52.10, 4.45)},
        "language": {"language": "b1"},
    }
    assert set(changes) == _client_keys()
    scorer = Scorer(settings_)
    reference = scorer.units(vacancy, base)
    for key, change in changes.items():
        assert Scorer(settings_).units(vacancy, dataclasses.replace(base, **change)) != reference, key


def test_matching_declares_exactly_the_preset_settings_it_reads():
    config = Tracking(CONFIG["matching"])
    Settings.from_config(config)
    assert {f"matching.{key}" for key in config.read} == {t.path for t in MATCHING.thresholds}


# --------------------------------------------------------------------------- effects


def test_effects_declares_exactly_the_covariates_of_the_panel():
    covariates = set(panel.CATEGORICAL_COVARIATES) | set(panel.NUMERIC_COVARIATES)
    assert EFFECTS.used_keys() - {"behandeling", "uitkomst"} == covariates


def test_effects_reads_no_column_that_names_origin():
    read = {column for columns in COLUMNS.values() for column in columns}
    assert not read & {"nationality", "ethnicity", "origin", "country_of_birth", "bsn", "family_name"}


def test_effects_constants_are_the_codes_defaults():
    constants = dict(EFFECTS.constants)
    trim = inspect.signature(weighting.bounded_trim).parameters
    estimator = inspect.signature(estimators._EffectEstimator.__init__).parameters
    assert constants["Propensitygrens (ATT), hoogstens te verwijderen aandeel starts"] == (
        trim["threshold"].default,
        estimator["max_trim_share"].default,
    )
    min_segment = inspect.signature(instruments.estimate_instrument).parameters["min_segment_treated"].default
    assert constants["Segment met weinig starts onder"] == min_segment
    assert constants["Uitsplitsingen"] == SEGMENT_DIMENSIONS
