"""The route decision: the preset's advice shown, another route chosen with a reason,
deviations visible in the file and the audit log, and countable for policy staff."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.intake.models import Diagnosis, RouteDecision
from trede.casework.intake.selectors import route_deviation_counts
from trede.casework.intake.services import (
    application_register,
    diagnosis_from_questionnaire,
    diagnosis_override,
    questionnaire_complete,
    questionnaire_start,
    route_decide,
)
from trede.casework.policy.rules import route_advice
from trede.casework.policy.selectors import active_policy
from trede.casework.tests.factories_intake import consultant_user, full_answers
from trede.clients.tests.factories import valid_bsn

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanne():
    return consultant_user("sanne")


def tool_diagnosis(user, n=1) -> Diagnosis:
    application = application_register(
        user=user,
        kind="melding",
        received_on=date(2024, 3, 1),
        client_data={
            "given_name": "Kim",
            "family_name": "Mulder",
            "birth_date": date(1990, 5, 1),
            "bsn": valid_bsn(n),
        },
    )
    questionnaire = questionnaire_start(user=user, application=application)
    questionnaire_complete(user=user, questionnaire=questionnaire, answers=full_answers())
    return diagnosis_from_questionnaire(user=user, questionnaire=questionnaire)


def test_advice_names_the_rule_of_the_preset():
    config = active_policy().config
    limit = config["routes"]["re_integratie_max_months"]
    advice = route_advice(14, category="1C", config=config)
    assert advice.route == "re_integratie" and f"tot en met {limit} maanden" in advice.why
    assert route_advice(limit + 1, category="2A", config=config).route == "participatie"
    assert "2B" in route_advice(30, category="2B", config=config).why


def test_following_the_advice_needs_no_deviation_reason(sanne):
    tool = tool_diagnosis(sanne)
    decision = route_decide(
        user=sanne, client=tool.client, diagnosis=tool, route="re_integratie", reason="Besproken"
    )
    assert decision.advised_route == decision.route == "re_integratie"
    assert not decision.deviates and decision.deviation_reason == ""
    event = AuditEvent.objects.get(event="route_decided")
    assert event.details["route_code"] == "re_integratie" and event.object_id == str(decision.pk)
    assert describe(event) == (
        f"Route re-integratie besloten vanaf {decision.decided_on:%d-%m-%Y} op diagnose {tool.pk}; "
        f"advies van het beleid {decision.preset_key}: re-integratie."
    )


def test_another_route_needs_a_reason_and_is_stored_with_the_advice(sanne):
    tool = tool_diagnosis(sanne)
    for short in ("", "ok"):
        with pytest.raises(ValidationError) as refused:
            route_decide(
                user=sanne,
                client=tool.client,
                diagnosis=tool,
                route="participatie",
                deviation_reason=short,
                reason="Besproken",
            )
        assert "deviation_reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as too_long:
        route_decide(
            user=sanne,
            client=tool.client,
            diagnosis=tool,
            route="participatie",
            deviation_reason="x" * 2001,
            reason="Besproken",
        )
    assert "te lang" in str(too_long.value)
    assert not RouteDecision.objects.exists() and not AuditEvent.objects.filter(object_type="route_decision")

    decision = route_decide(
        user=sanne,
        client=tool.client,
        diagnosis=tool,
        route="participatie",
        deviation_reason="Eerst schuldhulp en zorg, werk is nu niet haalbaar",
        reason="Besproken met de klant",
    )
    assert decision.deviates and decision.advised_route == "re_integratie"
    assert decision.route == "participatie" and decision.deviation_reason.startswith("Eerst schuldhulp")
    event = AuditEvent.objects.get(event="route_decided_deviating")
    text = describe(event)
    assert "afwijkend van het advies re-integratie" in text and "Route participatie" in text
    assert "schuldhulp" not in str(event.details)  # the free-text reason stays on the decision


def test_none_and_unknown_routes_are_refused(sanne):
    tool = tool_diagnosis(sanne)
    for route in ("", "geen", "x" * 50):
        with pytest.raises(ValidationError) as refused:
            route_decide(user=sanne, client=tool.client, diagnosis=tool, route=route, reason="Besproken")
        assert "Kies een route" in str(refused.value)
    assert not RouteDecision.objects.exists()


def test_implausible_effective_dates_are_refused(sanne):
    tool = tool_diagnosis(sanne)
    today = timezone.localdate()
    for day in (date(1899, 12, 31), today + timedelta(days=367), date(9999, 12, 31)):
        with pytest.raises(ValidationError) as refused:
            route_decide(user=sanne, client=tool.client, diagnosis=tool, reason="B", decided_on=day)
        assert "decided_on" in refused.value.message_dict
    assert not RouteDecision.objects.exists()
    assert route_decide(
        user=sanne, client=tool.client, diagnosis=tool, reason="B", decided_on=today + timedelta(days=30)
    )


def test_override_route_counts_as_deviation_with_the_override_reason(sanne):
    tool = tool_diagnosis(sanne)
    override = diagnosis_override(
        user=sanne, diagnosis=tool, changes={"route": "directe_bemiddeling"}, reason="Heeft een baan op zicht"
    )
    decision = route_decide(user=sanne, client=tool.client, diagnosis=override, reason="Akkoord")
    assert decision.route == "directe_bemiddeling" and decision.advised_route == "re_integratie"
    assert decision.deviates and decision.deviation_reason == "Heeft een baan op zicht"


def test_deviation_counts_for_policy_staff(sanne):
    today = timezone.localdate()
    first, second, third = (tool_diagnosis(sanne, n) for n in (10, 20, 30))
    route_decide(user=sanne, client=first.client, diagnosis=first, route="re_integratie", reason="B")
    route_decide(
        user=sanne,
        client=second.client,
        diagnosis=second,
        route="participatie",
        deviation_reason="Zorg gaat voor, zie verslag",
        reason="B",
    )
    route_decide(
        user=sanne,
        client=third.client,
        diagnosis=third,
        route="participatie",
        deviation_reason="Zorg gaat voor, zie verslag",
        reason="B",
        decided_on=today - timedelta(days=100),
    )
    # A decision from before the advice was recorded is not counted either way.
    RouteDecision.objects.filter(client=first.client).update(advised_route="")
    counts = route_deviation_counts()
    assert counts == {"decisions": 2, "deviations": 2, "pairs": {("re_integratie", "participatie"): 2}}
    recent = route_deviation_counts(start=today - timedelta(days=30), end=today)
    assert recent["decisions"] == 1 and recent["deviations"] == 1


def test_route_page_shows_the_advice_and_the_file_shows_the_deviation(client, sanne):
    client.force_login(sanne)
    tool = tool_diagnosis(sanne)
    url = reverse("casework:diagnosis_detail", kwargs={"diagnosis_id": tool.pk})
    page = client.get(url).content.decode()
    assert "Advies van het beleid" in page and "re-integratie (advies)" in page
    advised_radio = re.search(r'<input[^>]*name="route-route"[^>]*value="re_integratie"[^>]*>', page)
    assert advised_radio and "checked" in advised_radio.group(0)

    route_url = reverse("casework:route_decide", kwargs={"diagnosis_id": tool.pk})
    today = timezone.localdate().isoformat()
    refused = client.post(
        route_url, {"route-decided_on": today, "route-route": "participatie", "route-reason": "Besproken"}
    )
    assert refused.status_code == 400 and "Geef de reden van de afwijking" in refused.content.decode()
    none = client.post(route_url, {"route-decided_on": today, "route-route": "", "route-reason": "Besproken"})
    assert none.status_code == 400 and "Kies een route" in none.content.decode()
    assert not RouteDecision.objects.exists()

    done = client.post(
        route_url,
        {
            "route-decided_on": today,
            "route-route": "participatie",
            "route-deviation_reason": "Eerst zorg, werk is nu niet haalbaar",
            "route-reason": "Besproken",
        },
    )
    assert done.status_code == 302
    assert RouteDecision.objects.get().deviates
    page = client.get(url).content.decode()
    assert "afwijkend van het advies" in page and "Eerst zorg" in page
    file_page = client.get(reverse("clients:file", kwargs={"client_id": tool.client_id})).content.decode()
    assert "de consulent koos een andere route" in file_page and "Eerst zorg" in file_page


def test_a_route_on_a_diagnosis_that_a_newer_one_followed_is_refused(client, sanne):
    tool = tool_diagnosis(sanne)
    newer = diagnosis_override(
        user=sanne, diagnosis=tool, changes={"months_to_work": 40}, reason="Net verhuisd, eerst rust"
    )
    with pytest.raises(ValidationError, match="Iemand anders heeft de diagnose van deze klant gewijzigd"):
        route_decide(user=sanne, client=tool.client, diagnosis=tool, reason="Besproken")
    client.force_login(sanne)
    response = client.post(
        reverse("casework:route_decide", kwargs={"diagnosis_id": tool.pk}),
        {
            "route-decided_on": timezone.localdate().isoformat(),
            "route-route": "re_integratie",
            "route-reason": "x",
        },
    )
    assert response.status_code == 409 and "Afstand tot werk" in response.content.decode()
    assert not RouteDecision.objects.exists()
    assert (
        route_decide(user=sanne, client=tool.client, diagnosis=newer, reason="Besproken").diagnosis == newer
    )
