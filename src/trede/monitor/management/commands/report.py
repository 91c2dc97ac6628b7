"""`trede report council --quarter YYYY-Qn --out DIR [--json]`: the quarterly council report."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trede.monitor.council.rendering import ReportWriteError, write_report
from trede.monitor.council.selectors import QuarterError, council_report, parse_quarter


class Command(BaseCommand):
    # A data command of the interchange contract: no system checks (see `monitor`).
    requires_system_checks: list[str] = []
    help = "Rapportages: de kwartaalrapportage voor de gemeenteraad (HTML en PDF)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        council = sub.add_parser("council", help="kwartaalrapportage voor de raad")
        council.add_argument("--quarter", required=True, help="kwartaal JJJJ-Qn, bv. 2026-Q1")
        council.add_argument("--out", required=True, help="map voor het HTML- en PDF-bestand (wordt gemaakt)")
        council.add_argument(
            "--json", action="store_true", help="precies één JSON-object op standaarduitvoer"
        )

    def handle(self, *args, report, **options):
        try:
            quarter = parse_quarter(options["quarter"])
        except QuarterError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        out = Path(options["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} bestaat al en is geen map", returncode=2)
        started = time.monotonic()
        result = council_report(quarter)
        try:
            files = write_report(quarter, result, out)
        except ReportWriteError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if options["json"]:
            payload = {
                "quarter": quarter.label,
                "files": [str(f) for f in files],
                "tables": result["published"],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(
            f"Raadsrapportage {quarter.title}: {len(result['published'])} tabellen, "
            f"in {time.monotonic() - started:.1f} s geschreven naar\n" + "\n".join(f"  {f}" for f in files)
        )
