"""Log lines: readable text for development, one JSON object per line for production.

`TREDE_LOG_FORMAT=json` (docs/configuration.md) switches both Django's logging and the
web server's (access and error log, `trede.operations.gunicorn_conf`) to `JsonFormatter`.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from .requestid import current

# Extra fields a log call may carry (the access log sets them) and that become JSON keys.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms")


def request_id_of(record: logging.LogRecord) -> str | None:
    return getattr(record, "request_id", None) or current.get()


class JsonFormatter(logging.Formatter):
    """timestamp (UTC, ISO 8601), level, logger, message, request_id; an exception as text."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "timestamp": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_of(record),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The readable line, with the request id when there is one."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = request_id_of(record)
        return f"{text} [request_id={request_id}]" if request_id else text


FORMATS = ("text", "json")


def logging_config(*, log_format: str, level: str) -> dict:
    """Django's LOGGING: everything to standard error in the chosen format."""
    if log_format not in FORMATS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"TREDE_LOG_FORMAT moet 'text' of 'json' zijn, niet {log_format!r} (zie docs/configuration.md)."
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"()": "trede.operations.logs.TextFormatter"},
            "json": {"()": "trede.operations.logs.JsonFormatter"},
        },
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": log_format}},
        "root": {"handlers": ["stderr"], "level": level},
    }
