"""Diagnosis corrections without lost updates, and without double diagnoses (issue 7,
points 5 and 6): an override is made on the diagnosis its page showed, which must still be
the client's newest."""

import re
import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from trede.casework.intake.models import Diagnosis
from trede.casework.intake.services import (
    application_register,
    diagnosis_edit_token,
    diagnosis_from_questionnaire,
    diagnosis_override,
    questionnaire_complete,
    questionnaire_start,
)
from trede.casework.tests.factories_intake import consultant_user, full_answers
from trede.clients.tests.factories import valid_bsn
from trede.utils.concurrency import StaleEditError, new_submission_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanne():
    return consultant_user("sanne_locking")


@pytest.fixture
def tool(sanne):
    application = application_register(
        user=sanne,
        kind="melding",
        received_on=date(2024, 3, 1),
        client_data={
            "given_name": "Kim",
            "family_name": "Mulder",
            "birth_date": date(1990, 5, 1),
            "bsn": valid_bsn(7),
        },
    )
    questionnaire = questionnaire_start(user=sanne, application=application)
    questionnaire = questionnaire_complete(user=sanne, questionnaire=questionnaire, answers=full_answers())
    return diagnosis_from_questionnaire(user=sanne, questionnaire=questionnaire, today=date(2024, 3, 10))


def _override_data(page, **changes):
    form = page.context["override_form"]
    data = {f"afwijking-{name}": form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({f"afwijking-{k}": v for k, v in changes.items()})
    return data


def _html(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_override_opened_before_a_colleagues_override_is_refused(sanne, tool):
    seen = diagnosis_edit_token(tool)
    diagnosis_override(
        user=sanne, diagnosis=tool, changes={"route": "participatie"}, reason="Zorg eerst", edit_token=seen
    )
    with pytest.raises(StaleEditError) as refused:
        diagnosis_override(
            user=sanne, diagnosis=tool, changes={"months_to_work": 3}, reason="Baan op zicht", edit_token=seen
        )
    message = " ".join(refused.value.messages)
    assert "Iemand anders heeft de diagnose van deze klant gewijzigd" in message
    assert "Route: re-integratie → participatie" in message
    assert Diagnosis.objects.filter(client=tool.client).count() == 2
    assert not Diagnosis.objects.filter(months_to_work=3).exists()


def test_an_override_opened_before_a_new_calculation_is_refused(sanne, tool):
    seen = diagnosis_edit_token(tool)
    diagnosis_from_questionnaire(user=sanne, questionnaire=tool.questionnaire)
    with pytest.raises(StaleEditError, match="Datum: 10-03-2024 →"):
        diagnosis_override(
            user=sanne, diagnosis=tool, changes={"route": "participatie"}, reason="x", edit_token=seen
        )
    assert not Diagnosis.objects.filter(is_override=True).exists()


def test_an_older_diagnosis_is_not_corrected_even_without_a_form(sanne, tool):
    newer = diagnosis_override(user=sanne, diagnosis=tool, changes={"route": "participatie"}, reason="Zorg")
    with pytest.raises(StaleEditError):
        diagnosis_override(user=sanne, diagnosis=tool, changes={"months_to_work": 3}, reason="Baan")
    # The newest is corrected as usual.
    assert diagnosis_override(user=sanne, diagnosis=newer, changes={"months_to_work": 3}, reason="Baan")


def test_the_same_override_form_sent_twice_makes_one_diagnosis(sanne, tool):
    key, token = new_submission_key(), diagnosis_edit_token(tool)
    made = [
        diagnosis_override(
            user=sanne,
            diagnosis=tool,
            changes={"route": "participatie"},
            reason="Zorg",
            edit_token=token,
            submission_key=key,
        )
        for _ in range(2)
    ]
    assert made[0].pk == made[1].pk
    assert Diagnosis.objects.filter(client=tool.client).count() == 2


def test_two_pages_the_second_override_gets_409_and_writes_nothing(client, sanne, tool):
    client.force_login(sanne)
    url = reverse("casework:diagnosis_detail", kwargs={"diagnosis_id": tool.pk})
    override_url = reverse("casework:diagnosis_override", kwargs={"diagnosis_id": tool.pk})
    mine, colleagues = client.get(url), client.get(url)
    landed = client.post(override_url, _override_data(colleagues, route="participatie", reason="Zorg eerst"))
    assert landed.status_code == 302
    refused = client.post(override_url, _override_data(mine, months_to_work="3", reason="Baan op zicht"))
    assert refused.status_code == 409
    html = _html(refused)
    assert "Iemand anders heeft de diagnose van deze klant gewijzigd nadat u de pagina opende" in html
    assert "Route: re-integratie → participatie" in html and "er is een nieuwere diagnose" in html
    assert Diagnosis.objects.filter(client=tool.client).count() == 2
    # A double submit of the colleague's form: the diagnosis it made, nothing new.
    again = client.post(override_url, _override_data(colleagues, route="participatie", reason="Zorg eerst"))
    assert again.status_code == 302 and Diagnosis.objects.filter(client=tool.client).count() == 2


def test_an_older_diagnosis_page_offers_no_override(client, sanne, tool):
    newer = diagnosis_override(user=sanne, diagnosis=tool, changes={"route": "participatie"}, reason="Zorg")
    client.force_login(sanne)
    old = client.get(reverse("casework:diagnosis_detail", kwargs={"diagnosis_id": tool.pk}))
    assert old.context["override_form"] is None and "Afwijken van deze uitkomst" not in _html(old)
    new = client.get(reverse("casework:diagnosis_detail", kwargs={"diagnosis_id": newer.pk}))
    assert new.context["override_form"] is not None


def test_an_override_form_without_its_token_writes_nothing(client, sanne, tool):
    client.force_login(sanne)
    page = client.get(reverse("casework:diagnosis_detail", kwargs={"diagnosis_id": tool.pk}))
    data = _override_data(page, route="participatie", reason="Zorg", edit_token="")
    response = client.post(reverse("casework:diagnosis_override", kwargs={"diagnosis_id": tool.pk}), data)
    assert response.status_code == 400 and "Open de pagina opnieuw" in _html(response)
    assert Diagnosis.objects.filter(client=tool.client).count() == 1


def test_calculating_twice_from_one_page_makes_one_diagnosis(client, sanne, tool):
    client.force_login(sanne)
    application = tool.questionnaire.application
    page = client.get(reverse("casework:intake_detail", kwargs={"pk": application.pk}))
    key = page.context["diagnose_key"]
    assert f'name="submission_key" value="{key}"' in page.content.decode()
    url = reverse("casework:intake_diagnose", kwargs={"pk": application.pk})
    first = client.post(url, {"submission_key": key})
    second = client.post(url, {"submission_key": key})
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Diagnosis.objects.filter(client=tool.client).count() == 2  # the fixture's and one more


@pytest.mark.django_db(transaction=True)
def test_two_overrides_racing_on_one_diagnosis_one_lands(sanne, tool):
    if connection.vendor == "sqlite":
        pytest.skip("threads need a database server; SQLite's in-memory test database is per connection")
    token = diagnosis_edit_token(tool)
    outcomes, barrier = [], threading.Barrier(2)

    def override(months):
        from django.db import connections

        try:
            barrier.wait()
            diagnosis_override(
                user=sanne,
                diagnosis=tool,
                changes={"months_to_work": months},
                reason="Gesprek",
                edit_token=token,
            )
            outcomes.append("landed")
        except StaleEditError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=override, args=(m,)) for m in (3, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["landed", "refused"]
    assert Diagnosis.objects.filter(client=tool.client, is_override=True).count() == 1


def test_completing_and_calculating_twice_from_one_page_makes_one_diagnosis(client, sanne, tool):
    client.force_login(sanne)
    url = reverse("casework:intake_questionnaire", kwargs={"pk": tool.questionnaire.application.pk})
    page = client.get(url)
    key = page.context["diagnose_key"]
    assert f'name="submission_key" value="{key}"' in page.content.decode()
    data = {**full_answers(), "diagnose": "1", "submission_key": key}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Diagnosis.objects.filter(client=tool.client).count() == 2  # the fixture's and one more
