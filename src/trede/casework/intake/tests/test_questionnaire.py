"""The questionnaire's completeness rule (one rule for the applicant's link and the
consultant's entry), its refusals on both pages, and the readable audit of its events."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.intake.questionnaire import (
    DISCUSS,
    DOMAIN_BY_KEY,
    QUESTIONS,
    missing_by_domain,
)
from trede.casework.intake.services import (
    IncompleteQuestionnaire,
    QuestionnaireLinkError,
    application_register,
    questionnaire_complete,
    questionnaire_send,
    questionnaire_start,
    questionnaire_submit_by_client,
)
from trede.casework.tests.factories_intake import UserFactory, consultant_user, full_answers
from trede.clients.tests.factories import valid_bsn

pytestmark = pytest.mark.django_db

CHOICE_QUESTIONS = [q for q in QUESTIONS if not q.is_text]


@pytest.fixture
def sanne():
    return consultant_user("sanne")


def _application(user, n: int = 7):
    return application_register(
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


# --- the rule, pure -------------------------------------------------------------------------


def test_every_choice_question_is_required_and_texts_are_not():
    assert {q.id for q in QUESTIONS if q.required} == {q.id for q in CHOICE_QUESTIONS}
    assert not any(q.required for q in QUESTIONS if q.is_text)
    # Every domain asks at least one required question, so an empty domain is never complete.
    assert {q.domain for q in CHOICE_QUESTIONS} == set(DOMAIN_BY_KEY)


def answer_sets():
    """Any subset of the questions, each with any of its choices (applicant's choices)."""
    return st.fixed_dictionaries(
        {},
        optional={q.id: st.sampled_from([c.value for c in q.choices]) for q in CHOICE_QUESTIONS},
    )


@given(answers=answer_sets())
def test_missing_is_exactly_the_unanswered_required_questions(answers):
    applicant = {q.id for _d, qs in missing_by_domain(answers, allow_open=True) for q in qs}
    consultant = {q.id for _d, qs in missing_by_domain(answers, allow_open=False) for q in qs}
    assert applicant == {q.id for q in CHOICE_QUESTIONS if q.id not in answers}
    # In the conversation "liever bespreken" is not an answer.
    assert consultant == applicant | {k for k, v in answers.items() if v == DISCUSS.value}
    # Grouped under the domain each question belongs to, in questionnaire order.
    for domain, questions in missing_by_domain(answers, allow_open=False):
        assert questions and all(q.domain == domain.key for q in questions)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=answer_sets())
def test_the_link_accepts_exactly_the_complete_answers(sanne, answers):
    questionnaire = questionnaire_send(user=sanne, application=_application(sanne))
    complete = not missing_by_domain(answers, allow_open=True)
    if complete:
        questionnaire_submit_by_client(token=questionnaire.token, answers=answers)
    else:
        with pytest.raises(IncompleteQuestionnaire) as refused:
            questionnaire_submit_by_client(token=questionnaire.token, answers=answers)
        for domain, _questions in refused.value.missing:
            assert domain.title in refused.value.messages[0]
    questionnaire.refresh_from_db()
    assert (questionnaire.submitted_by_client_at is not None) == complete
    assert questionnaire.answers == (answers if complete else {})
    questionnaire.client.delete()


# --- findings: an empty questionnaire was accepted ------------------------------------------


def test_an_empty_submission_through_the_link_is_refused_and_the_link_keeps_working(sanne):
    questionnaire = questionnaire_send(user=sanne, application=_application(sanne))
    with pytest.raises(ValidationError) as refused:
        questionnaire_submit_by_client(token=questionnaire.token, answers={})
    message = refused.value.messages[0]
    assert message.startswith("U heeft nog niet alle vragen beantwoord.")
    for title in ("Werk en ervaring", "Opleiding en diploma's", "Gezondheid", "Tijd voor werk"):
        assert f"{title}:" in message
    questionnaire.refresh_from_db()
    assert questionnaire.answers == {} and questionnaire.submitted_by_client_at is None
    assert not AuditEvent.objects.filter(event="questionnaire_submitted").exists()
    # Nothing was used up: the complete answers go through the same link.
    questionnaire_submit_by_client(token=questionnaire.token, answers=full_answers(schulden="bespreken"))
    with pytest.raises(QuestionnaireLinkError):
        questionnaire_submit_by_client(token=questionnaire.token, answers=full_answers())


def test_a_nearly_empty_submission_names_only_what_is_missing(sanne):
    questionnaire = questionnaire_send(user=sanne, application=_application(sanne))
    answers = full_answers()
    del answers["opleiding"], answers["uren"]
    with pytest.raises(IncompleteQuestionnaire) as refused:
        questionnaire_submit_by_client(token=questionnaire.token, answers=answers)
    assert [(d.key, [q.id for q in qs]) for d, qs in refused.value.missing] == [
        ("opleiding", ["opleiding"]),
        ("tijd", ["uren"]),
    ]
    assert "Wat is uw hoogste diploma?" in refused.value.messages[0]
    assert "Wanneer had u" not in refused.value.messages[0]


def test_the_consultants_refusal_lists_the_open_questions_per_domain(sanne):
    questionnaire = questionnaire_start(user=sanne, application=_application(sanne))
    with pytest.raises(ValidationError) as refused:
        questionnaire_complete(
            user=sanne, questionnaire=questionnaire, answers=full_answers() | {"opleiding": "", "wonen": ""}
        )
    message = refused.value.messages[0]
    assert message.startswith("De vragenlijst is nog niet compleet.")
    assert "Opleiding en diploma's: Wat is uw hoogste diploma?" in message
    assert "Wonen: Hoe woont u nu?" in message
    questionnaire.refresh_from_db()
    assert questionnaire.completed_at is None


def test_the_public_page_refuses_an_empty_form_with_a_summary_per_domain(client, sanne):
    questionnaire = questionnaire_send(user=sanne, application=_application(sanne))
    url = reverse("casework:questionnaire_public", kwargs={"token": questionnaire.token})
    response = client.post(url, {"werk_laatst": "nooit"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "U heeft nog niet alle vragen beantwoord" in html
    assert '<a href="#id_opleiding_0">Wat is uw hoogste diploma?</a>' in html
    assert '<a href="#id_werk_laatst_0">' not in html  # answered
    assert 'value="nooit" id="id_werk_laatst_5" checked' in html.replace(" required", "")
    questionnaire.refresh_from_db()
    assert questionnaire.submitted_by_client_at is None
    assert client.get(url).status_code == 200


def test_the_consultants_form_refuses_an_empty_form_with_a_summary_per_domain(client, sanne):
    application = _application(sanne)
    client.force_login(sanne)
    url = reverse("casework:intake_questionnaire", kwargs={"pk": application.pk})
    response = client.post(url, {"opslaan": "1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "De vragenlijst is nog niet compleet" in html
    for question in CHOICE_QUESTIONS:
        assert f'<a href="#id_{question.id}_0">' in html
    assert "bespreek ik liever" not in html  # not a choice in the conversation, huishouden included
    assert not application.questionnaires.exists()  # nothing started either


# --- audit: named events, readable Dutch ----------------------------------------------------


def test_questionnaire_events_read_as_dutch_sentences(sanne):
    application = _application(sanne)
    questionnaire_send(user=sanne, application=application)
    questionnaire = questionnaire_send(user=sanne, application=application)
    questionnaire_submit_by_client(
        token=questionnaire.token, answers=full_answers(schulden="bespreken", wonen="bespreken")
    )
    questionnaire.refresh_from_db()
    questionnaire_complete(
        user=sanne, questionnaire=questionnaire, answers=full_answers(schulden="nee", wonen="vast")
    )
    rows = {
        e.event: e
        for e in AuditEvent.objects.filter(client_id=application.client_id, object_type="questionnaire")
    }
    assert set(rows) >= {
        "questionnaire_link_made",
        "questionnaire_link_replaced",
        "questionnaire_submitted",
        "questionnaire_completed",
    }
    assert describe(rows["questionnaire_link_made"]).startswith(
        "Link voor de vragenlijst gemaakt, geldig tot "
    )
    assert "de vorige link werkt niet meer" in describe(rows["questionnaire_link_replaced"])
    choices = len(CHOICE_QUESTIONS)
    assert describe(rows["questionnaire_submitted"]) == (
        f"Vragenlijst ingestuurd door de inwoner via de link: {choices - 2} vragen beantwoord, "
        "2 liever in het gesprek."
    )
    assert rows["questionnaire_submitted"].user_id is None
    assert describe(rows["questionnaire_completed"]) == (
        "Vragenlijst afgerond in het intakegesprek; 2 antwoorden aangepast."
    )
    # Codes in the details, never the answers themselves.
    assert rows["questionnaire_completed"].details["vragen"] == ["schulden", "wonen"]
    assert "nee" not in str(rows["questionnaire_completed"].details)


# --- the consultant's overview on the intake page, and a new link ---------------------------


def _detail(client, application) -> str:
    return client.get(reverse("casework:intake_detail", kwargs={"pk": application.pk})).content.decode()


def test_the_intake_page_shows_per_domain_which_questions_were_answered(client, sanne):
    application = _application(sanne)
    questionnaire = questionnaire_send(user=sanne, application=application)
    client.force_login(sanne)
    assert "Beantwoord per onderwerp" not in _detail(client, application)  # nothing sent in yet
    questionnaire_submit_by_client(
        token=questionnaire.token,
        answers=full_answers(werk_laatst="minder_1j", schulden="bespreken") | {"werk_wens": "Magazijn"},
    )
    html = _detail(client, application)
    assert "Beantwoord per onderwerp" in html
    assert "<strong>Werk en ervaring</strong>: 2 van 2 beantwoord" in html
    assert "<strong>Geld en schulden</strong>: 0 van 1 beantwoord, 1 liever in het gesprek" in html
    assert (
        "Heeft u schulden of betalingsachterstanden? "
        '<span class="status-tag status-liever-in-het-gesprek">wil dit liever in het gesprek bespreken</span>'
    ) in html
    assert (
        'In welk werk heeft u ervaring? <span class="status-tag status-niet-beantwoord">niet beantwoord</span> '
        '<span class="meta">(niet verplicht)</span>'
    ) in html
    assert (
        'Welk werk zou u graag doen? <span class="status-tag status-beantwoord">beantwoord</span>'
    ) in html
    # Which questions, not the answers themselves.
    assert "Minder dan 1 jaar geleden" not in html and "Magazijn" not in html
    reads = set(
        AuditEvent.objects.filter(
            client_id=application.client_id, action="read", purpose="vragenlijst"
        ).values_list("section", flat=True)
    )
    assert reads == {"werkprofiel", "leefgebieden"}


def test_a_new_link_replaces_the_old_one_and_is_audited(client, sanne):
    application = _application(sanne)
    client.force_login(sanne)
    send = reverse("casework:intake_send", kwargs={"pk": application.pk})
    client.post(send)
    old = application.questionnaires.get().token
    html = _detail(client, application)
    assert "Nieuwe link maken" in html and "De vorige link werkt dan niet meer." in html
    response = client.post(send, follow=True)
    assert "Er is een nieuwe link gemaakt. De vorige link werkt niet meer." in response.content.decode()
    new = application.questionnaires.get().token
    assert new != old
    client.logout()
    refused = client.get(reverse("casework:questionnaire_public", kwargs={"token": old}))
    assert refused.status_code == 404 and "Deze link werkt niet" in refused.content.decode()
    assert client.get(reverse("casework:questionnaire_public", kwargs={"token": new})).status_code == 200
    row = AuditEvent.objects.get(event="questionnaire_link_replaced")
    assert row.username == "sanne" and row.client_id == application.client_id
    assert old not in str(row.details) and new not in str(row.details)  # the token is a key, never logged


def test_an_expired_link_reads_as_expired_and_can_be_renewed(client, sanne):
    application = _application(sanne)
    with freeze_time("2024-03-04 10:00:00+01:00"):
        questionnaire_send(user=sanne, application=application)
    client.force_login(sanne)
    html = _detail(client, application)
    assert "De link is verlopen op 18-03-2024 10:00." in html
    assert "Link uitgezet, geldig tot" not in html and "Link voor de inwoner" not in html
    assert "Nieuwe link maken" in html
    client.post(reverse("casework:intake_send", kwargs={"pk": application.pk}))
    assert "Link voor de inwoner" in _detail(client, application)


def test_only_the_clients_own_consultant_makes_a_new_link(client, sanne):
    application = _application(sanne)
    questionnaire = questionnaire_send(user=sanne, application=application)
    client.force_login(UserFactory(username="ingrid", role="teamleider", team=sanne.consultant.team))
    html = _detail(client, application)
    assert "Nieuwe link maken" not in html
    assert client.post(reverse("casework:intake_send", kwargs={"pk": application.pk})).status_code == 403
    assert application.questionnaires.get().token == questionnaire.token
