"""Corrections, not silent facts (issue 7, point 6): a contact moment is corrected or
withdrawn by its author with a reason, the earlier versions stay visible, a withdrawn
contact no longer counts, and an edit over a newer save is refused (point 5)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from trede.accounts.models import Role, Waarneming
from trede.audit.models import Action, AuditEvent
from trede.audit.rendering import describe
from trede.casework.contacts.models import Contact
from trede.casework.contacts.selectors import contact_history, worklist_for
from trede.casework.contacts.services import (
    contact_correct,
    contact_edit_token,
    contact_register,
    contact_withdraw,
)
from trede.casework.tests.factories import ContactFactory, DiagnosisFactory
from trede.casework.tests.factories_plans import (
    ClientOnBenefitFactory,
    ConsultantUserFactory,
    RouteDecisionFactory,
    UserFactory,
)
from trede.clients.selectors import caseload_data
from trede.interchange.services import export_folder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = date(2024, 6, 15)
NOTE = "Gesproken over de sollicitatie bij de bakkerij; Kim vertelde over haar schulden."
REASON = "Datum verwisseld met het gesprek van vorige week."


@pytest.fixture
def frozen():
    with freeze_time("2024-06-15 10:00:00", tick=True):
        yield


@pytest.fixture
def author():
    return ConsultantUserFactory(team="Noord")


@pytest.fixture
def person(author):
    person = ClientOnBenefitFactory(consultant=author, birth_date=date(1980, 1, 1), given_name="Kim")
    # Client group zorg under Leidschendam-Voorburg: contact every 182 days (no other items).
    DiagnosisFactory(client=person, date=date(2024, 3, 1), months_to_work=60, ladder_step=3)
    RouteDecisionFactory(
        client=person, decided_on=date(2024, 3, 1), route="participatie", category="3A", client_group="zorg"
    )
    return person


@pytest.fixture
def contact(author, person):
    return contact_register(
        user=author.user, client=person, date=date(2024, 6, 10), kind="gesprek", outcome="gehouden", note=NOTE
    )


@pytest.fixture
def teamleider():
    return UserFactory(role=Role.TEAMLEIDER, team="Noord", first_name="Ingrid", last_name="Bakker")


@pytest.fixture
def stand_in(person):
    """A colleague on a recorded waarneming: may log a contact for Kim, not correct Sanne's."""
    colleague = ConsultantUserFactory(team="Zuid")
    Waarneming.objects.create(
        user=colleague.user,
        client=person,
        reason="Collega ziek",
        valid_until=timezone.now() + timedelta(days=7),
    )
    return colleague.user


def _correct_url(contact):
    return reverse("casework:contact_correct", kwargs={"contact_id": contact.pk})


def _withdraw_url(contact):
    return reverse("casework:contact_withdraw", kwargs={"contact_id": contact.pk})


def _history_url(contact):
    return reverse("casework:contact_history", kwargs={"contact_id": contact.pk})


def _form(contact, **changes):
    data = {
        "date": contact.date.isoformat(),
        "kind": contact.kind,
        "outcome": contact.outcome,
        "note": contact.note,
        "reason": REASON,
        "token": contact_edit_token(contact),
    }
    return data | changes


# --------------------------------------------------------------------------- correcting


def test_the_author_corrects_with_a_reason_and_the_original_stays_visible(client, author, person, contact):
    client.force_login(author.user)
    page = client.get(_correct_url(contact))
    assert page.status_code == 200
    assert NOTE in page.content.decode()  # the form starts from what is recorded
    response = client.post(
        _correct_url(contact), _form(contact, date="2024-06-03", outcome="niet_verschenen")
    )
    assert response.status_code == 302 and response["Location"] == _history_url(contact)
    contact.refresh_from_db()
    assert (contact.date, contact.outcome, contact.note) == (date(2024, 6, 3), "niet_verschenen", NOTE)
    assert contact.is_corrected and contact.corrected_by == author.user
    assert contact.correction_reason == REASON and contact.lock_version == 1

    history = client.get(_history_url(contact)).content.decode()
    assert "Versie 2 (huidige): gecorrigeerd" in history and "Versie 1: vastgelegd" in history
    assert REASON in history and author.user.get_full_name() in history
    assert "Datum: 10-06-2024 → 03-06-2024" in history
    assert "Uitkomst: gehouden → niet verschenen" in history
    versions = contact_history(contact)
    assert [(v.number, v.event, v.date) for v in versions] == [
        (2, "gecorrigeerd", date(2024, 6, 3)),
        (1, "vastgelegd", date(2024, 6, 10)),
    ]

    file = client.get(reverse("clients:section", args=[person.pk, "contacten"])).content.decode()
    assert "gecorrigeerd" in file and REASON in file and _history_url(contact) in file


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": ""}, "Geef de reden"),
        ({"reason": "fout"}, "minstens 5 tekens"),
        ({"reason": "x" * 501}, "De reden is te lang"),
        ({"kind": "gesprek"}, "Er is niets gewijzigd"),
        ({"note": "  "}, "Schrijf een verslag"),
        ({"date": "2024-06-16"}, "niet in de toekomst"),
        ({"date": "1850-01-01"}, "niet voor 1900"),
    ],
)
def test_a_correction_without_a_sensible_reason_or_change_is_refused(
    client, author, contact, changes, message
):
    client.force_login(author.user)
    data = _form(contact, kind="telefonisch") | changes
    response = client.post(_correct_url(contact), data)
    assert response.status_code == 200 and message in response.content.decode()
    contact.refresh_from_db()
    assert (contact.kind, contact.lock_version, contact.corrected_at) == ("gesprek", 0, None)
    assert not AuditEvent.objects.filter(event="contact_corrected").exists()


def test_only_the_author_corrects(client, contact, teamleider, stand_in):
    for user in (teamleider, stand_in):
        client.force_login(user)
        assert client.get(_correct_url(contact)).status_code == 403
        assert client.post(_correct_url(contact), _form(contact, kind="telefonisch")).status_code == 403
        with pytest.raises(PermissionDenied):
            contact_correct(
                user=user,
                contact=contact,
                token=contact_edit_token(contact),
                date=contact.date,
                kind="telefonisch",
                outcome=contact.outcome,
                note=contact.note,
                reason=REASON,
            )
    contact.refresh_from_db()
    assert (contact.kind, contact.lock_version) == ("gesprek", 0)
    assert AuditEvent.objects.filter(action=Action.DENIED, client_id=contact.client_id).count() >= 4


def test_an_imported_contact_has_no_author_so_nobody_corrects_it(author, person):
    imported = ContactFactory(client=person, date=date(2024, 5, 1), note="uit het bronsysteem")
    with pytest.raises(PermissionDenied):
        contact_correct(
            user=author.user,
            contact=imported,
            token=contact_edit_token(imported),
            date=imported.date,
            kind="telefonisch",
            outcome="gehouden",
            note="anders",
            reason=REASON,
        )


def test_the_colleague_who_stands_in_sees_the_history_but_no_correct_link(client, contact, stand_in):
    client.force_login(stand_in)
    page = client.get(_history_url(contact))
    assert page.status_code == 200
    html = page.content.decode()
    assert _correct_url(contact) not in html and _withdraw_url(contact) not in html


# --------------------------------------------------------------------------- lost updates


def test_a_correction_over_a_newer_save_is_refused_with_409_and_changes_nothing(client, author, contact):
    """The author has the form open in two tabs; the second save must not vanish."""
    client.force_login(author.user)
    old_tab = _form(contact, note="Verslag uit het eerste tabblad")
    assert (
        client.post(_correct_url(contact), _form(contact, note="Verslag uit het tweede tabblad")).status_code
        == 302
    )
    response = client.post(_correct_url(contact), old_tab)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Iemand anders heeft dit contactmoment gewijzigd nadat u de pagina opende" in html
    assert "Uw wijziging is niet opgeslagen" in html
    contact.refresh_from_db()
    assert (contact.note, contact.lock_version) == ("Verslag uit het tweede tabblad", 1)
    assert AuditEvent.objects.filter(event="contact_corrected").count() == 1


def test_a_correction_after_the_teamleider_withdrew_it_is_refused_with_409(
    client, author, contact, teamleider
):
    opened = _form(contact, kind="telefonisch")
    contact_withdraw(user=teamleider, contact=contact, token=contact_edit_token(contact), reason=REASON)
    client.force_login(author.user)
    response = client.post(_correct_url(contact), opened)
    assert response.status_code == 409
    assert "Ingetrokken op: (leeg) → 15-06-2024" in response.content.decode()
    contact.refresh_from_db()
    assert contact.kind == "gesprek" and contact.is_withdrawn and not contact.is_corrected


def test_a_tampered_token_is_refused(client, author, contact):
    client.force_login(author.user)
    response = client.post(_correct_url(contact), _form(contact, kind="telefonisch", token="geknoeid"))
    assert response.status_code == 400
    assert "Open de pagina opnieuw" in response.content.decode()
    contact.refresh_from_db()
    assert contact.kind == "gesprek"


# --------------------------------------------------------------------------- withdrawing


def test_the_author_withdraws_with_a_reason_and_it_stays_visible_as_withdrawn(
    client, author, person, contact
):
    client.force_login(author.user)
    assert client.get(_withdraw_url(contact)).status_code == 200
    refused = client.post(_withdraw_url(contact), {"reason": "", "token": contact_edit_token(contact)})
    assert refused.status_code == 200 and "Geef de reden" in refused.content.decode()
    response = client.post(
        _withdraw_url(contact),
        {"reason": "Vastgelegd bij de verkeerde klant.", "token": contact_edit_token(contact)},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.is_withdrawn and contact.withdrawn_by == author.user
    assert contact.withdrawal_reason == "Vastgelegd bij de verkeerde klant."
    history = client.get(_history_url(contact)).content.decode()
    assert "Versie 2 (huidige): ingetrokken" in history and "Vastgelegd bij de verkeerde klant." in history
    assert NOTE in history  # the words stay on file
    file = client.get(reverse("clients:file", args=[person.pk])).content.decode()
    assert "ingetrokken" in file and "Vastgelegd bij de verkeerde klant." in file
    # Withdrawn is final: no correcting it afterwards, no second withdrawal.
    assert client.get(_correct_url(contact)).status_code == 302
    with pytest.raises(ValidationError):
        contact_withdraw(user=author.user, contact=contact, token=contact_edit_token(contact), reason=REASON)


def test_the_teamleider_may_withdraw_a_team_members_contact_but_not_a_colleague_on_waarneming(
    client, contact, teamleider, stand_in
):
    client.force_login(stand_in)
    assert client.get(_withdraw_url(contact)).status_code == 403
    client.force_login(teamleider)
    assert client.get(_withdraw_url(contact)).status_code == 200
    response = client.post(_withdraw_url(contact), {"reason": REASON, "token": contact_edit_token(contact)})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.withdrawn_by == teamleider
    assert "Ingrid Bakker" in client.get(_history_url(contact)).content.decode()


def test_a_withdrawal_needs_a_reason_in_the_database_too(contact):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(corrected_at=timezone.now())


# --------------------------------------------------------------------------- what counts


def test_a_withdrawn_contact_no_longer_counts_for_the_worklist(author, person, contact):
    """Kim was seen on 10 June; without it her last contact is 1 November, over 182 days ago."""
    ContactFactory(client=person, date=date(2023, 11, 1), outcome="gehouden")
    missed = contact_register(
        user=author.user,
        client=person,
        date=date(2024, 6, 12),
        kind="gesprek",
        outcome="niet_verschenen",
        note="Niet gekomen",
    )
    items = {(i.kind, i.object_id) for i in worklist_for(consultant=author, today=TODAY)}
    assert items == {("no_show", missed.pk)}
    for withdrawn in (contact, missed):
        contact_withdraw(
            user=author.user, contact=withdrawn, token=contact_edit_token(withdrawn), reason=REASON
        )
    items = worklist_for(consultant=author, today=TODAY)
    assert [(i.kind, i.detail.split(";")[0]) for i in items] == [
        ("contact_overdue", "laatste contact 01-11-2023")
    ]


def test_a_withdrawn_contact_is_not_the_last_contact_on_mijn_klanten(author, person, contact):
    ContactFactory(client=person, date=date(2024, 2, 1))
    assert {p["client_id"]: p["last_contact"] for p in caseload_data(user=author.user, today=TODAY)} == {
        person.pk: date(2024, 6, 10)
    }
    contact_withdraw(user=author.user, contact=contact, token=contact_edit_token(contact), reason=REASON)
    assert caseload_data(user=author.user, today=TODAY)[0]["last_contact"] == date(2024, 2, 1)


def test_a_withdrawn_contact_is_not_exported(tmp_path, author, person, contact):
    kept = ContactFactory(client=person, date=date(2024, 2, 1))
    contact_withdraw(user=author.user, contact=contact, token=contact_edit_token(contact), reason=REASON)
    export_folder(tmp_path)
    lines = (tmp_path / "contacts.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("contact_id,")
    assert [line.split(",")[0] for line in lines[1:]] == [kept.pk]


# --------------------------------------------------------------------------- audit


def test_corrections_and_withdrawals_are_readable_audit_events_without_the_verslag(
    author, contact, teamleider
):
    contact = contact_correct(
        user=author.user,
        contact=contact,
        token=contact_edit_token(contact),
        date=contact.date,
        kind="telefonisch",
        outcome="gehouden",
        note=NOTE + " Aangevuld.",
        reason=REASON,
    )
    contact_withdraw(
        user=teamleider, contact=contact, token=contact_edit_token(contact), reason="Verkeerde klant."
    )
    corrected = AuditEvent.objects.get(event="contact_corrected")
    withdrawn = AuditEvent.objects.get(event="contact_withdrawn")
    assert describe(corrected) == (
        f"Contactmoment {contact.pk} gecorrigeerd (soort contact, verslag); reden: {REASON}"  # one full stop
    )
    assert describe(withdrawn) == (
        f"Contactmoment {contact.pk} ingetrokken (telt niet meer als contact); reden: Verkeerde klant."
    )
    assert (corrected.action, withdrawn.action) == (Action.UPDATE, Action.UPDATE)
    assert (corrected.client_id, corrected.section, withdrawn.user_id) == (
        contact.client_id,
        "contacten",
        teamleider.pk,
    )
    for row in (corrected, withdrawn):
        assert "bakkerij" not in str(row.details) and "schulden" not in str(row.details)
