"""`trede export DIR`: write every record in the interchange format."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from trede.interchange.services import export_folder


class Command(BaseCommand):
    # The data commands of the interchange contract skip the system checks: those load the
    # URL configuration and every view, which costs more than the command itself.
    requires_system_checks: list[str] = []
    help = "Schrijf alle gegevens in het uitwisselformaat naar een map."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="doelmap (wordt aangemaakt)")

    def handle(self, *args, folder, **options):
        written = export_folder(Path(folder))
        total = sum(written.values())
        sys.stderr.write(f"Export klaar: {total} regels in {len(written)} bestanden naar {folder}.\n")
