"""`/gezondheid/`: anonymous, JSON, 200 or 503, never refused by host, https or login rules."""

from __future__ import annotations

import json

import pytest

from trede.operations import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_cached_migrations(monkeypatch):
    monkeypatch.setattr(health, "_migrations_seen_applied", False)


def test_healthy_database_answers_200_with_plain_json(client):
    response = client.get("/gezondheid/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": True, "migrations": True}
    assert "no-store" in response["Cache-Control"]
    # No session is started for a probe.
    assert "sessionid" not in response.cookies


def test_head_is_answered_without_a_body(client):
    response = client.head("/gezondheid/")
    assert response.status_code == 200 and response.content == b""


def test_only_reading_methods(client):
    response = client.post("/gezondheid/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_not_redirected_to_https_nor_refused_for_an_unknown_host(client, settings):
    """A probe inside the container speaks http to 127.0.0.1, while production only allows
    its public name and redirects http to https."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["trede.gemeente.nl"]
    assert client.get("/gezondheid/", HTTP_HOST="127.0.0.1:8000").status_code == 200
    # Every other page keeps both rules.
    assert client.get("/inloggen/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/inloggen/", HTTP_HOST="trede.gemeente.nl").status_code == 301


def test_not_sent_to_the_second_login_step(client, settings):
    from trede.accounts.models import Role, User

    settings.TREDE_2FA_REQUIRED = True
    user = User.objects.create_user("beheer2", password="x-Geheim-2026!", role=Role.BEHEERDER)
    client.force_login(user)
    assert client.get("/", follow=False).status_code == 302  # the rest of Trede: enrol first
    assert client.get("/gezondheid/").status_code == 200


def test_unapplied_migrations_answer_503(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    response = client.get("/gezondheid/")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "fout", "database": True, "migrations": False}


def test_unreachable_database_answers_503_without_the_error_text(client, monkeypatch):
    from django.db import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.gemeente.nl" failed: password authentication')

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/gezondheid/")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "fout", "database": False, "migrations": False}
    assert b"gemeente" not in response.content and b"password" not in response.content


def test_applied_migrations_are_checked_once_per_process(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    assert client.get("/gezondheid/").status_code == 200
    monkeypatch.setattr(MigrationExecutor, "__init__", lambda *a, **k: pytest.fail("graph built again"))
    assert client.get("/gezondheid/").status_code == 200
