"""Registration of a melding or aanvraag: implausible input refused in Dutch with nothing
written, a double submit of one form makes one application and one client, readable audit."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.intake.models import Application
from trede.casework.intake.services import application_register
from trede.casework.tests.factories_intake import consultant_user
from trede.clients.models import Client
from trede.clients.tests.factories import valid_bsn
from trede.utils.concurrency import new_submission_key

pytestmark = pytest.mark.django_db

TODAY = date(2024, 3, 1)


@pytest.fixture
def sanne():
    return consultant_user("sanne")


def person(**extra) -> dict:
    return {"given_name": "Kim", "family_name": "Mulder", "birth_date": date(1990, 5, 1), "bsn": ""} | extra


def register(user, *, received_on=TODAY, note="", **extra):
    return application_register(
        user=user,
        kind="melding",
        received_on=received_on,
        client_data=person(**extra),
        note=note,
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"birth_date": date(2008, 3, 2)}, "birth_date", "15 jaar"),
        ({"birth_date": date(1899, 12, 31)}, "birth_date", "voor 1900"),
        ({"birth_date": date(2024, 3, 2)}, "birth_date", "na de datum van ontvangst"),
        ({"received_on": date(1899, 1, 1)}, "received_on", "voor 1900"),
        ({"received_on": date(2024, 3, 2)}, "received_on", "in de toekomst"),
        ({"received_on": date(9999, 12, 31)}, "received_on", "in de toekomst"),
        ({"note": "x" * 2001}, "note", "te lang"),
        ({"note": "a\x00b"}, "note", "ongeldig teken"),
        ({"given_name": "K" * 101}, "given_name", "te lang"),
        ({"family_name": "  "}, "family_name", "Vul de achternaam in"),
        ({"postcode4": "２２７１"}, "postcode4", "4 cijfers"),
        ({"gender": "onzin"}, "gender", "Kies"),
    ],
)
def test_implausible_registration_is_refused_and_nothing_written(sanne, extra, field, message):
    with pytest.raises(ValidationError) as refused:
        register(sanne, **extra)
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert not Client.objects.exists() and not Application.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_sixteen_on_the_day_of_receipt_is_accepted(sanne):
    application = register(sanne, birth_date=date(2008, 3, 1))
    assert application.client.birth_date == date(2008, 3, 1)


def test_registration_audit_is_readable_dutch(sanne):
    application = register(sanne)
    client_row = AuditEvent.objects.get(event="client_registered")
    application_row = AuditEvent.objects.get(event="application_registered")
    assert describe(client_row) == (
        f"Nieuwe klant {application.client_id} ingeschreven in de caseload van consulent "
        f"{sanne.consultant.pk}."
    )
    assert describe(application_row) == (f"Melding {application.pk} geregistreerd, ontvangen op 01-03-2024.")
    assert "Kim" not in str(client_row.details) + str(application_row.details)


def test_same_submission_key_makes_one_application_and_one_client(sanne):
    key = new_submission_key()
    first = application_register(
        user=sanne,
        kind="melding",
        received_on=TODAY,
        client_data=person(bsn=valid_bsn(4)),
        submission_key=key,
    )
    again = application_register(
        user=sanne,
        kind="melding",
        received_on=TODAY,
        client_data=person(bsn=valid_bsn(4)),
        submission_key=key,
    )
    assert again.pk == first.pk
    assert Application.objects.count() == 1 and Client.objects.count() == 1
    assert AuditEvent.objects.filter(event="application_registered").count() == 1


def test_double_post_of_the_page_makes_one_application(client, sanne):
    client.force_login(sanne)
    page = client.get(reverse("casework:intake_new")).content.decode()
    assert 'name="submission_key"' in page
    data = {
        "given_name": "Kim",
        "family_name": "Mulder",
        "birth_date": "1990-05-01",
        "bsn": valid_bsn(5),
        "kind": "aanvraag",
        "received_on": "2024-03-01",
        "submission_key": new_submission_key(),
    }
    first = client.post(reverse("casework:intake_new"), data)
    second = client.post(reverse("casework:intake_new"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1 and Client.objects.count() == 1


def test_young_applicant_on_the_page_gets_a_dutch_message(client, sanne):
    client.force_login(sanne)
    response = client.post(
        reverse("casework:intake_new"),
        {
            "given_name": "Kim",
            "family_name": "Mulder",
            "birth_date": "2010-01-01",
            "kind": "melding",
            "received_on": "2024-03-01",
        },
    )
    assert response.status_code == 400
    assert "Een melding of aanvraag kan vanaf 16 jaar" in response.content.decode()
    assert not Client.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_of_one_form_make_one_application():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs a server database")
    sanne = consultant_user("sanne")
    key = new_submission_key()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            results.append(
                application_register(
                    user=sanne,
                    kind="melding",
                    received_on=TODAY,
                    client_data=person(bsn=valid_bsn(6)),
                    submission_key=key,
                ).pk
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(results)) == 1
    assert Application.objects.count() == 1 and Client.objects.count() == 1
