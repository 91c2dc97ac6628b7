"""`trede effects_store --horizon 12`: estimate every instrument's effect and store it for
the "Wat werkt voor wie" page (and a future instrument catalogue). Progress on stderr."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from trede.interchange.reading import parse_date
from trede.utils.progress import stderr_progress


class Command(BaseCommand):
    help = "Schat het effect van elk instrument op werk en bewaar het voor de pagina 'Wat werkt voor wie'."

    def add_arguments(self, parser):
        parser.add_argument(
            "--horizon", type=int, action="append", default=None, help="maanden (herhaalbaar; standaard 12)"
        )
        parser.add_argument(
            "--until", default=None, help="einde van de gegevens JJJJ-MM-DD (standaard: afgeleid)"
        )
        parser.add_argument("--outcome", choices=["werk", "werk_duurzaam"], default="werk")
        parser.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")

    def handle(self, *args, horizon, until, outcome, no_progress, **options):
        from trede.evaluations.services import EffectsUnavailable, effects_run_store

        day = None
        if until:
            day = parse_date(until.strip())
            if day is None:
                raise CommandError(
                    f"--until: '{until}' is geen bestaande datum in de vorm JJJJ-MM-DD", returncode=2
                )
        for h in horizon or [12]:
            if h < 1:
                raise CommandError("--horizon moet minstens 1 maand zijn", returncode=2)
            with stderr_progress(enabled=not no_progress) as progress:
                try:
                    run = effects_run_store(
                        user=None, horizon=h, until=day, outcome=outcome, progress=progress
                    )
                except EffectsUnavailable as exc:
                    raise CommandError(str(exc), returncode=2) from exc
            self.stdout.write(
                f"Opgeslagen: effecten van {run.n_instruments} instrumenten, horizon {h} maanden "
                f"(startmaanden {run.first_start_month} t/m {run.last_start_month}), {run.duration_seconds:.1f} s."
            )
