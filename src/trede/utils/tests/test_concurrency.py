"""The one pattern against lost updates and double submits (trust issue, points 5 and 6)."""

import threading

import pytest
from django.db import connection, transaction

from trede.casework.contacts.models import Contact
from trede.casework.tests.factories import ContactFactory
from trede.utils.concurrency import (
    ExpiredEditError,
    StaleEditError,
    changes_since,
    claim_version,
    create_once,
    edit_token,
    new_submission_key,
)

FIELDS = ["note", "kind", "date"]

pytestmark = pytest.mark.django_db


def test_an_edit_on_the_version_seen_lands_and_raises_the_version():
    contact = ContactFactory(note="eerste verslag")
    token = edit_token(contact, FIELDS)
    with transaction.atomic():
        fresh = claim_version(contact, token, FIELDS)
        fresh.note = "aangevuld"
        fresh.save()
    contact.refresh_from_db()
    assert (contact.lock_version, contact.note) == (1, "aangevuld")


def test_an_edit_over_a_newer_save_is_refused_and_says_what_changed():
    contact = ContactFactory(note="eerste verslag")
    my_token = edit_token(contact, FIELDS)
    colleague_token = edit_token(contact, FIELDS)
    with transaction.atomic():
        theirs = claim_version(contact, colleague_token, FIELDS)
        theirs.note = "verslag van de collega"
        theirs.save()
    with pytest.raises(StaleEditError) as refused, transaction.atomic():
        mine = claim_version(contact, my_token, FIELDS)
        mine.note = "mijn verslag"
        mine.save()
    message = " ".join(refused.value.messages)
    assert "Iemand anders heeft dit gewijzigd" in message
    assert "Verslag: eerste verslag → verslag van de collega" in message
    contact.refresh_from_db()
    assert (contact.note, contact.lock_version) == ("verslag van de collega", 1)


def test_a_token_of_another_record_or_a_tampered_token_is_refused():
    one, other = ContactFactory(), ContactFactory()
    token = edit_token(one, FIELDS)
    for bad in (edit_token(other, FIELDS), token[:-3] + "abc", ""):
        with pytest.raises(ExpiredEditError), transaction.atomic():
            claim_version(one, bad, FIELDS)
    one.refresh_from_db()
    assert one.lock_version == 0


@pytest.mark.django_db(transaction=True)
def test_claim_outside_a_transaction_is_a_programming_error():
    contact = ContactFactory()
    with pytest.raises(RuntimeError):
        claim_version(contact, edit_token(contact, FIELDS), FIELDS)


def test_a_second_submit_with_the_same_key_returns_the_first_record():
    base = ContactFactory()
    key = new_submission_key()

    def create(parsed_key):
        return ContactFactory(client=base.client, submission_key=parsed_key)

    first, created_first = create_once(Contact, key, create)
    second, created_second = create_once(Contact, key, create)
    assert created_first and not created_second
    assert first.pk == second.pk
    assert Contact.objects.filter(client=base.client).count() == 2  # base + one


def test_no_key_or_a_garbled_key_still_creates():
    base = ContactFactory()
    made = [
        create_once(Contact, key, lambda k: ContactFactory(client=base.client, submission_key=k))
        for key in ("", "geen-uuid")
    ]
    assert all(created for _, created in made)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_on_one_version_one_lands():
    if connection.vendor == "sqlite":
        pytest.skip("threads need a database server; SQLite's in-memory test database is per connection")
    contact = ContactFactory(note="begin")
    token = edit_token(contact, FIELDS)
    outcomes, barrier = [], threading.Barrier(2)

    def edit(text):
        from django.db import connections

        try:
            barrier.wait()
            with transaction.atomic():
                fresh = claim_version(contact, token, FIELDS)
                fresh.note = text
                fresh.save()
            outcomes.append("landed")
        except StaleEditError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(f"versie {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["landed", "refused"]
    contact.refresh_from_db()
    assert contact.lock_version == 1


def _settings_of(contact):
    """Values that are not one model field each: here two parts of the verslag."""
    first, _, rest = contact.note.partition(";")
    return {"begin": ("Eerste deel", first), "rest": ("Tweede deel", rest)}


def test_described_values_are_compared_and_named_by_their_label():
    contact = ContactFactory(note="bellen;mail sturen")
    token = edit_token(contact, ["kind"], described=_settings_of)
    Contact.objects.filter(pk=contact.pk).update(note="bellen;brief sturen", lock_version=1)
    with pytest.raises(StaleEditError) as refused, transaction.atomic():
        claim_version(contact, token, ["kind"], described=_settings_of, what="dit contactmoment")
    assert [str(c) for c in refused.value.changes] == ["Tweede deel: mail sturen → brief sturen"]
    assert "Iemand anders heeft dit contactmoment gewijzigd" in " ".join(refused.value.messages)


def test_a_described_value_that_appears_or_disappears_is_a_change():
    contact = ContactFactory(note="bellen")
    token = edit_token(contact, [], described=lambda c: {p: (f"Deel {p}", p) for p in c.note.split(";")})
    contact.note = "mailen"
    changes = changes_since(
        contact, token, [], described=lambda c: {p: (f"Deel {p}", p) for p in c.note.split(";")}
    )
    assert sorted(str(c) for c in changes) == ["Deel bellen: bellen → (leeg)", "Deel mailen: (leeg) → mailen"]


def test_changes_against_a_newer_record_compare_what_was_seen_with_that_record():
    seen, newer = ContactFactory(note="eerste"), ContactFactory(note="tweede")
    token = edit_token(seen, FIELDS)
    assert [c.label for c in changes_since(seen, token, FIELDS, now=newer)][:1] == ["Verslag"]
    assert changes_since(seen, token, FIELDS) == []
