"""`trede budget report`: budget, spending, commitments and forecast per line (interchange v2)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.finance.selectors import budget_report_json
from trede.monitor.management.commands.monitor import _date


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Budgetten: begroting, uitgaven, verplichtingen en prognose per begrotingspost."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        report = sub.add_parser("report", help="rapport over een jaar")
        report.add_argument("--year", required=True, help="het begrotingsjaar, bv. 2026")
        report.add_argument("--as-of", default=None, help="peildatum JJJJ-MM-DD (standaard vandaag)")
        report.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")

    def handle(self, *args, what, **options):
        text = options["year"].strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 9998):
            raise CommandError(f"'{options['year']}' is geen jaartal", returncode=2)
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        result = budget_report_json(int(text), as_of)
        if options["json"]:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            return
        lines = [
            f"{'post':<24} {'financiering':<20} {'budget':>12} {'uitgegeven':>12} {'verplicht':>12} {'prognose':>12}"
        ]
        for r in result["lines"]:
            lines.append(
                f"{r['line']:<24} {r['funding'] or '-':<20} {r['budget_eur']:>12.2f} {r['spent_eur']:>12.2f} "
                f"{r['committed_eur']:>12.2f} {r['forecast_eur']:>12.2f}"
            )
        sys.stdout.write("\n".join(lines) + "\n")
