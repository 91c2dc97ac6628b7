"""Intake services: registration, self-service link, completion, diagnosis, override, route."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from trede.audit import logevent
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.intake.models import Application, Diagnosis, RouteDecision
from trede.casework.intake.services import (
    QuestionnaireLinkError,
    application_register,
    diagnosis_from_questionnaire,
    diagnosis_override,
    questionnaire_complete,
    questionnaire_send,
    questionnaire_start,
    questionnaire_submit_by_client,
    route_decide,
)
from trede.casework.policy.models import PolicyPreset
from trede.casework.tests.factories_intake import consultant_user, full_answers
from trede.clients.models import Client
from trede.clients.tests.factories import ClientFactory, valid_bsn

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def consultant():
    return consultant_user("sanne")


@pytest.fixture
def other_consultant():
    return consultant_user("peter")


def new_client_data(**extra):
    return {
        "given_name": "Kim",
        "family_name": "Mulder",
        "birth_date": date(1990, 5, 1),
        "bsn": valid_bsn(7),
    } | extra


def register(user, **extra):
    return application_register(
        user=user, kind="melding", received_on=date(2024, 3, 1), client_data=new_client_data(**extra)
    )


def audit_rows(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", "object_type"))


def completed(user, answers=None):
    application = register(user)
    questionnaire = questionnaire_start(user=user, application=application)
    return questionnaire_complete(user=user, questionnaire=questionnaire, answers=answers or full_answers())


# --- registration ---------------------------------------------------------------------------


def test_register_new_applicant_numbers_client_and_puts_it_in_the_caseload(consultant):
    ClientFactory(client_id="T000009", bsn="")
    application = register(consultant)
    client = application.client
    assert client.client_id == "T000010"
    assert client.consultant == consultant.consultant
    assert application.consultant == consultant.consultant
    assert application.status == "nieuw"
    assert audit_rows(client_id=client.pk) == [("create", "client"), ("create", "application")]
    second = register(consultant, bsn=valid_bsn(8))
    assert second.client_id == "T000011"


def test_register_refuses_an_invalid_bsn_and_writes_nothing(consultant):
    with pytest.raises(ValidationError):
        register(consultant, bsn="123456789")
    # Creating the test user is itself audited (its role); the refused registration is not.
    assert not Client.objects.exists() and not AuditEvent.objects.exclude(object_type="gebruiker").exists()


def test_register_refuses_a_known_bsn(consultant):
    ClientFactory(bsn=valid_bsn(7))
    with pytest.raises(ValidationError) as error:
        register(consultant)
    assert "bsn" in error.value.error_dict
    assert Application.objects.count() == 0


def test_register_needs_a_consultant_with_a_caseload(django_user_model):
    teamleider = django_user_model.objects.create_user(username="tl", role="teamleider", team="Werk")
    with pytest.raises(PermissionDenied):
        register(teamleider)


def test_register_for_someone_elses_client_is_refused_and_the_refusal_logged(consultant, other_consultant):
    client = register(other_consultant).client
    with pytest.raises(PermissionDenied):
        application_register(user=consultant, kind="aanvraag", received_on=date(2024, 4, 1), client=client)
    assert client.applications.count() == 1
    assert AuditEvent.objects.filter(action="denied", client_id=client.pk, username="sanne").exists()


def test_change_and_audit_row_are_one_transaction(consultant, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit down")

    # The registration's rows are written by logevent (client_registered, application_registered).
    monkeypatch.setattr(logevent, "audit_record", broken)
    with pytest.raises(RuntimeError):
        register(consultant)
    assert not Client.objects.exists() and not Application.objects.exists()


# --- self-service link ----------------------------------------------------------------------


def test_link_is_valid_for_14_days_and_can_be_used_once(consultant):
    application = register(consultant)
    with freeze_time("2024-03-04 10:00:00+01:00"):
        questionnaire = questionnaire_send(user=consultant, application=application)
    assert questionnaire.token_valid_until == datetime(2024, 3, 18, 10, 0, tzinfo=AMS)
    application.refresh_from_db()
    assert application.status == "vragenlijst"
    with freeze_time("2024-03-17 09:00:00+01:00"):
        questionnaire_submit_by_client(
            token=questionnaire.token, answers=full_answers(werk_laatst="1_3j", schulden="bespreken")
        )
    questionnaire.refresh_from_db()
    assert questionnaire.answers == full_answers(werk_laatst="1_3j", schulden="bespreken")
    assert questionnaire.submitted_by_client_at is not None
    with (
        freeze_time("2024-03-17 09:05:00+01:00"),
        pytest.raises(QuestionnaireLinkError, match="al ingestuurd"),
    ):
        questionnaire_submit_by_client(token=questionnaire.token, answers={"werk_laatst": "nooit"})
    questionnaire.refresh_from_db()
    assert questionnaire.answers["werk_laatst"] == "1_3j"
    submit_audit = AuditEvent.objects.get(object_type="questionnaire", user__isnull=True)
    assert submit_audit.action == "update" and submit_audit.client_id == application.client_id


def test_expired_link_is_refused(consultant):
    application = register(consultant)
    with freeze_time("2024-03-04 10:00:00+01:00"):
        questionnaire = questionnaire_send(user=consultant, application=application)
    with (
        freeze_time("2024-03-18 10:00:01+01:00"),
        pytest.raises(QuestionnaireLinkError, match="verlopen op 18-03-2024"),
    ):
        questionnaire_submit_by_client(token=questionnaire.token, answers={"werk_laatst": "nooit"})
    questionnaire.refresh_from_db()
    assert questionnaire.answers == {} and questionnaire.submitted_by_client_at is None


def test_unknown_link_and_replaced_link_are_refused(consultant):
    application = register(consultant)
    first = questionnaire_send(user=consultant, application=application).token
    second = questionnaire_send(user=consultant, application=application).token
    assert first != second
    for token in ("niet-bestaand", first):
        with pytest.raises(QuestionnaireLinkError, match="werkt niet"):
            questionnaire_submit_by_client(token=token, answers={})
    questionnaire_submit_by_client(token=second, answers=full_answers(uren="12_24"))


def test_client_answers_are_checked(consultant):
    questionnaire = questionnaire_send(user=consultant, application=register(consultant))
    with pytest.raises(ValidationError):
        questionnaire_submit_by_client(token=questionnaire.token, answers={"uren": "veel"})
    with pytest.raises(ValidationError):
        questionnaire_submit_by_client(token=questionnaire.token, answers={"nationaliteit": "NL"})


def test_completion_needs_every_answer_and_closes_the_link(consultant):
    application = register(consultant)
    questionnaire = questionnaire_send(user=consultant, application=application)
    answers = full_answers()
    with pytest.raises(ValidationError, match="Beantwoord ook"):
        questionnaire_complete(user=consultant, questionnaire=questionnaire, answers={"werk_laatst": "nooit"})
    with pytest.raises(ValidationError):
        questionnaire_complete(
            user=consultant, questionnaire=questionnaire, answers=answers | {"schulden": "bespreken"}
        )
    questionnaire_complete(user=consultant, questionnaire=questionnaire, answers=answers)
    application.refresh_from_db()
    assert application.status == "intake"
    with pytest.raises(QuestionnaireLinkError):
        questionnaire_submit_by_client(token=questionnaire.token, answers={})


def test_other_consultant_cannot_send_complete_or_diagnose(consultant, other_consultant):
    questionnaire = completed(consultant)
    with pytest.raises(PermissionDenied):
        questionnaire_send(user=other_consultant, application=questionnaire.application)
    with pytest.raises(PermissionDenied):
        questionnaire_complete(user=other_consultant, questionnaire=questionnaire, answers=full_answers())
    with pytest.raises(PermissionDenied):
        diagnosis_from_questionnaire(user=other_consultant, questionnaire=questionnaire)
    assert not Diagnosis.objects.exists()


# --- diagnosis, override, route -------------------------------------------------------------


def test_diagnosis_from_questionnaire_is_explained_and_audited(consultant):
    questionnaire = completed(consultant, full_answers(gezondheid_psychisch="ernstig"))
    BenefitFactory(client=questionnaire.client, start_date=date(2022, 1, 1), end_date=None)
    diagnosis = diagnosis_from_questionnaire(
        user=consultant, questionnaire=questionnaire, today=date(2024, 3, 10)
    )
    assert diagnosis.diagnosis_id == "TD000001"
    assert diagnosis.assessed_by == "tool" and not diagnosis.is_override
    result = diagnosis.tool_result
    assert result["benefit_months"] == 26
    contributions = {c["question_id"]: c for c in result["contributions"]}
    assert contributions["gezondheid_psychisch"]["months"] == 24
    assert contributions["uitkeringsduur"]["months"] == 3
    assert diagnosis.months_to_work == sum(c["months"] for c in result["contributions"])
    assert result["computed"]["route"] == diagnosis.route == "participatie"
    assert diagnosis.category == "2A" and diagnosis.client_group == "leren_en_ontwikkelen"
    assert diagnosis.ladder_step == 5 and diagnosis.ladder_target == 6
    assert float(diagnosis.wage_value_pct) == 45
    assert ("create", "diagnosis") in audit_rows(client_id=diagnosis.client_id)
    questionnaire.application.refresh_from_db()
    assert questionnaire.application.status == "diagnose"


def test_diagnosis_needs_a_completed_questionnaire(consultant):
    questionnaire = questionnaire_start(user=consultant, application=register(consultant))
    with pytest.raises(ValidationError, match="Rond eerst"):
        diagnosis_from_questionnaire(user=consultant, questionnaire=questionnaire)


def test_protected_client_fields_cannot_change_the_diagnosis(consultant):
    questionnaire = completed(consultant)
    client = questionnaire.client
    outcomes = set()
    for gender, statushouder, postcode in (("man", False, "2511"), ("vrouw", True, "1102"), ("x", None, "")):
        Client.objects.filter(pk=client.pk).update(
            gender=gender, statushouder=statushouder, postcode4=postcode
        )
        questionnaire.client.refresh_from_db()
        d = diagnosis_from_questionnaire(
            user=consultant, questionnaire=questionnaire, today=date(2024, 3, 10)
        )
        outcomes.add(
            (
                d.months_to_work,
                d.ladder_step,
                d.ladder_target,
                d.wage_value_pct,
                d.category,
                d.route,
                d.client_group,
                str(d.tool_result["contributions"]),
            )
        )
    assert len(outcomes) == 1


def test_override_needs_a_reason_and_keeps_every_diagnosis(consultant):
    questionnaire = completed(consultant)
    tool = diagnosis_from_questionnaire(user=consultant, questionnaire=questionnaire, today=date(2024, 3, 10))
    before = AuditEvent.objects.count()
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            diagnosis_override(user=consultant, diagnosis=tool, changes={"months_to_work": 40}, reason=reason)
    assert Diagnosis.objects.count() == 1 and AuditEvent.objects.count() == before

    override = diagnosis_override(
        user=consultant,
        diagnosis=tool,
        changes={"months_to_work": 40, "route": tool.route},
        reason="Net verhuisd",
    )
    assert override.pk != tool.pk and Diagnosis.objects.count() == 2
    tool.refresh_from_db()
    assert tool.months_to_work != 40 and not tool.is_override
    assert override.is_override and override.assessed_by == "consultant"
    assert override.override_reason == "Net verhuisd"
    assert override.overridden_fields == ["months_to_work"]
    # Category, route and group follow the active policy from the new distance.
    assert (override.category, override.route, override.client_group) == (
        "2A",
        "participatie",
        "leren_en_ontwikkelen",
    )
    assert override.tool_result["override"]["of"] == tool.pk
    assert override.tool_result["computed"] == tool.tool_result["computed"]
    event = AuditEvent.objects.get(object_id=override.pk)
    assert (event.action, event.event) == ("create", "diagnosis_overridden")
    assert event.details["velden"] == "months_to_work" and event.details["van"] == tool.pk
    assert describe(event).startswith(
        f"Diagnose {override.pk} vastgesteld door de consulent in afwijking van"
    )
    calculated = AuditEvent.objects.get(object_id=tool.pk, object_type="diagnosis")
    assert calculated.event == "diagnosis_calculated"
    assert (
        describe(calculated)
        == f"Diagnose {tool.pk} berekend met het instrument (beleid {calculated.details['beleid']})."
    )


def test_override_of_the_route_only_and_nothing_changed(consultant):
    tool = diagnosis_from_questionnaire(user=consultant, questionnaire=completed(consultant))
    with pytest.raises(ValidationError, match="niets aangepast"):
        diagnosis_override(user=consultant, diagnosis=tool, changes={"route": tool.route}, reason="x")
    with pytest.raises(ValidationError):
        diagnosis_override(user=consultant, diagnosis=tool, changes={"ladder_step": 9}, reason="x")
    override = diagnosis_override(
        user=consultant, diagnosis=tool, changes={"route": "participatie"}, reason="Zorg eerst"
    )
    assert override.route == "participatie" and override.months_to_work == tool.months_to_work
    assert override.overridden_fields == ["route"]


def test_route_decision_uses_the_active_preset(consultant):
    tool = diagnosis_from_questionnaire(user=consultant, questionnaire=completed(consultant))
    assert tool.months_to_work == 14 and tool.route == "re_integratie"
    with pytest.raises(ValidationError):
        route_decide(user=consultant, client=tool.client, diagnosis=tool, reason="")
    preset = PolicyPreset.objects.get(key="hof_van_twente")
    preset.config["routes"]["re_integratie_max_months"] = 12
    preset.save()
    PolicyPreset.objects.update(active=False)
    PolicyPreset.objects.filter(pk=preset.pk).update(active=True)
    decision = route_decide(user=consultant, client=tool.client, diagnosis=tool, reason="Besproken in intake")
    assert decision.preset_key == "hof_van_twente"
    assert decision.route == "participatie" and decision.category == "1C"
    assert decision.diagnosis == tool and decision.decided_by == consultant
    assert ("create", "route_decision") in audit_rows(client_id=tool.client_id)
    tool.questionnaire.application.refresh_from_db()
    assert tool.questionnaire.application.status == "afgerond"


def test_route_decision_keeps_what_the_consultant_overrode(consultant, other_consultant):
    tool = diagnosis_from_questionnaire(user=consultant, questionnaire=completed(consultant))
    override = diagnosis_override(
        user=consultant,
        diagnosis=tool,
        changes={"route": "directe_bemiddeling"},
        reason="Heeft een baan op zicht",
    )
    decision = route_decide(user=consultant, client=tool.client, diagnosis=override, reason="Akkoord")
    assert decision.route == "directe_bemiddeling" and decision.category == "1C"
    with pytest.raises(PermissionDenied):
        route_decide(user=other_consultant, client=tool.client, diagnosis=override, reason="x")
    assert RouteDecision.objects.count() == 1


def test_benefit_months_counts_the_running_spell():
    from trede.casework.intake.selectors import benefit_months

    client = ClientFactory()
    BenefitFactory(client=client, start_date=date(2020, 1, 1), end_date=date(2021, 1, 1), end_reason="werk")
    assert benefit_months(client=client, on=date(2022, 1, 1)) is None
    BenefitFactory(client=client, start_date=date(2021, 1, 1), end_date=None)
    assert benefit_months(client=client, on=date(2022, 1, 15)) == 24
    assert benefit_months(client=client, on=date(2019, 1, 1)) is None
    assert benefit_months(client=client, on=date(2020, 1, 1) + timedelta(days=40)) == 1


def test_override_of_the_distance_moves_target_step_unless_set(consultant):
    tool = diagnosis_from_questionnaire(user=consultant, questionnaire=completed(consultant))
    assert (tool.ladder_step, tool.ladder_target) == (5, 6)
    far = diagnosis_override(
        user=consultant, diagnosis=tool, changes={"months_to_work": 60}, reason="Lange ziekte"
    )
    assert far.ladder_target == 5 and far.category == "3A"
    assert far.tool_result["override"]["derived"]["ladder_target"] == [6, 5]
    # A value equal to the current one is no change; the consultant sets it in a next override.
    kept = diagnosis_override(user=consultant, diagnosis=far, changes={"ladder_target": 6}, reason="Ambitie")
    assert kept.ladder_target == 6 and kept.months_to_work == 60
    assert kept.overridden_fields == ["ladder_target", "months_to_work"]
    assert Diagnosis.objects.count() == 3
