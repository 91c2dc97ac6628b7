"""`trede serve`: Trede behind gunicorn, a real WSGI server with several worker processes.

The command checks the settings (as every `trede` command does), then replaces itself
with gunicorn (`exec`), so that gunicorn's master gets the signals (Ctrl+C, `docker stop`)
and no Django process lingers beside it. Workers: `trede.operations.serving`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trede.operations.serving import DEFAULT_BIND, DEFAULT_TIMEOUT, default_workers, gunicorn_argv


def _positive(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise CommandError(f"{name} moet een geheel getal van minstens 1 zijn, niet {value!r}", returncode=2)
    return number


class Command(BaseCommand):
    help = "Start de webserver (gunicorn) met meerdere workers; standaard op 127.0.0.1:8000."
    requires_system_checks = []  # gunicorn's workers load Django themselves

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=None,
            help=f"adres en poort (standaard $TREDE_BIND of {DEFAULT_BIND}; in Docker 0.0.0.0:8000)",
        )
        parser.add_argument(
            "--workers",
            default=None,
            help=f"aantal workers (standaard $TREDE_WEB_WORKERS of 2 x CPU's + 1, hier {default_workers()})",
        )
        parser.add_argument(
            "--timeout",
            default=None,
            help=f"seconden voordat een vastgelopen worker herstart (standaard $TREDE_WEB_TIMEOUT of {DEFAULT_TIMEOUT})",
        )
        parser.add_argument(
            "--print-command", action="store_true", help="toon het gunicorn-commando en start niet"
        )

    def handle(self, *args, bind, workers, timeout, print_command, **options):
        argv = serve_argv(bind=bind, workers=workers, timeout=timeout)
        if print_command:
            self.stdout.write(" ".join(argv))
            return
        where, count = argv[argv.index("--bind") + 1], argv[argv.index("--workers") + 1]
        # WhiteNoise warns in every worker when the folder of collected static files is missing.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Trede op http://{where}/ met {count} workers (gunicorn).")
        self.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)


def serve_argv(
    *, bind: str | None = None, workers: str | int | None = None, timeout: str | int | None = None
):
    """The gunicorn command line: an option given here, else the setting (TREDE_BIND,
    TREDE_WEB_WORKERS, TREDE_WEB_TIMEOUT), else the default."""
    bind = bind or settings.WEB_BIND or DEFAULT_BIND
    workers = workers or settings.WEB_WORKERS
    workers = _positive("--workers / TREDE_WEB_WORKERS", str(workers)) if workers else default_workers()
    timeout = timeout or settings.WEB_TIMEOUT
    timeout = _positive("--timeout / TREDE_WEB_TIMEOUT", str(timeout)) if timeout else DEFAULT_TIMEOUT
    return gunicorn_argv(bind=bind, workers=workers, timeout=timeout, log_level=settings.LOG_LEVEL)
