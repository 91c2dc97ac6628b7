"""Request ids: taken when valid, made otherwise, echoed, and on every JSON log line."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from trede.operations.logs import JsonFormatter, TextFormatter, logging_config
from trede.operations.requestid import current, request_id_for

pytestmark = pytest.mark.django_db


def test_a_valid_request_id_is_echoed(client):
    response = client.get("/inloggen/", HTTP_X_REQUEST_ID="proxy-3f2a9c1e-0001")
    assert response["X-Request-ID"] == "proxy-3f2a9c1e-0001"


@pytest.mark.parametrize(
    "sent", [None, "", "short", "has space in it", "x" * 129, "evil\nINFO forged", 'q"uote12']
)
def test_an_absent_or_invalid_request_id_is_replaced(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    response = client.get("/inloggen/", **headers)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_redirects_and_the_health_probe_carry_it_too(client):
    assert client.get("/", HTTP_X_REQUEST_ID="abcdefgh1").headers["X-Request-ID"] == "abcdefgh1"
    assert client.get("/gezondheid/", HTTP_X_REQUEST_ID="abcdefgh2").headers["X-Request-ID"] == "abcdefgh2"


def test_each_request_its_own_id():
    assert request_id_for(None) != request_id_for(None)


def _record(message="Klant geopend", **extra):
    record = logging.LogRecord("trede.test", logging.WARNING, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_lines_hold_the_five_fields_and_the_request_id_of_the_request():
    token = current.set("rid-12345678")
    try:
        line = json.loads(JsonFormatter().format(_record()))
    finally:
        current.reset(token)
    assert set(line) == {"timestamp", "level", "logger", "message", "request_id"}
    assert (
        line["level"] == "WARNING" and line["logger"] == "trede.test" and line["message"] == "Klant geopend"
    )
    assert line["request_id"] == "rid-12345678"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["timestamp"])


def test_json_line_outside_a_request_and_with_an_exception():
    try:
        raise ValueError("kapot")
    except ValueError:
        import sys

        record = _record(method="GET", status=500)
        record.exc_info = sys.exc_info()
    text = JsonFormatter().format(record)
    assert "\n" not in text  # one line, whatever the traceback
    line = json.loads(text)
    assert line["request_id"] is None and line["method"] == "GET" and line["status"] == 500
    assert "ValueError: kapot" in line["exception"]


def test_text_lines_stay_readable():
    token = current.set("rid-12345678")
    try:
        text = TextFormatter().format(_record())
    finally:
        current.reset(token)
    assert text.endswith("WARNING trede.test: Klant geopend [request_id=rid-12345678]")


def test_the_log_format_is_checked():
    assert logging_config(log_format="json", level="INFO")["handlers"]["stderr"]["formatter"] == "json"
    with pytest.raises(ImproperlyConfigured, match="TREDE_LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


def test_the_id_is_known_while_the_view_runs_and_forgotten_after():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from trede.operations.requestid import RequestIdMiddleware

    seen = []

    def view(request):
        seen.append((current.get(), request.request_id))
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="from-the-proxy-1"))
    assert seen == [("from-the-proxy-1", "from-the-proxy-1")]
    assert response["X-Request-ID"] == "from-the-proxy-1"
    assert current.get() is None
