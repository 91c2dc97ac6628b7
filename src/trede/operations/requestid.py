"""A request id on every request: taken from X-Request-ID when it is a plain token, made
otherwise, echoed in the response and written on every log line of the request."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# What a proxy or load balancer sends (nginx's $request_id, a UUID, a trace id): letters,
# digits and a few separators. Anything else (spaces, newlines, quotes, a very long value)
# would let a client forge or break log lines, so it is replaced by our own id.
VALID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

current: ContextVar[str | None] = ContextVar("trede_request_id", default=None)


def request_id_for(value: str | None) -> str:
    if value and VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that redirects and refusals by later middleware carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.headers.get(HEADER))
        request.request_id = request_id
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response
