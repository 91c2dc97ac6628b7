"""`trede export DIR`: write every record in the interchange format.

`trede export research DIR --purpose "…" [--user NAAM]` writes the pseudonymised research
export instead (trede.interchange.research, decisions 81-83). The research form is the
word `research` followed by a second folder; `trede export research` alone is still the
interchange export into a folder named `research`, as the contract reads it.
"""

import getpass
import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from trede.interchange.research.services import ResearchExportRefused, export_research
from trede.interchange.services import export_folder

RESEARCH = "research"


def _usage(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    # The data commands of the interchange contract skip the system checks: those load the
    # URL configuration and every view, which costs more than the command itself.
    requires_system_checks: list[str] = []
    help = (
        "Schrijf alle gegevens in het uitwisselformaat naar een map; "
        "'export research MAP --purpose DOEL' schrijft een gepseudonimiseerde onderzoeksexport."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", help="doelmap (wordt aangemaakt), of 'research' gevolgd door de doelmap"
        )
        parser.add_argument(
            "research_folder", nargs="?", default=None, help="doelmap van de onderzoeksexport"
        )
        parser.add_argument(
            "--purpose", default=None, help="onderzoeksexport: het doel van het onderzoek (verplicht)"
        )
        parser.add_argument(
            "--user", default=None, help="onderzoeksexport: gebruikersnaam in Trede voor wie de export is"
        )
        parser.add_argument(
            "--json", action="store_true", help="onderzoeksexport: één JSON-object op standaarduitvoer"
        )

    def handle(self, *args, folder, research_folder, **options):
        if research_folder is None:
            if folder == RESEARCH and options["purpose"] is not None:
                raise _usage('geef de map op: trede export research MAP --purpose "doel"')
            if options["purpose"] is not None or options["user"] is not None or options["json"]:
                raise _usage("--purpose, --user en --json horen bij 'trede export research MAP'")
            written = export_folder(Path(folder))
            total = sum(written.values())
            sys.stderr.write(f"Export klaar: {total} regels in {len(written)} bestanden naar {folder}.\n")
            return
        if folder != RESEARCH:
            raise _usage(
                f"onbekende vorm: 'trede export {folder} {research_folder}'; bedoeld: 'trede export MAP'?"
            )
        self._research(Path(research_folder), options)

    def _research(self, target: Path, options) -> None:
        purpose = (options["purpose"] or "").strip()
        if not purpose:
            raise _usage(
                "geef met --purpose het doel van het onderzoek op; een onderzoeksexport zonder doel kan niet"
            )
        user, account = None, ""
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None or not user.is_active:
                raise _usage(f"gebruiker '{options['user']}' bestaat niet of is niet actief")
        else:
            try:
                account = getpass.getuser()
            except (KeyError, OSError):
                account = "onbekend"
        try:
            result = export_research(
                target,
                purpose=purpose,
                user=user,
                account=account,
                via="opdrachtregel",
                progress=lambda text: sys.stderr.write(f"{text} …\n"),
            )
        except ResearchExportRefused as refused:
            raise _usage(str(refused)) from refused
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=1) from denied
        full = result.combinations[-1] if result.combinations else None
        sys.stderr.write(
            f"Onderzoeksexport klaar in {target}: "
            + ", ".join(f"{name} {count}" for name, count in result.files.items())
            + f". Generalisatie: {result.level.label}"
            + (
                f"; {full.records_below_k} klanten in een klasse kleiner dan k = {result.settings.k}"
                if full
                else ""
            )
            + ". Vastgelegd in het auditlog.\n"
        )
        if options["json"]:
            payload = {
                "folder": str(target),
                "files": result.files,
                "k": result.settings.k,
                "birth_band_years": result.level.birth_band_years,
                "postcode4_published": result.level.postcode,
                "smallest_class": full.smallest_class if full else None,
                "records_below_k": full.records_below_k if full else 0,
                "audit_id": result.audit_id,
            }
            sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
