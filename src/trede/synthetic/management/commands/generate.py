"""`trede generate DIR --clients N --years Y --seed S`: a synthetic municipality.

Writes an interchange folder plus ground_truth.json without touching the database. A
progress bar goes to standard error; standard output gets one summary line.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trede.synthetic.generator import generate


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ongeldige datum {value!r}; gebruik JJJJ-MM-DD.") from exc


class Command(BaseCommand):
    help = "Genereer een synthetische gemeente als uitwisselingsmap (CSV) met ground_truth.json."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Map waarin de CSV-bestanden komen.")
        parser.add_argument("--clients", type=int, default=5000, help="Aantal personen in clients.csv.")
        parser.add_argument("--years", type=int, default=10, help="Jaren waarneming tot de einddatum.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Startwaarde; zelfde waarde geeft dezelfde bestanden."
        )
        parser.add_argument(
            "--end-date",
            type=_iso_date,
            default=date(2026, 1, 1),
            help="Eerste dag zonder gegevens (JJJJ-MM-DD), standaard 2026-01-01.",
        )
        parser.add_argument(
            "--core-only",
            action="store_true",
            help="Alleen clients, benefits, diagnoses en trajectories (met hun verwijzingen).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Geen voortgangsbalk.")

    def handle(self, *args: object, **options: object) -> None:
        clients, years, seed = int(options["clients"]), int(options["years"]), int(options["seed"])
        if clients < 50:
            raise CommandError("--clients moet minstens 50 zijn.")
        if years < 1:
            raise CommandError("--years moet minstens 1 zijn.")
        started = time.monotonic()
        show = not options["no_progress"]
        with _Bar(enabled=show) as bar:
            summary = generate(
                Path(options["directory"]),
                clients=clients,
                years=years,
                seed=seed,
                end_date=options["end_date"],
                progress=bar.update if show else None,
                core_only=bool(options["core_only"]),
            )
        files = summary["files"]
        self.stdout.write(
            f"{summary['out_dir']}: {files['clients.csv']} cliënten, {files['benefits.csv']} uitkeringen, "
            f"{files['trajectories.csv']} trajecten, {len(files)} bestanden + ground_truth.json, "
            f"periode {summary['data_start']} tot {summary['data_end']}, seed {seed}, "
            f"{time.monotonic() - started:.1f} s"
        )


class _Bar:
    """A rich progress bar on standard error, one task per stage."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tasks: dict[str, int] = {}
        self.progress = None

    def __enter__(self) -> _Bar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self.progress.__enter__()
        return self

    def update(self, stage: str, done: float, total: float) -> None:
        if self.progress is None:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)
