"""`trede fairness diagnosis|matching [--json]`: disparate impact of the diagnoses and of the
matching by group."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.employers.matching.fairness import matching_fairness
from trede.employers.matching.selectors import DEFAULT_TOP

from ...intake.fairness import MIN_GROUP_SIZE, diagnosis_fairness, render_fairness, render_matching_fairness


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"ongeldige datum '{text}': gebruik JJJJ-MM-DD", returncode=2) from None


class Command(BaseCommand):
    help = (
        "Eerlijkheidsrapport naar geslacht, leeftijd en statushouderschap: van de diagnose (afstand "
        "tot werk, aandeel in een werkroute, afwijkingen door de consulent) of van de matching "
        "(beste score en aandeel op een kandidatenlijst), met de disparate-impactratio."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        diagnosis = sub.add_parser("diagnosis", help="over de laatste diagnose per klant")
        matching = sub.add_parser("matching", help="over de kandidaten en open vacatures op een dag")
        matching.add_argument("--as-of", default=None, help="peildatum JJJJ-MM-DD (standaard vandaag)")
        matching.add_argument(
            "--top",
            type=int,
            default=DEFAULT_TOP,
            help=f"lengte van de kandidatenlijst (standaard {DEFAULT_TOP})",
        )
        for report in (diagnosis, matching):
            report.add_argument(
                "--json", action="store_true", help="precies één JSON-object op standaarduitvoer"
            )
            report.add_argument(
                "--min-n",
                type=int,
                default=MIN_GROUP_SIZE,
                help=f"kleinste groep die wordt getoond (standaard {MIN_GROUP_SIZE})",
            )

    def handle(self, *args, report, **options):
        if options["min_n"] < 1:
            raise CommandError("--min-n moet minstens 1 zijn", returncode=2)
        if report == "matching":
            if options["top"] < 1:
                raise CommandError("--top moet minstens 1 zijn", returncode=2)
            day = _day(options["as_of"]) if options["as_of"] else timezone.localdate()
            result = matching_fairness(day, top=options["top"], min_n=options["min_n"])
            text = render_matching_fairness
        else:
            result = diagnosis_fairness(min_n=options["min_n"])
            text = render_fairness
        if options["json"]:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            return
        sys.stdout.write(text(result))
