"""The diagnosis tool: explainable, bounded, monotone, and blind to protected features."""

import inspect

from hypothesis import given, settings
from hypothesis import strategies as st

from trede.casework.intake import scoring as scoring
from trede.casework.intake.questionnaire import QUESTION_BY_ID, QUESTIONS
from trede.casework.intake.scoring import LADDER_NOW, MONTHS, WAGE, score

SCORED = [q for q in QUESTIONS if q.scored]
PROTECTED_WORDS = (
    "nationalit",
    "herkomst",
    "geboorteland",
    "land van",
    "etnic",
    "etnisch",
    "afkomst",
    "ras",
    "statushouder",
    "vluchteling",
    "asiel",
    "geslacht",
    "gender",
    "man of vrouw",
)


def ranked(question):
    return sorted((c for c in question.choices if c.rank is not None), key=lambda c: c.rank)


answer_sets = st.fixed_dictionaries(
    {},
    optional={q.id: st.sampled_from([c.value for c in q.choices]) for q in SCORED},
)
benefit = st.one_of(st.none(), st.integers(min_value=0, max_value=400))


def test_signature_has_no_protected_inputs():
    parameters = set(inspect.signature(score).parameters)
    # `config` is the municipality's policy preset, not a fact about the person.
    assert parameters == {"answers", "benefit_months", "config"}


def test_no_question_asks_for_protected_features():
    for question in QUESTIONS:
        text = f"{question.id} {question.label} {question.help_text}".lower()
        for word in PROTECTED_WORDS:
            assert f" {word}" not in f" {text}", (question.id, word)


def test_protected_keys_in_the_answers_change_nothing():
    base = {q.id: ranked(q)[1].value for q in SCORED}
    polluted = base | {
        "gender": "vrouw",
        "geslacht": "man",
        "statushouder": "ja",
        "nationaliteit": "SY",
        "geboorteland": "Syrië",
        "etniciteit": "x",
    }
    assert score(polluted, 30) == score(base, 30)


def test_weight_tables_follow_the_ranks():
    assert set(MONTHS) == {q.id for q in SCORED}
    for question in SCORED:
        choices = ranked(question)
        assert set(MONTHS[question.id]) == {c.value for c in choices}
        months = [MONTHS[question.id][c.value] for c in choices]
        assert months == sorted(months), question.id
        wage = [WAGE.get(question.id, {}).get(c.value, 0) for c in choices]
        assert wage == sorted(wage), question.id
    steps = [LADDER_NOW[c.value] for c in ranked(QUESTION_BY_ID["bezigheid"])]
    assert steps == sorted(steps, reverse=True)


def test_best_and_worst_answers():
    best = score({q.id: ranked(q)[0].value for q in SCORED}, 0)
    assert (best.months_to_work, best.ladder_step, best.ladder_target, best.wage_value_pct) == (0, 6, 6, 100)
    assert best.wage_value_band == "80-100"
    worst = score({q.id: ranked(q)[-1].value for q in SCORED}, 100)
    assert worst.months_to_work == 120 and worst.months_total > 120
    assert (worst.ladder_step, worst.ladder_target, worst.wage_value_pct, worst.wage_value_band) == (
        1,
        2,
        0,
        "<30",
    )


def test_contributions_explain_the_months():
    answers = {q.id: ranked(q)[1].value for q in SCORED} | {"gezondheid_psychisch": "ernstig"}
    result = score(answers, 40)
    by_id = {c.question_id: c for c in result.contributions}
    assert by_id["gezondheid_psychisch"].months == 24
    assert by_id["gezondheid_psychisch"].wage_points == 50
    assert by_id["uitkeringsduur"].months == 6
    assert by_id["bezigheid"].ladder == "trede nu 5"
    assert result.months_total == sum(c.months for c in result.contributions)


def test_open_and_missing_answers_are_listed_not_scored():
    result = score({"gezondheid_lichamelijk": "bespreken", "werk_laatst": "nooit"})
    assert "gezondheid_lichamelijk" in result.missing and "bezigheid" in result.missing
    assert result.ladder_step is None and result.ladder_target is None
    assert result.months_to_work == 12


@settings(max_examples=100, deadline=None)
@given(answers=answer_sets, months_on_benefit=benefit)
def test_bounds(answers, months_on_benefit):
    result = score(answers, months_on_benefit)
    assert 0 <= result.months_to_work <= 120
    assert result.months_to_work == min(120, result.months_total)
    assert 0 <= result.wage_value_pct <= 100
    if result.ladder_step is None:
        assert result.ladder_target is None
    else:
        assert 1 <= result.ladder_step <= result.ladder_target <= 6


@settings(max_examples=150, deadline=None)
@given(
    answers=answer_sets,
    months_on_benefit=benefit,
    question=st.sampled_from(SCORED),
    data=st.data(),
)
def test_worse_answers_never_bring_work_closer(answers, months_on_benefit, question, data):
    choices = ranked(question)
    i = data.draw(st.integers(0, len(choices) - 1))
    j = data.draw(st.integers(i, len(choices) - 1))
    better = score(answers | {question.id: choices[i].value}, months_on_benefit)
    worse = score(answers | {question.id: choices[j].value}, months_on_benefit)
    assert worse.months_to_work >= better.months_to_work
    assert worse.wage_value_pct <= better.wage_value_pct
    if better.ladder_step is not None:
        assert worse.ladder_step <= better.ladder_step
        assert worse.ladder_target <= better.ladder_target


@settings(max_examples=60, deadline=None)
@given(answers=answer_sets, a=st.integers(0, 400), b=st.integers(0, 400))
def test_longer_on_benefit_never_fewer_months(answers, a, b):
    short, long_ = sorted((a, b))
    assert score(answers, long_).months_to_work >= score(answers, short).months_to_work


@given(step=st.integers(1, 6), m1=st.integers(0, 120), m2=st.integers(0, 120))
def test_target_step_falls_with_distance(step, m1, m2):
    near, far = sorted((m1, m2))
    t_near, _ = scoring.ladder_target_for(ladder_step=step, months_to_work=near)
    t_far, _ = scoring.ladder_target_for(ladder_step=step, months_to_work=far)
    assert step <= t_far <= t_near <= 6
