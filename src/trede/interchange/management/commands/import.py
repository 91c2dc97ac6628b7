"""`trede import DIR`: load an interchange folder, all or nothing.

Exit codes (interchange.md): 0 success (warnings allowed), 1 refused data (nothing
written), 2 wrong usage.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trede.interchange.reading import count_lines
from trede.interchange.services import ImportRefused, import_folder
from trede.utils.progress import stderr_progress

LARGE_FOLDER_LINES = 20_000


class Command(BaseCommand):
    # The data commands of the interchange contract skip the system checks: those load the
    # URL configuration and every view, which costs more than the command itself.
    requires_system_checks: list[str] = []
    help = "Laad een map in het uitwisselformaat (alles of niets)."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="map met clients.csv, benefits.csv en andere bestanden")
        parser.add_argument(
            "--quiet-warnings", action="store_true", help="toon alleen het aantal waarschuwingen"
        )
        parser.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")

    def handle(self, *args, folder, quiet_warnings, no_progress, **options):
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(f"{folder}: map bestaat niet", returncode=2)
        lines = count_lines(path)
        with stderr_progress(enabled=lines >= LARGE_FOLDER_LINES and not no_progress) as progress:
            if progress:
                progress("lezen", 0, lines)
            try:
                report = import_folder(path, progress=progress)
            except ImportRefused as refused:
                for problem in refused.problems:
                    sys.stderr.write(f"{problem}\n")
                errors = sum(not p.warning for p in refused.problems)
                sys.stderr.write(f"Import geweigerd: {errors} fout(en). Er is niets opgeslagen.\n")
                sys.exit(1)
        if quiet_warnings:
            if report.warnings:
                sys.stderr.write(f"{len(report.warnings)} waarschuwing(en)\n")
        else:
            for warning in report.warnings:
                sys.stderr.write(f"{warning}\n")
        created = sum(report.created.values())
        updated = sum(report.updated.values())
        sys.stderr.write(
            f"Import geslaagd: {report.rows} regels gelezen, {created} nieuw, {updated} bijgewerkt, "
            f"{len(report.warnings)} waarschuwing(en), {report.seconds:.1f} s.\n"
        )
