"""The completed questionnaire fills the client's profile (education, Dutch language,
doelgroepregister, household), keeping what was recorded after the answer (decision 30)."""

from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.intake.questionnaire import QUESTIONS, profile_values
from trede.casework.intake.services import (
    application_register,
    questionnaire_complete,
    questionnaire_send,
    questionnaire_start,
    questionnaire_submit_by_client,
)
from trede.casework.tests.factories_intake import consultant_user, full_answers
from trede.clients.constants import DutchLanguage, Education, Household
from trede.clients.models import Client
from trede.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

ANSWERS = full_answers(
    opleiding="mbo2_4",
    taal_spreken="redelijk",
    taal_lezen="goed",
    indicatie="ja",
    huishouden="alleen_kinderen",
)


@pytest.fixture
def sanne():
    return consultant_user("sanne")


def _application(user, client):
    return application_register(user=user, kind="aanvraag", received_on=date(2024, 3, 1), client=client)


def _complete(user, client, answers=ANSWERS):
    questionnaire = questionnaire_start(user=user, application=_application(user, client))
    return questionnaire_complete(user=user, questionnaire=questionnaire, answers=answers)


# --- the finding: "onbekend" beside the answers ---------------------------------------------


def test_the_client_file_shows_the_answers_instead_of_onbekend(client, sanne):
    kim = ClientFactory(consultant=sanne.consultant, education="", dutch_language="", household="", dgr=None)
    application = _application(sanne, kim)
    client.force_login(sanne)
    url = reverse("casework:intake_questionnaire", kwargs={"pk": application.pk})
    done = client.post(url, ANSWERS | {"opslaan": "1"}, follow=True)
    assert "Overgenomen in het dossier: opleiding (mbo 2-4)" in done.content.decode()

    def section(name):
        return client.get(reverse("clients:section", args=[kim.pk, name])).content.decode()

    werkprofiel = section("werkprofiel")
    assert "Wat is uw hoogste diploma?</dt><dd>Mbo 2, 3 of 4" in werkprofiel  # the answer, as before
    assert "<dt>Opleiding</dt><dd>mbo 2-4</dd>" in werkprofiel
    assert "<dt>Nederlandse taal</dt><dd>B1</dd>" in werkprofiel  # the lower of speaking and reading
    assert "<dt>Huishouden</dt><dd>alleenstaande ouder</dd>" in section("leefgebieden")
    assert "<dt>Doelgroepregister</dt><dd>ja</dd>" in section("diagnose")


# --- the rule -------------------------------------------------------------------------------


def test_an_older_record_is_replaced_and_the_change_audited_without_values(sanne):
    with freeze_time("2024-01-02 10:00:00+01:00"):
        kim = ClientFactory(consultant=sanne.consultant, education="basis", dutch_language="a2", household="")
    fill = _complete(sanne, kim).profile_fill
    kim.refresh_from_db()
    assert (kim.education, kim.dutch_language, kim.household, kim.dgr) == (
        "mbo2_4",
        "b1",
        "alleenstaande_ouder",
        True,
    )
    assert not fill.kept
    row = AuditEvent.objects.get(event="client_profile_filled", client_id=kim.pk)
    assert describe(row) == (
        "Gegevens uit de vragenlijst overgenomen in het dossier: opleiding, Nederlandse taal, "
        "doelgroepregister, huishouden. Niet overgenomen omdat later vastgelegd: niets."
    )
    assert row.section == "werkprofiel" and row.username == "sanne"
    assert not {"mbo2_4", "b1", "alleenstaande_ouder"} & set(map(str, row.details.values()))
    assert kim.history.first().history_change_reason.startswith("vragenlijst")


def test_a_value_recorded_after_the_applicants_answer_stays(sanne):
    kim = ClientFactory(consultant=sanne.consultant, education="", household="")
    application = _application(sanne, kim)
    with freeze_time("2024-03-01 09:00:00+01:00"):
        questionnaire = questionnaire_send(user=sanne, application=application)
        questionnaire_submit_by_client(token=questionnaire.token, answers=ANSWERS)
    with freeze_time("2024-03-05 09:00:00+01:00"):
        kim.refresh_from_db()
        kim.education = "hbo_wo"  # recorded by a person (an import, the admin) after the answer
        kim.save()
    with freeze_time("2024-03-08 09:00:00+01:00"):
        questionnaire.refresh_from_db()
        fill = questionnaire_complete(user=sanne, questionnaire=questionnaire, answers=ANSWERS).profile_fill
    kim.refresh_from_db()
    assert kim.education == "hbo_wo" and kim.household == "alleenstaande_ouder"
    assert (
        "Niet overgenomen, want later vastgelegd dan het antwoord: opleiding (hbo / wo, vastgelegd 05-03-2024)"
        in (fill.message())
    )
    row = AuditEvent.objects.get(event="client_profile_filled", client_id=kim.pk)
    assert row.details["behouden"] == ["opleiding"] and "opleiding" not in row.details["overgenomen"]

    # Changed in the conversation, the answer is newer than the record and goes in.
    with freeze_time("2024-03-09 09:00:00+01:00"):
        questionnaire.refresh_from_db()
        questionnaire_complete(
            user=sanne, questionnaire=questionnaire, answers=ANSWERS | {"opleiding": "geen"}
        )
    kim.refresh_from_db()
    assert kim.education == "geen"


def test_a_value_from_an_earlier_questionnaire_gives_way_to_a_later_one(sanne):
    kim = ClientFactory(consultant=sanne.consultant, education="")
    with freeze_time("2024-03-01 09:00:00+01:00"):
        second = questionnaire_send(user=sanne, application=_application(sanne, kim))
        questionnaire_submit_by_client(token=second.token, answers=ANSWERS | {"opleiding": "hbo_wo"})
    with freeze_time("2024-03-05 09:00:00+01:00"):
        _complete(sanne, kim, ANSWERS | {"opleiding": "basis"})
    kim.refresh_from_db()
    assert kim.education == "basis"
    with freeze_time("2024-03-08 09:00:00+01:00"):
        second.refresh_from_db()
        questionnaire_complete(user=sanne, questionnaire=second, answers=ANSWERS | {"opleiding": "hbo_wo"})
    kim.refresh_from_db()
    assert kim.education == "hbo_wo"


def test_an_answer_never_clears_a_registered_indication_nor_an_unknown_record(sanne):
    kim = ClientFactory(consultant=sanne.consultant, dgr=True, household="")
    Client.objects.filter(pk=kim.pk).update(household="overig")  # no history: moment unknown
    fill = _complete(sanne, kim, ANSWERS | {"indicatie": "nee", "huishouden": "partner"}).profile_fill
    kim.refresh_from_db()
    assert kim.dgr is True and kim.household == "overig"
    assert {name for name, _value, _at in fill.kept} == {"doelgroepregister", "huishouden"}
    assert "huishouden (overig)" in fill.message()


def test_deferred_and_unknown_answers_fill_nothing(sanne):
    kim = ClientFactory(consultant=sanne.consultant, dgr=None, household="", education="")
    questionnaire = questionnaire_send(user=sanne, application=_application(sanne, kim))
    questionnaire_submit_by_client(
        token=questionnaire.token, answers=ANSWERS | {"indicatie": "weet_niet", "huishouden": "bespreken"}
    )
    questionnaire.refresh_from_db()
    # Submitted online: not yet in the file; that happens when the consultant completes it.
    kim.refresh_from_db()
    assert kim.education == ""
    values = profile_values(questionnaire.answers)
    assert "dgr" not in values and "household" not in values


# --- the mapping, pure ----------------------------------------------------------------------


@given(
    st.fixed_dictionaries(
        {}, optional={q.id: st.sampled_from([c.value for c in q.choices]) for q in QUESTIONS if q.choices}
    )
)
def test_profile_values_are_valid_codes_of_the_client_fields(answers):
    values = profile_values(answers)
    assert set(values) <= {"education", "dutch_language", "dgr", "household"}
    assert values.get("education", "geen") in Education.values
    assert values.get("household", "overig") in Household.values
    assert values.get("dutch_language", "a0") in DutchLanguage.values
    assert values.get("dgr", True) in (True, False)
    # The lower of the two language answers counts: a worse answer never raises the level.
    order = ["a0", "a1", "a2", "b1", "b2"]
    if answers.get("taal_lezen") == "nee":
        assert values["dutch_language"] == "a0"
    if answers.get("taal_spreken") and answers.get("taal_lezen"):
        alone = [profile_values({k: answers[k]})["dutch_language"] for k in ("taal_spreken", "taal_lezen")]
        assert values["dutch_language"] == min(alone, key=order.index)
    assert ("education" in values) == (answers.get("opleiding") is not None)
