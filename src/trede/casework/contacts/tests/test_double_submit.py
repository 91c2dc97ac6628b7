"""A contact moment's form sent twice (back button, double click, two tabs) makes one
contact moment (issue 7, point 6), and its audit row is a readable event without the verslag."""

import re
import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.urls import reverse
from freezegun import freeze_time

from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.contacts.models import Contact
from trede.casework.contacts.services import contact_register
from trede.casework.tests.factories_plans import ClientOnBenefitFactory, ConsultantUserFactory
from trede.utils.concurrency import new_submission_key

NOTE = "Besproken: sollicitatie bij de bakkerij en de schulden bij de energieleverancier."


@pytest.fixture
def consultant(db):
    return ConsultantUserFactory(team="Noord")


@pytest.fixture
def person(consultant):
    return ClientOnBenefitFactory(consultant=consultant, birth_date=date(1990, 1, 1), given_name="Kim")


def _key_of(html: str) -> str:
    match = re.search(r'name="submission_key" value="([0-9a-f]{32})"', html)
    assert match, "het formulier draagt geen formuliersleutel"
    return match.group(1)


@freeze_time("2024-06-15 10:00:00")
def test_the_same_form_posted_twice_makes_one_contact(client, consultant, person):
    client.force_login(consultant.user)
    url = reverse("casework:contact_new", kwargs={"client_id": person.pk})
    key = _key_of(client.get(url).content.decode())
    data = {
        "date": "2024-06-14",
        "kind": "telefonisch",
        "outcome": "gehouden",
        "note": NOTE,
        "submission_key": key,
    }
    first = client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)
    for response in (first, second):
        assert response.redirect_chain[-1][1] == 302
        assert f"Het contactmoment met {person.name} is vastgelegd." in response.content.decode()
    assert Contact.objects.filter(client=person).count() == 1
    assert AuditEvent.objects.filter(event="contact_registered", client_id=person.pk).count() == 1


@freeze_time("2024-06-15 10:00:00")
def test_each_opened_form_has_its_own_key_so_two_real_contacts_both_land(client, consultant, person):
    client.force_login(consultant.user)
    url = reverse("casework:contact_new", kwargs={"client_id": person.pk})
    keys = [_key_of(client.get(url).content.decode()) for _ in range(2)]
    assert keys[0] != keys[1]
    for key in keys:
        client.post(
            url,
            {
                "date": "2024-06-14",
                "kind": "gesprek",
                "outcome": "gehouden",
                "note": NOTE,
                "submission_key": key,
            },
        )
    assert Contact.objects.filter(client=person).count() == 2


@freeze_time("2024-06-15 10:00:00")
def test_a_refused_submit_keeps_its_key_and_the_corrected_submit_lands_once(client, consultant, person):
    client.force_login(consultant.user)
    url = reverse("casework:contact_new", kwargs={"client_id": person.pk})
    key = _key_of(client.get(url).content.decode())
    refused = client.post(
        url, {"date": "2024-06-14", "kind": "gesprek", "outcome": "gehouden", "submission_key": key}
    )
    assert refused.status_code == 200 and _key_of(refused.content.decode()) == key
    data = {
        "date": "2024-06-14",
        "kind": "gesprek",
        "outcome": "gehouden",
        "note": NOTE,
        "submission_key": key,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Contact.objects.filter(client=person).count() == 1


@freeze_time("2024-06-15 10:00:00")
def test_the_service_returns_the_first_contact_for_a_repeated_key(consultant, person):
    key = new_submission_key()
    made = [
        contact_register(
            user=consultant.user,
            client=person,
            date=date(2024, 6, 14),
            kind="gesprek",
            note=NOTE,
            submission_key=key,
        )
        for _ in range(2)
    ]
    assert made[0].pk == made[1].pk
    assert Contact.objects.count() == 1


@freeze_time("2024-06-15 10:00:00")
def test_the_audit_row_is_a_readable_event_without_the_verslag(consultant, person):
    contact = contact_register(
        user=consultant.user,
        client=person,
        date=date(2024, 6, 14),
        kind="telefonisch",
        outcome="niet_verschenen",
        note=NOTE,
    )
    row = AuditEvent.objects.get(event="contact_registered")
    assert (row.client_id, row.object_type, row.object_id, row.section) == (
        person.pk,
        "contact",
        contact.pk,
        "contacten",
    )
    assert (
        describe(row) == f"Contactmoment {contact.pk} vastgelegd: telefonisch op 14-06-2024, niet verschenen."
    )
    assert "bakkerij" not in str(row.details) and "schulden" not in str(row.details)


@pytest.mark.django_db(transaction=True)
@freeze_time("2024-06-15 10:00:00", tick=True)
def test_two_simultaneous_submits_of_one_form_make_one_contact():
    if connection.vendor == "sqlite":
        pytest.skip("threads need a database server; the SQLite file run is in test_concurrency.py")
    consultant = ConsultantUserFactory(team="Noord")
    person = ClientOnBenefitFactory(consultant=consultant, birth_date=date(1990, 1, 1))
    url = reverse("casework:contact_new", kwargs={"client_id": person.pk})
    key = new_submission_key()
    barrier, statuses = threading.Barrier(2), []

    def submit():
        web = WebClient()
        web.force_login(consultant.user)
        barrier.wait()
        try:
            response = web.post(
                url,
                {
                    "date": "2024-06-14",
                    "kind": "gesprek",
                    "outcome": "gehouden",
                    "note": NOTE,
                    "submission_key": key,
                },
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]
    assert Contact.objects.filter(client=person).count() == 1


@freeze_time("2024-06-15 10:00:00")
@pytest.mark.parametrize(
    "target, expected",
    [
        ("/klanten/", "/klanten/"),
        ("-3177", None),
        ("home", None),
        ("https://elders.example/", None),
        ("//x", None),
    ],
)
def test_after_saving_only_a_path_on_this_site_is_followed(client, consultant, person, target, expected):
    """The fuzz found `next=-3177`: redirect() took it for a view name (a 500)."""
    client.force_login(consultant.user)
    url = reverse("casework:contact_new", kwargs={"client_id": person.pk})
    data = {"date": "2024-06-14", "kind": "telefonisch", "outcome": "gehouden", "note": NOTE, "next": target}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == (expected or reverse("casework:worklist"))
