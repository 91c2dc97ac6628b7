"""The `load` action of `trede bench` and its hidden set-up (run in the test's own database)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

MAX_SECONDS = 120  # a bounded test: at most two minutes of load


def add_load_arguments(sub) -> None:
    load = sub.add_parser(
        "load",
        help="belastingstest: gelijktijdige consulenten (locust) tegen trede serve, in een eigen database",
    )
    load.add_argument("--users", type=int, default=50, help="gelijktijdige consulenten (standaard 50)")
    load.add_argument(
        "--seconds",
        type=int,
        default=MAX_SECONDS,
        help=f"duur van de belasting, hoogstens {MAX_SECONDS} (standaard {MAX_SECONDS})",
    )
    load.add_argument("--clients", type=int, default=120, help="klanten per consulent (standaard 120)")
    load.add_argument(
        "--workers", type=int, default=None, help="workers van trede serve (standaard 2 x CPU's + 1)"
    )
    load.add_argument(
        "--spawn-rate", type=float, default=10.0, help="consulenten die per seconde beginnen (standaard 10)"
    )
    load.add_argument(
        "--caseload-repeat",
        type=int,
        default=50,
        help="metingen per pagina van trede bench_caseload ernaast (standaard 50)",
    )
    load.add_argument("--seed", type=int, default=2026)
    load.add_argument(
        "--workdir", help="werkmap (blijft staan, met server- en locustlog); standaard tijdelijk"
    )
    load.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")
    setup = sub.add_parser("_load_setup")
    setup.add_argument("--users", type=int, required=True)
    setup.add_argument("--clients", type=int, required=True)
    setup.add_argument("--seed", type=int, default=2026)
    setup.add_argument("--spec", required=True)


def handle_load(command, action: str, options: dict) -> None:
    if action == "_load_setup":
        from .setup import load_world_create

        load_world_create(
            consultants=options["users"],
            clients=options["clients"],
            seed=options["seed"],
            spec_path=Path(options["spec"]),
        )
        return
    users, seconds = options["users"], options["seconds"]
    if users < 1 or options["clients"] < 1 or options["caseload_repeat"] < 1:
        raise CommandError("--users, --clients en --caseload-repeat moeten minstens 1 zijn", returncode=2)
    if not 1 <= seconds <= MAX_SECONDS:
        raise CommandError(f"--seconds moet tussen 1 en {MAX_SECONDS} liggen", returncode=2)
    from .runner import render, run_load

    try:
        report = run_load(
            users=users,
            seconds=seconds,
            clients=options["clients"],
            workers=options["workers"],
            spawn_rate=options["spawn_rate"],
            caseload_repeat=options["caseload_repeat"],
            seed=options["seed"],
            keep=Path(options["workdir"]).resolve() if options["workdir"] else None,
        )
    except RuntimeError as failed:
        raise CommandError(str(failed), returncode=1) from failed
    command.stdout.write(json.dumps(report, ensure_ascii=False) if options["json"] else render(report))
    problems = []
    if report["errors"] or report["server_errors_logged"]:
        problems.append(
            f"{report['errors']} mislukte verzoeken, {report['server_errors_logged']} fouten in het serverlog"
        )
    if report["lost_writes"] > 0:
        problems.append(f"{report['lost_writes']} verloren contactmomenten")
    elif report["lost_writes"] < 0:
        # A POST still running when locust stopped: stored, but its answer never seen.
        problems.append(
            f"{-report['lost_writes']} contactmomenten opgeslagen zonder dat het antwoord aankwam"
        )
    if not report["contact_posts_succeeded"]:
        problems.append("geen enkel contactmoment opgeslagen")
    if problems:
        raise CommandError("; ".join(problems), returncode=1)
