"""`trede instruments report`: use and results per instrument and provider (interchange v2)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from trede.instruments.reporting import BY_CHOICES, ReportError, instrument_report_json
from trede.monitor.management.commands.monitor import _date


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Instrumenten: verwijzingen, no-shows, succes en kosten per instrument en aanbieder."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        report = sub.add_parser("report", help="rapport over een periode")
        report.add_argument(
            "--from", dest="date_from", required=True, help="begindatum JJJJ-MM-DD (telt mee)"
        )
        report.add_argument(
            "--to", dest="date_to", required=True, help="einddatum JJJJ-MM-DD (telt niet mee)"
        )
        report.add_argument(
            "--by", choices=BY_CHOICES, default="instrument", help="indeling (standaard instrument)"
        )
        report.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")

    def handle(self, *args, what, **options):
        try:
            result = instrument_report_json(
                _date(options["date_from"]), _date(options["date_to"]), options["by"]
            )
        except ReportError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            return
        lines = [
            f"{'instrument':<14} {'aanbieder':<12} {'verw.':>6} {'no-show':>8} {'start':>6} {'klaar':>6} {'succes':>7} {'kosten':>12}"
        ]
        for r in result["rows"]:
            lines.append(
                f"{r['instrument_code'] or '-':<14} {r['provider_id'] or '-':<12} {r['referrals']:>6} {r['no_shows']:>8} "
                f"{r['starts']:>6} {r['ended']:>6} {r['successes']:>7} {r['cost_eur']:>12.2f}"
            )
        sys.stdout.write("\n".join(lines) + "\n")
