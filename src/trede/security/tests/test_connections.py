"""Persistent database connections: a request reuses the connection of the one before it
(checked first), instead of opening a new one (a new PostgreSQL backend) every time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection, connections

from .test_deploy import _env

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="alleen PostgreSQL")


def test_connections_persist_and_are_checked_by_default():
    assert connection.settings_dict["CONN_MAX_AGE"] == 60
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_conn_max_age_comes_from_the_environment(tmp_path):
    show = (
        "import django, json; django.setup(); from django.db import connection as c; "
        "print(json.dumps([c.settings_dict['CONN_MAX_AGE'], c.settings_dict['CONN_HEALTH_CHECKS']]))"
    )
    env = {
        **_env(tmp_path, TREDE_DEMO="1", TREDE_DB_CONN_MAX_AGE="0"),
        "DJANGO_SETTINGS_MODULE": "trede.conf.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", show], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [0, True]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _request_cycle() -> int:
    """What a web server does around a view: the signals that close old connections."""
    request_started.send(sender=None)
    try:
        return _backend_pid()
    finally:
        request_finished.send(sender=None)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_next_request_reuses_the_postgresql_connection():
    first = _request_cycle()
    assert _request_cycle() == first


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_without_conn_max_age_every_request_opens_a_new_connection(monkeypatch):
    """The test above has teeth: with CONN_MAX_AGE 0 the backend changes per request."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    connection.close()
    first = _request_cycle()
    assert _request_cycle() != first


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_is_replaced_before_the_request_uses_it():
    first = _request_cycle()
    # Another session ends this backend, as a database restart or a proxy would.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    finally:
        other.close()
    # The health check at the start of the next request notices and reconnects.
    assert _request_cycle() != first
