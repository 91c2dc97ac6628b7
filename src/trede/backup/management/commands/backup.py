"""`trede backup create FILE` and `trede backup restore FILE [--overwrite]`: the whole
database, audit log included, to one file and back (`trede.backup.services`; the procedure
for IT in docs/operations.md). Exit codes: 0 done, 1 refused or failed, 2 wrong usage."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trede.backup.services import BackupError, backup_create, backup_restore


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",") if size >= 100_000 else f"{size / 1000:.0f} kB"


class Command(BaseCommand):
    # A restore must work on an empty database, where checks that read tables would fail.
    requires_system_checks: list[str] = []
    help = "Back-up van de hele database naar één bestand, en herstel in een lege database."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="back-up maken (PostgreSQL: pg_dump; SQLite: online kopie)")
        create.add_argument("file", help="het back-upbestand (mag nog niet bestaan)")
        create.add_argument("--database", default="default", help="Django-database (standaard: default)")
        restore = sub.add_parser("restore", help="back-up terugzetten in een lege database")
        restore.add_argument("file", help="het back-upbestand")
        restore.add_argument("--database", default="default", help="Django-database (standaard: default)")
        restore.add_argument(
            "--overwrite",
            action="store_true",
            help="ook als de doeldatabase niet leeg is: alles daarin wordt vervangen door de back-up",
        )

    def handle(self, *args, action, file, database, **options):
        try:
            if action == "create":
                done = backup_create(Path(file), database=database)
                self.stdout.write(
                    f"Back-up gemaakt: {done.path} ({_size(done.size)}, {done.audit_rows} regels in het auditlog, "
                    f"{done.seconds:.1f} s). Bewaar het bestand buiten deze server en versleuteld: "
                    "het bevat alle persoonsgegevens."
                )
            else:
                done = backup_restore(Path(file), database=database, overwrite=options["overwrite"])
                self.stdout.write(
                    f"Back-up {done.path} teruggezet ({done.audit_rows} regels in het auditlog, triggers van het "
                    f"auditlog aanwezig, {done.seconds:.1f} s). Voer nu 'trede migrate' uit als de back-up van "
                    "een oudere versie van Trede is."
                )
        except BackupError as refused:
            raise CommandError(str(refused), returncode=1) from None
