"""`trede retention list|propose|approve|reject|log`: what passed its retention period, a
destruction proposed by one person and approved by another, and the destruction log
(decisions 91-93). `--json` prints exactly one JSON object on standard output."""

from __future__ import annotations

import json
import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.audit import logevent
from trede.interchange.reading import parse_date
from trede.retention import selectors, services
from trede.retention.constants import RecordType
from trede.retention.models import DestructionRun
from trede.utils.commands import active_user, usage_error


def _run_json(run: DestructionRun) -> dict:
    return {
        "run": run.pk,
        "record_type": run.record_type,
        "status": run.status,
        "period_years": run.period_years,
        "as_of": run.as_of.isoformat(),
        "cutoff": run.cutoff.isoformat() if run.cutoff else None,
        "proposed": run.proposed_count,
        "destroyed": run.destroyed_count,
        "skipped": run.skipped_count,
        "proposed_by": run.proposed_by.username,
        "proposed_at": run.proposed_at.isoformat(),
        "decided_by": run.decided_by.username if run.decided_by else None,
        "decided_at": run.decided_at.isoformat() if run.decided_at else None,
        "executed_at": run.executed_at.isoformat() if run.executed_at else None,
        "rows_per_table": dict(sorted(run.counts.items())),
    }


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Bewaartermijnen: wat de termijn voorbij is, vernietiging voorstellen en goedkeuren (vier ogen), het log."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="wat de bewaartermijn voorbij is")
        listing.add_argument("--as-of", default=None, help="peildatum JJJJ-MM-DD (standaard vandaag)")
        listing.add_argument(
            "--json", action="store_true", help="precies één JSON-object op standaarduitvoer"
        )
        propose = sub.add_parser("propose", help="vernietiging voorstellen")
        propose.add_argument("--user", required=True, help="gebruikersnaam in Trede van wie voorstelt")
        propose.add_argument("--record-type", default=RecordType.KLANTDOSSIER, choices=RecordType.values)
        propose.add_argument("--json", action="store_true")
        approve = sub.add_parser("approve", help="een voorstel goedkeuren en uitvoeren (niet wie voorstelde)")
        approve.add_argument("run", type=int, help="nummer van de vernietiging")
        approve.add_argument("--user", required=True, help="gebruikersnaam in Trede van wie goedkeurt")
        approve.add_argument("--json", action="store_true")
        reject = sub.add_parser("reject", help="een voorstel afwijzen")
        reject.add_argument("run", type=int)
        reject.add_argument("--user", required=True)
        reject.add_argument("--reason", required=True)
        log = sub.add_parser("log", help="het vernietigingslog (zonder persoonsgegevens)")
        log.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(options)
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=1) from denied
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages), returncode=1) from refused

    def _out(self, data: dict) -> None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def _list(self, options):
        as_of = timezone.localdate()
        if options["as_of"]:
            as_of = parse_date(options["as_of"].strip())
            if as_of is None:
                raise usage_error(f"'{options['as_of']}' is geen bestaande datum in de vorm JJJJ-MM-DD")
        clients = selectors.expired_clients(as_of=as_of)
        audit = selectors.expired_audit(as_of=as_of)
        logevent.retention_listed(
            None, what="klantdossiers en auditlog", count=len(clients.expired), via="opdrachtregel"
        )
        data = {
            "as_of": as_of.isoformat(),
            "record_types": {
                RecordType.KLANTDOSSIER: {
                    "period_years": clients.years,
                    "expired": len(clients.expired),
                    "open_cases": clients.open_cases,
                    "undated": clients.undated,
                    "clients": clients.clients,
                    "items": [
                        {
                            "client_id": e.client_id,
                            "last_activity": e.last_activity.isoformat(),
                            "due_on": e.due_on.isoformat(),
                        }
                        for e in clients.expired
                    ],
                },
                RecordType.AUDITLOG: {
                    "period_years": audit.years,
                    "cutoff": audit.cutoff.isoformat(),
                    "expired": audit.rows,
                },
            },
        }
        if options["json"]:
            self._out(data)
            return
        sys.stdout.write(
            f"Peildatum {as_of:%d-%m-%Y}.\n"
            f"Klantdossiers (bewaartermijn {clients.years} jaar): {len(clients.expired)} voorbij, "
            f"{clients.open_cases} met iets lopends, {clients.undated} zonder datum, {clients.clients} in totaal.\n"
        )
        for e in clients.expired:
            sys.stdout.write(
                f"  {e.client_id}\tlaatste activiteit {e.last_activity:%d-%m-%Y}\tvoorbij sinds {e.due_on:%d-%m-%Y}\n"
            )
        sys.stdout.write(
            f"Auditlog (bewaartermijn {audit.years} jaar): {audit.rows} regels van vóór {audit.cutoff:%d-%m-%Y}.\n"
        )

    def _propose(self, options):
        run = services.run_propose(user=active_user(options["user"]), record_type=options["record_type"])
        if options["json"]:
            self._out(_run_json(run))
        else:
            sys.stdout.write(
                f"Vernietiging {run.pk} voorgesteld: {run.proposed_count} ({run.get_record_type_display()}).\n"
            )

    def _approve(self, options):
        run = DestructionRun.objects.filter(pk=options["run"]).first()
        if run is None:
            raise usage_error(f"vernietiging {options['run']} bestaat niet")
        run = services.run_approve(
            user=active_user(options["user"]),
            run=run,
            progress=lambda done, total: sys.stderr.write(f"{done} van {total} verwerkt …\n"),
        )
        if options["json"]:
            self._out(_run_json(run))
        else:
            sys.stdout.write(
                f"Vernietiging {run.pk} uitgevoerd: {run.destroyed_count} vernietigd, {run.skipped_count} overgeslagen, "
                f"{sum(run.counts.values())} regels uit {len(run.counts)} tabellen.\n"
            )

    def _reject(self, options):
        run = DestructionRun.objects.filter(pk=options["run"]).first()
        if run is None:
            raise usage_error(f"vernietiging {options['run']} bestaat niet")
        services.run_reject(user=active_user(options["user"]), run=run, reason=options["reason"])
        sys.stdout.write(f"Vernietiging {run.pk} afgewezen.\n")

    def _log(self, options):
        runs = [_run_json(r) for r in selectors.runs(limit=10_000)]
        if options["json"]:
            self._out({"runs": runs})
            return
        for r in runs:
            sys.stdout.write(
                f"{r['run']}\t{r['record_type']}\t{r['status']}\tvoorgesteld door {r['proposed_by']}\t"
                f"besloten door {r['decided_by'] or '-'}\t{r['destroyed']} vernietigd\n"
            )
