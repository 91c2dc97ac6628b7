"""A page's section reads: one audit row per section (NEN 7513), all of them in one INSERT
per request, written before the response leaves (`ReadsPerRequestMiddleware`)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trede.audit import logevent
from trede.audit.middleware import ReadsPerRequestMiddleware
from trede.audit.models import AuditEvent
from trede.audit.services import audit_read, reads_in_one_insert
from trede.tests_e2e.world import build_world

A = "KA0001"
TABLE = AuditEvent._meta.db_table


def audit_inserts(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith(f'INSERT INTO "{TABLE}"')]


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _sections_read(client_id: str) -> list[str]:
    rows = AuditEvent.objects.filter(event="client_section_read", client_id=client_id)
    return sorted(rows.values_list("section", flat=True))


# --------------------------------------------------------------------------- pages


def test_client_file_writes_a_row_per_section_in_one_insert(world, client):
    client.force_login(world.user("sanne"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("clients:file", args=[A]))
    assert response.status_code == 200
    shown = response.context["file"].sections
    assert len(shown) >= 5  # a full file: several sections, so one INSERT is a real claim
    assert _sections_read(A) == sorted(shown)
    assert len(audit_inserts(captured)) == 1


def test_diagnosis_page_writes_its_two_sections_in_one_insert(world, client):
    """Diagnose and leefgebieden, read through `audit_read` twice by the intake views."""
    from trede.casework.intake.services import diagnosis_from_questionnaire

    sanne = world.user("sanne")
    # The tool's diagnosis, with the contributions of the life-domain answers.
    diagnosis = diagnosis_from_questionnaire(user=sanne, questionnaire=world.extra["questionnaire"])
    assert diagnosis.tool_result["contributions"]
    client.force_login(sanne)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("casework:diagnosis_detail", args=[diagnosis.pk]))
    assert response.status_code == 200
    assert _sections_read(A) == ["diagnose", "leefgebieden"]
    assert len(audit_inserts(captured)) == 1


def test_intake_page_writes_its_sections_in_one_insert(world, client):
    client.force_login(world.user("sanne"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("casework:intake_detail", args=[world.extra["application"].pk]))
    assert response.status_code == 200
    # The application's note, the diagnoses and the questionnaire's domains per section.
    assert _sections_read(A) == ["contacten", "diagnose", "leefgebieden", "werkprofiel"]
    assert len(audit_inserts(captured)) == 1


def test_a_failing_audit_write_fails_the_page(world, client, monkeypatch):
    """Written inside the request: when the rows cannot be stored the consultant gets an
    error, not the file without its log."""

    def refuse(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditEvent.objects, "bulk_create", refuse)
    client.force_login(world.user("sanne"))
    with pytest.raises(RuntimeError, match="audit table unavailable"):
        client.get(reverse("clients:file", args=[A]))


# --------------------------------------------------------------------------- mechanism


def _middleware(view):
    return ReadsPerRequestMiddleware(view)(RequestFactory().get("/"))


def test_middleware_writes_the_reads_of_a_request_together_before_returning(db):
    def view(request):
        for section in ("basis", "plan", "contacten"):
            audit_read(user=None, client_id=A, section=section, purpose="dossier")
        # Nothing written yet: the rows wait for the end of the request.
        assert not AuditEvent.objects.exists()
        return HttpResponse("ok")

    with CaptureQueriesContext(connection) as captured:
        response = _middleware(view)
    assert response.status_code == 200
    assert _sections_read(A) == ["basis", "contacten", "plan"]
    assert len(audit_inserts(captured)) == 1


def test_reads_of_a_view_that_fails_are_still_written(db):
    """The sections were read by then: the log may show a read whose page failed, but
    never miss one."""

    def view(request):
        logevent.client_section_read(None, A, "basis")
        raise ValueError("kapot")

    with pytest.raises(ValueError):
        _middleware(view)
    assert _sections_read(A) == ["basis"]


def test_outside_a_request_a_read_is_written_at_once(db):
    row = audit_read(user=None, client_id=A, section="basis", purpose="dossier")
    assert row.pk is not None
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_nested_blocks_write_once_at_the_outermost_end(db):
    with CaptureQueriesContext(connection) as captured, reads_in_one_insert():
        logevent.client_sections_read(None, A, ["basis", "plan"])
        with reads_in_one_insert():
            logevent.client_section_read(None, A, "contacten")
        assert not AuditEvent.objects.exists()
    assert _sections_read(A) == ["basis", "contacten", "plan"]
    assert len(audit_inserts(captured)) == 1


def test_other_events_are_not_held_back(db):
    """Only section reads wait for the end of the request; other rows (changes, refusals,
    this privacy check) are written at once, inside their own transaction."""
    with reads_in_one_insert():
        logevent.audit_log_read(None, A)
        assert AuditEvent.objects.filter(event="audit_log_read").exists()
