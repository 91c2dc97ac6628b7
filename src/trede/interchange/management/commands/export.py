"""`trede export DIR`: write every record in the interchange format."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from trede.interchange.services import export_folder


class Command(BaseCommand):
    help = "Schrijf alle gegevens in het uitwisselformaat naar een map."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="doelmap (wordt aangemaakt)")

    def handle(self, *args, folder, **options):
        written = export_folder(Path(folder))
        total = sum(written.values())
        sys.stderr.write(f"Export klaar: {total} regels in {len(written)} bestanden naar {folder}.\n")
