"""`trede algorithms register [--json] [--no-fairness]`: the algorithm register."""

import json
import sys

from django.core.management.base import BaseCommand

from ...selectors import register


def render_text(data: dict) -> str:
    """The register in Dutch for the terminal: per algorithm the standard's fields."""
    lines = ["Algoritmeregister", f"Standaard: {data['standard']}", f"Gemaakt op: {data['generated_at']}"]
    fields = (
        ("description_short", "Korte omschrijving"),
        ("goal", "Doel"),
        ("impact", "Impact"),
        ("proportionality", "Afwegingen"),
        ("human_intervention", "Menselijke tussenkomst"),
        ("source_data", "Gebruikte data"),
        ("lawful_basis", "Wettelijke basis"),
        ("risks", "Risicobeheer"),
        ("methods_and_models", "Technische werking"),
    )
    for entry in data["algorithms"]:
        lines += ["", f"== {entry['name']} ({entry['source_id']})"]
        for key, label in fields:
            lines.append(f"{label}: {entry[key]}")
        lines.append("Broncode: " + ", ".join(entry["publiccode"]))
        fairness = entry["x_trede"]["fairness"]
        if fairness and fairness["report"] in ("diagnosis", "matching"):
            for dim in fairness["dimensions"]:
                di = dim["disparate_impact"]
                ratio = "niet te berekenen" if di["ratio"] is None else str(di["ratio"]).replace(".", ",")
                lines.append(f"Eerlijkheid {dim['title'].lower()}: disparate impact {ratio}")
        elif fairness and fairness["report"] == "effects":
            run = fairness["run"]
            lines.append(
                "Eerlijkheid: nog geen effectschatting bewaard."
                if run is None
                else f"Eerlijkheid: effectschatting van {run['created_at']}, per statushouderschap op de pagina."
            )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = (
        "Algoritmeregister: de diagnose, de matching en de effectschatting in de velden van het "
        "Algoritmeregister, uit de verklaringen in de code en de laatste eerlijkheidscijfers."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        reg = sub.add_parser("register", help="het register van alle algoritmes")
        reg.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")
        reg.add_argument(
            "--no-fairness",
            action="store_true",
            help="zonder eerlijkheidscijfers (geen database nodig behalve het beleid)",
        )

    def handle(self, *args, report, **options):
        data = register(with_fairness=not options["no_fairness"])
        if options["json"]:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            return
        sys.stdout.write(render_text(data))
