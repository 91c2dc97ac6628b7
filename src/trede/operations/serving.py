"""How `trede serve` runs gunicorn: the number of workers and the command line.

Workers: gunicorn's own advice, 2 × CPUs + 1 (a sync worker waits for the database about
as long as it computes, so two per CPU keep the CPUs busy and the extra one covers a slow
request), counted on the CPUs this process may use (a container's or taskset's limit, not
the host's), capped at 12 so that a big host does not open more database connections
than PostgreSQL's default 100 allows for several instances. `TREDE_WEB_WORKERS` or
`--workers` overrides it.
"""

from __future__ import annotations

import os
import sys

MAX_WORKERS = 12
DEFAULT_BIND = "127.0.0.1:8000"
# A letter or council report PDF can take several seconds on a busy machine; a worker
# silent for longer than this is restarted by gunicorn.
DEFAULT_TIMEOUT = 120


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def default_workers(cpus: int | None = None) -> int:
    cpus = usable_cpus() if cpus is None else cpus
    return min(2 * cpus + 1, MAX_WORKERS)


def gunicorn_argv(*, bind: str, workers: int, timeout: int, log_level: str) -> list[str]:
    """`python -m gunicorn ...` for Trede's WSGI application with Trede's gunicorn config."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "trede.conf.wsgi:application",
        "--config",
        "python:trede.operations.gunicorn_conf",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--log-level",
        log_level.lower(),
    ]
