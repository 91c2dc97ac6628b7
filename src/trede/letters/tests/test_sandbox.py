"""The template language: only declared placeholders, only {% if %} and {% for %}, the
bezwaar clause required in a beschikking; every refusal a specific Dutch message."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.letters import sandbox
from trede.letters.kinds import KINDS, PLACEHOLDERS, LetterKind

PLAN, MAATREGEL = LetterKind.PLAN, LetterKind.MAATREGEL


def test_every_shipped_text_checks_and_renders_with_its_examples():
    for kind, spec in KINDS.items():
        used = sandbox.used_placeholders(kind, spec.subject, spec.body)
        assert used <= set(spec.placeholders), kind
        assert set(spec.required) <= used, kind
        values = {name: PLACEHOLDERS[name].example for name in used}
        assert sandbox.render(spec.body, values).strip()


def test_a_shipped_beschikking_does_not_use_the_bsn_it_may_declare():
    for kind, spec in KINDS.items():
        if kind == "intrekkingsbesluit":  # names the decision it withdraws: no BSN at all
            assert "bsn" not in spec.placeholders
        elif spec.is_beschikking:
            assert "bsn" in spec.placeholders
        if spec.is_beschikking:
            assert "bsn" not in sandbox.used_placeholders(kind, spec.subject, spec.body)


@pytest.mark.parametrize(
    "text,message",
    [
        ("{{ bsn }}", "hoort niet bij deze brief"),  # declared elsewhere, not for the plan
        ("{{ diagnose }}", "bestaat niet voor deze brief"),
        ("{{ client.bsn }}", "bestaat niet voor deze brief"),
        ("{{ naam.upper }}", "zonder punt"),
        ("{{ afspraken }}", "is een lijst"),
        ("{% for a in afspraken %}{{ a.bsn }}{% endfor %}", "U kunt gebruiken: a.gedaan"),
        ("{% load static %}", "{% load %} is niet toegestaan"),
        ("{% include 'base.html' %}", "{% include %} is niet toegestaan"),
        ("{% url 'login' %}", "{% url %} is niet toegestaan"),
        ("{% debug %}", "{% debug %} is niet toegestaan"),
        ("{{ naam|safe }}", "Het filter |safe is niet toegestaan"),
        ("{% if naam %}open", "wordt niet afgesloten"),
        ("{% if bsn %}x{% endif %}", "hoort niet bij deze brief"),
        ("{{ naam|default:bsn }}", "hoort niet bij deze brief"),
        ("{% for x in bsn %}{% endfor %}", "hoort niet bij deze brief"),
        ("{% if not diagnose and naam %}x{% endif %}", "bestaat niet voor deze brief"),
    ],
)
def test_a_template_asking_for_more_is_refused_in_dutch(text, message):
    with pytest.raises(sandbox.TemplateRefused) as refused:
        sandbox.used_placeholders(PLAN, text)
    assert message in str(refused.value)


def test_a_beschikking_without_the_bezwaar_clause_is_refused():
    with pytest.raises(sandbox.TemplateRefused, match="bezwaarclausule"):
        sandbox.used_placeholders(MAATREGEL, "Onderwerp", "Beste {{ naam }}, wij verlagen uw uitkering.")
    assert "bezwaar_uiterlijk" in sandbox.used_placeholders(
        MAATREGEL, "Onderwerp", "Tot {{ bezwaar_uiterlijk }}."
    )


def test_loop_variables_and_forloop_are_allowed():
    used = sandbox.used_placeholders(
        PLAN,
        "{% for a in afspraken %}{{ forloop.counter }}. {{ a.omschrijving|capfirst }}"
        "{% if a.gedaan %} ({{ a.gedaan }}){% endif %}{% empty %}geen{% endfor %}",
    )
    assert used == {"afspraken"}


def test_values_are_text_not_markup_and_nothing_else_is_reachable():
    out = sandbox.render("{{ naam }} {{ onbekend }}", {"naam": "<b>Anna</b>"})
    assert out == "<b>Anna</b> "  # escaped later, by the letter's HTML (rules.text_to_html)


NAMES = sorted(PLACEHOLDERS)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(KINDS)), st.lists(st.sampled_from(NAMES), min_size=1, max_size=4))
def test_a_template_is_accepted_exactly_when_it_uses_only_its_declared_scalars(kind, names):
    """The rule: a name may be used when the kind declares it (lists only in a for)."""
    text = " ".join("{{ " + n + " }}" for n in names) + "".join(
        "{{ " + r + " }}" for r in KINDS[kind].required
    )
    declared = set(KINDS[kind].placeholders)
    ok = all(n in declared and not PLACEHOLDERS[n].items for n in names)
    try:
        used = sandbox.used_placeholders(kind, text)
    except sandbox.TemplateRefused:
        assert not ok
    else:
        assert ok and used == set(names) | set(KINDS[kind].required)
