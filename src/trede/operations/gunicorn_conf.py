"""gunicorn's configuration for `trede serve` (the command line sets bind and workers).

Read by the gunicorn master, before Django is set up, so it reads TREDE_LOG_FORMAT from
the environment itself (the same variable and values as `trede.conf.settings`).
"""

import os

from trede.operations.logs import FORMATS

_format = os.environ.get("TREDE_LOG_FORMAT", "text").strip().lower() or "text"
if _format not in FORMATS:
    raise SystemExit(f"TREDE_LOG_FORMAT moet 'text' of 'json' zijn, niet {_format!r}.")

wsgi_app = "trede.conf.wsgi:application"
logger_class = "trede.operations.gunicorn_logging.AccessLogger"
# The access log and gunicorn's own messages both on standard error, like Django's logging.
accesslog = "-"
errorlog = "-"
# Workers load the application after the fork: no database connection or thread of the
# master is shared with them, and a restarted worker reads the code anew.
preload_app = False
# gunicorn 27's control socket sits at one path per user ($HOME/.gunicorn/gunicorn.ctl), so
# a second server (the load test's, a demo beside production) would take it over; Trede
# does not use it.
control_socket_disable = True
# Gunicorn's X-Forwarded-* trust is left at its default (only from 127.0.0.1); Trede reads
# the proxy's headers through its own settings (TREDE_PROXY_SSL_HEADER, TREDE_CLIENT_IP_HEADER).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "trede": {"()": f"trede.operations.logs.{'JsonFormatter' if _format == 'json' else 'TextFormatter'}"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "trede", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
