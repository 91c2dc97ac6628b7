"""Schemathesis against a live server on the test run's database: every operation of the
committed schema, positive and negative examples, as a logged-in teamleider whose team has
client A (data in every section). No answer may be a 5xx, and every answer must be what
the schema says (status, content type, body).

Bounded: EXAMPLES per operation and mode, no shrinking, so the test stays within about two
minutes on a loaded machine; `TREDE_API_FUZZ_EXAMPLES` raises it for a longer run.
"""

from __future__ import annotations

import os
import time

import pytest
import requests
import schemathesis
from django.conf import settings
from django.db import connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from trede.api.urls import SCHEMA_FILE

EXAMPLES = int(os.environ.get("TREDE_API_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF_SECRET = "schemathesis0csrf0secret00000000"  # 32 characters: a valid unmasked token


@pytest.fixture
def one_connection_per_request():
    """The live server answers each request in a new thread; a persistent connection would
    outlive it and keep PostgreSQL from dropping the test database afterwards."""
    database = connections.settings["default"]
    before = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield
    database["CONN_MAX_AGE"] = before


@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_as_the_schema_says(one_connection_per_request, live_server, world, client):
    client.force_login(world.user("tl_noord"))
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        "csrftoken": CSRF_SECRET,
    }
    session = requests.Session()
    session.headers["X-CSRFToken"] = CSRF_SECRET
    schema = schemathesis.openapi.from_path(SCHEMA_FILE)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures: list[str] = []
    unsatisfiable: list[str] = []
    calls = 0
    started = time.monotonic()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal calls
                calls += 1
                response = case.call(base_url=live_server.url, session=session, cookies=cookies, timeout=60)
                case.validate_response(response, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                # No request of this operation breaks its schema (a path id is any text):
                # nothing negative to send.
                unsatisfiable.append(f"{operation.label} ({mode})")
            except BaseException as error:  # collected: one report for every operation
                if isinstance(error, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.label} ({mode}): {str(error)[:1500]}")
    elapsed = time.monotonic() - started
    print(
        f"schemathesis: {len(operations)} operations, {calls} calls in {elapsed:.0f} s; "
        f"no negative case for {len(unsatisfiable)}"
    )
    assert len(unsatisfiable) < len(operations)
    assert not failures, "\n\n".join(failures)
