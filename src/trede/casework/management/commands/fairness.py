"""`trede fairness diagnosis [--json]`: disparate impact of the diagnoses by group."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ...intake.fairness import MIN_GROUP_SIZE, diagnosis_fairness, render_fairness


class Command(BaseCommand):
    help = (
        "Eerlijkheidsrapport: verdeling van de afstand tot werk, aandeel in een werkroute, afwijkingen "
        "door de consulent en de disparate-impactratio, naar geslacht, leeftijd en statushouderschap."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        diagnosis = sub.add_parser("diagnosis", help="over de laatste diagnose per klant")
        diagnosis.add_argument(
            "--json", action="store_true", help="precies één JSON-object op standaarduitvoer"
        )
        diagnosis.add_argument(
            "--min-n",
            type=int,
            default=MIN_GROUP_SIZE,
            help=f"kleinste groep die wordt getoond (standaard {MIN_GROUP_SIZE})",
        )

    def handle(self, *args, report, **options):
        if options["min_n"] < 1:
            raise CommandError("--min-n moet minstens 1 zijn", returncode=2)
        result = diagnosis_fairness(min_n=options["min_n"])
        if options["json"]:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            return
        sys.stdout.write(render_fairness(result))
