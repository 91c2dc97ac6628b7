"""`trede match vacancy|client|assign`: the matching engine's CLI (interchange v2)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.audit import logevent
from trede.employers.matching.selectors import (
    DEFAULT_TOP,
    MatchError,
    match_assign,
    match_client,
    match_vacancy,
)
from trede.monitor.management.commands.monitor import _date


def _top(text: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        raise CommandError(f"--top '{text}' is geen geheel getal van 0 of meer", returncode=2)
    return int(text)


class Command(BaseCommand):
    # The data commands of the interchange contract skip the system checks (see monitor).
    requires_system_checks: list[str] = []
    help = "Matching: kandidaten bij een vacature, vacatures bij een klant, of een optimale toewijzing."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        vacancy = sub.add_parser("vacancy", help="de best passende kandidaten voor een vacature")
        vacancy.add_argument("vacancy_id", help="vacaturenummer")
        client = sub.add_parser("client", help="de best passende open vacatures voor een klant")
        client.add_argument("client_id", help="klantnummer")
        assign = sub.add_parser("assign", help="optimale toewijzing van kandidaten aan vacatures")
        assign.add_argument("--vacancies", required=True, help="vacaturenummers, gescheiden door komma's")
        assign.add_argument(
            "--method", choices=["auto", "dense", "lp"], default="auto", help="rekenmethode (standaard auto)"
        )
        for p in (vacancy, client):
            p.add_argument(
                "--top", default=str(DEFAULT_TOP), help=f"hoeveel (standaard {DEFAULT_TOP}, 0 = alle)"
            )
        for p in (vacancy, client, assign):
            p.add_argument("--as-of", default=None, help="peildatum JJJJ-MM-DD (standaard vandaag)")
            p.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")

    def handle(self, *args, what, **options):
        day = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        try:
            if what == "vacancy":
                result = match_vacancy(options["vacancy_id"], day, _top(options["top"]))
                named = [c["client_id"] for c in result["candidates"]]
                label = f"kandidaten voor vacature {options['vacancy_id']}"
            elif what == "client":
                result = match_client(options["client_id"], day, _top(options["top"]))
                named = [options["client_id"]] if result["vacancies"] else []
                label = f"vacatures voor klant {options['client_id']}"
            else:
                result = match_assign(options["vacancies"].split(","), day, method=options["method"])
                named = [p["client_id"] for p in result["pairs"]]
                label = f"toewijzing over vacatures {options['vacancies']}"
        except MatchError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        logevent.match_listed(None, named, what=label[:200], as_of=day.isoformat())
        if options["json"]:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            return
        sys.stdout.write(render(what, result))


def render(what: str, result: dict) -> str:
    lines = []
    if what == "assign":
        for p in result["pairs"]:
            lines.append(f"{p['vacancy_id']:<16} {p['client_id']:<16} {p['score']:.4f}")
        lines.append(f"totaal {result['total_score']:.4f}")
        return "\n".join(lines) + "\n"
    key, rows = (
        ("client_id", result["candidates"]) if what == "vacancy" else ("vacancy_id", result["vacancies"])
    )
    if not rows:
        return "Niets gevonden op deze peildatum.\n"
    for r in rows:
        lines.append(f"{r[key]:<16} {r['score']:.4f}")
        lines.extend(f"    {reason}" for reason in r["reasons"])
    return "\n".join(lines) + "\n"
