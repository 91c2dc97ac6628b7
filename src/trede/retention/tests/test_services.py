"""Proposal, four eyes, execution in batches, rejection, a client who became active
again, periods with history, and the audit log's own run; every step audited without a
client number."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.benefits.tests.factories import BenefitFactory
from trede.clients.models import Client
from trede.clients.tests.factories import ClientFactory
from trede.retention import selectors, services
from trede.retention.constants import RecordType, RunStatus
from trede.retention.models import DestructionItem, DestructionRun

from .world import UNIQUE_ID, full_client, staff

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture
def people():
    return {
        "beheerder": staff("beheer", Role.BEHEERDER),
        "privacy": staff("privacy", Role.PRIVACY),
        "consulent": staff("consulent", Role.CONSULENT_WERK),
    }


def _client_with_benefit(client_id: str, *, ended: date | None):
    client = ClientFactory(client_id=client_id)
    BenefitFactory(
        benefit_id=f"B{client_id}",
        client=client,
        start_date=date(2005, 1, 1),
        end_date=ended,
        end_reason="werk" if ended else "",
    )
    return client


def test_expired_open_and_recent_clients():
    _client_with_benefit("OUD", ended=date(2015, 1, 1))
    _client_with_benefit("GRENS", ended=date(2016, 12, 1))  # exactly 10 years: goes
    _client_with_benefit("NET", ended=date(2016, 12, 2))  # one day short
    _client_with_benefit("LOOPT", ended=None)
    ClientFactory(client_id="LEEG")
    result = selectors.expired_clients(as_of=TODAY)
    assert [e.client_id for e in result.expired] == ["GRENS", "OUD"]
    assert (result.open_cases, result.undated, result.clients) == (1, 1, 5)


def test_a_later_activity_keeps_the_file():
    from trede.casework.tests.factories import ContactFactory

    client = _client_with_benefit("CONTACT", ended=date(2012, 1, 1))
    ContactFactory(client=client, date=date(2020, 1, 1))
    assert selectors.expired_clients(as_of=TODAY).expired == []


def test_proposal_approval_and_four_eyes(people):
    full_client()
    _client_with_benefit("LOOPT", ended=None)
    run = services.run_propose(user=people["beheerder"], as_of=TODAY)
    assert run.proposed_count == 1
    assert list(DestructionItem.objects.filter(run=run).values_list("client_id", flat=True)) == [UNIQUE_ID]
    # The proposer may not approve (refused and audited), a consultant may not at all.
    with pytest.raises(ValidationError, match="zelf voorgesteld"):
        services.run_approve(user=people["beheerder"], run=run, as_of=TODAY)
    assert AuditEvent.objects.filter(event="destruction_refused").count() == 1
    with pytest.raises(PermissionDenied):
        services.run_approve(user=people["consulent"], run=run, as_of=TODAY)
    assert Client.objects.filter(pk=UNIQUE_ID).exists()

    done = services.run_approve(user=people["privacy"], run=run, as_of=TODAY)
    assert done.status == RunStatus.UITGEVOERD
    assert (done.destroyed_count, done.skipped_count) == (1, 0)
    assert done.decided_by == people["privacy"] and done.executed_at is not None
    assert done.counts["clients_client"] == 1 and done.counts["retention_destructionitem"] == 1
    assert not Client.objects.filter(pk=UNIQUE_ID).exists()
    assert Client.objects.filter(pk="LOOPT").exists()
    # The run's own rows and audit rows hold no client number.
    assert not DestructionItem.objects.exists()
    run_events = AuditEvent.objects.filter(purpose=services.PURPOSE)
    assert {e.event for e in run_events} >= {
        "destruction_proposed",
        "destruction_executed",
        "destruction_refused",
    }
    assert all(e.client_id == "" and UNIQUE_ID not in str(e.details) for e in run_events)
    assert UNIQUE_ID not in str(DestructionRun.objects.values().get(pk=run.pk))


def test_the_database_refuses_approval_by_the_proposer(people):
    full_client()
    run = services.run_propose(user=people["beheerder"], as_of=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionRun.objects.filter(pk=run.pk).update(
            status=RunStatus.GOEDGEKEURD, decided_by=people["beheerder"], decided_at=timezone.now()
        )


def test_a_client_active_again_is_skipped(people):
    full_client()
    client = _client_with_benefit("TERUG", ended=date(2012, 1, 1))
    run = services.run_propose(user=people["privacy"], as_of=TODAY)
    assert run.proposed_count == 2
    BenefitFactory(
        benefit_id="BNIEUW", client=client, start_date=date(2026, 11, 1), end_date=None, end_reason=""
    )
    done = services.run_approve(user=people["beheerder"], run=run, as_of=TODAY)
    assert (done.destroyed_count, done.skipped_count) == (1, 1)
    assert Client.objects.filter(pk="TERUG").exists()


def test_batches_and_progress(people, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 2)
    for i in range(5):
        _client_with_benefit(f"OUD{i}", ended=date(2012, 1, 1))
    run = services.run_propose(user=people["privacy"], as_of=TODAY)
    seen = []
    done = services.run_approve(
        user=people["beheerder"], run=run, as_of=TODAY, progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert done.destroyed_count == 5 and done.counts["clients_client"] == 5
    assert not Client.objects.exists()


def test_rejection_keeps_everything_and_forgets_the_numbers(people):
    full_client()
    run = services.run_propose(user=people["beheerder"], as_of=TODAY)
    with pytest.raises(ValidationError):
        services.run_reject(user=people["privacy"], run=run, reason="")
    rejected = services.run_reject(user=people["privacy"], run=run, reason="Lopend bezwaar, nog bewaren")
    assert rejected.status == RunStatus.AFGEWEZEN
    assert Client.objects.filter(pk=UNIQUE_ID).exists()
    assert not DestructionItem.objects.exists()
    with pytest.raises(ValidationError):
        services.run_approve(user=people["privacy"], run=rejected, as_of=TODAY)


def test_nothing_to_propose_and_no_double_proposal(people):
    with pytest.raises(ValidationError, match="geen klantdossiers"):
        services.run_propose(user=people["beheerder"], as_of=TODAY)
    full_client()
    services.run_propose(user=people["beheerder"], as_of=TODAY)
    with pytest.raises(ValidationError, match="geen klantdossiers"):
        services.run_propose(user=people["privacy"], as_of=TODAY)


def test_period_change_has_history_and_is_used(people):
    _client_with_benefit("OUD", ended=date(2015, 1, 1))
    assert len(selectors.expired_clients(as_of=TODAY).expired) == 1
    with pytest.raises(PermissionDenied):
        services.period_update(
            user=people["privacy"], record_type=RecordType.KLANTDOSSIER, years=15, basis="Langer bewaren"
        )
    with pytest.raises(ValidationError):
        services.period_update(
            user=people["beheerder"], record_type=RecordType.KLANTDOSSIER, years=15, basis="kort"
        )
    services.period_update(
        user=people["beheerder"],
        record_type=RecordType.KLANTDOSSIER,
        years=15,
        basis="Raadsbesluit 2026: langer bewaren",
    )
    services.period_update(
        user=people["beheerder"],
        record_type=RecordType.KLANTDOSSIER,
        years=12,
        basis="Raadsbesluit 2027: toch 12 jaar",
    )
    assert selectors.period_of(RecordType.KLANTDOSSIER).years == 12
    assert [h.years for h in selectors.period_history(RecordType.KLANTDOSSIER)] == [12, 15]
    assert selectors.expired_clients(as_of=TODAY).expired == []
    assert AuditEvent.objects.filter(event="retention_period_changed").count() == 2


def test_the_audit_log_run_removes_only_old_rows(people):
    from django.db import connection
    from freezegun import freeze_time

    from trede.audit import logevent

    with freeze_time(timezone.now() - timedelta(days=6 * 366)):
        old = logevent.retention_listed(people["privacy"], what="lang geleden", count=0)
    with freeze_time(timezone.now() - timedelta(days=4 * 366)):
        recent = logevent.retention_listed(people["privacy"], what="vier jaar geleden", count=0)
    run = services.run_propose(user=people["beheerder"], record_type=RecordType.AUDITLOG)
    assert run.proposed_count == 1
    with pytest.raises(ValidationError, match="zelf voorgesteld"):
        services.run_approve(user=people["beheerder"], run=run)
    done = services.run_approve(user=people["privacy"], run=run)
    assert done.destroyed_count == 1 and done.counts == {"audit_auditevent": 1}
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(event="destruction_executed").exists()
    # The triggers are back: a DELETE is refused again.
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
