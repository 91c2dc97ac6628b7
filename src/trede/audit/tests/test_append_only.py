"""The audit log is append-only: the model, its queryset and (raw SQL) the database refuse
to change or delete a row."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from trede.accounts.models import Role, User
from trede.audit.models import Action, AuditAppendOnly, AuditEvent
from trede.audit.services import audit_read, audit_record


@pytest.fixture
def event(db):
    user = User.objects.create(username="sanne", role=Role.CONSULENT_WERK)
    return audit_read(user=user, client_id="KA0001", section="basis", purpose="klantdossier")


def test_a_row_keeps_who_role_what_when_and_purpose(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.username, stored.role, stored.action) == ("sanne", "consulent_werk", "read")
    assert (stored.client_id, stored.section, stored.purpose) == ("KA0001", "basis", "klantdossier")
    assert stored.at is not None


def test_model_refuses_update_and_delete(event):
    event.purpose = "iets anders"
    with pytest.raises(AuditAppendOnly):
        event.save()
    with pytest.raises(AuditAppendOnly):
        event.delete()
    with pytest.raises(AuditAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="iets anders")
    with pytest.raises(AuditAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).purpose == "klantdossier"


def test_raw_sql_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["vervalst", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).purpose == "klantdossier"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="de DELETE-trigger bestaat alleen op PostgreSQL"
)
def test_raw_sql_delete_is_refused_on_postgresql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_anonymous_attempts_are_recorded_without_a_user(db):
    from django.contrib.auth.models import AnonymousUser

    row = audit_record(user=AnonymousUser(), action=Action.DENIED, client_id="KA0001")
    assert row.user is None and row.username == "" and row.role == ""
