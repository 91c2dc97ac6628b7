"""`trede demo`: a complete demo municipality on http://127.0.0.1:8000 in one command.

Generates synthetic data (once) into DATA_DIR/demo-data, migrates, imports it into an
empty database, creates one demo user per role (password "demo"), gives the consultant
demo user a real caseload, and serves Trede with `trede serve` (gunicorn). `--no-serve` stops after the set-up.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trede.utils.progress import stderr_progress

DEMO_FOLDER = "demo-data"


class Command(BaseCommand):
    help = "Start een demogemeente met verzonnen gegevens en demo-accounts (wachtwoord: demo)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=3000, help="aantal klanten (standaard 3000)")
        parser.add_argument("--years", type=int, default=8, help="aantal jaren geschiedenis (standaard 8)")
        parser.add_argument("--seed", type=int, default=2026, help="startgetal van de toevalsgenerator")
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="adres en poort (standaard 127.0.0.1:8000)"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="alleen klaarzetten, geen webserver starten"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="begin opnieuw: maak nieuwe demogegevens en leeg de database eerst (alle gegevens gaan verloren)",
        )
        parser.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")

    def handle(self, *args, clients, years, seed, addr, no_serve, reset, no_progress, **options):
        if clients < 50 or years < 1:
            raise CommandError("--clients moet minstens 50 zijn en --years minstens 1", returncode=2)
        # Demo mode for this process (and the web server it starts): demo users may exist.
        settings.DEMO_MODE = True
        folder = Path(settings.DATA_DIR) / DEMO_FOLDER
        out = self.stdout

        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when missing
        call_command("migrate", interactive=False, verbosity=0)
        out.write("Database bijgewerkt (migrate).")

        if not self._is_demo_database(folder):
            self._refuse_real_database()
        if reset:
            self._reset(folder)
            out.write("Opnieuw begonnen: database leeggemaakt en oude demogegevens verwijderd.")

        generated = False
        if not (folder / "clients.csv").exists():
            generated = True
            self._generate(folder, clients=clients, years=years, seed=seed, progress_on=not no_progress)
            out.write(f"Demogemeente gemaakt: {clients} verzonnen klanten over {years} jaar in {folder}")
        else:
            out.write(f"Bestaande demogegevens gebruikt uit {folder} (gebruik --reset voor nieuwe).")

        from trede.clients.models import Client

        if Client.objects.exists():
            out.write(f"Database bevat al {Client.objects.count()} klanten; niets ingelezen.")
        else:
            report = self._import(folder, progress_on=not no_progress)
            created = sum(report.created.values())
            out.write(
                f"Ingelezen: {report.rows} regels, {created} nieuw, {len(report.warnings)} waarschuwing(en), "
                f"{report.seconds:.1f} s."
            )

        self._effects(progress_on=not no_progress)

        from trede.accounts.services import (
            DEMO_ACCOUNTS,
            DEMO_PASSWORD,
            demo_relationships_link,
            demo_users_create,
        )

        demo_users_create(demo_mode=True)
        links = demo_relationships_link(demo_mode=True)
        from trede.portal.demo_plans import demo_plans_seed

        # After the links, so the consulent's plans are drawn up and agreed by that user.
        plans = demo_plans_seed(today=demo_end_date(), seed=seed)
        if plans["ondertekend"] or plans["concept"]:
            out.write(
                f"Plannen van aanpak: {plans['ondertekend']} ondertekend, {plans['concept']} concept, "
                f"{plans['geen']} klanten nog zonder plan."
            )
        from trede.instruments.demo import demo_catalogue_seed

        # After the links: the claims are the 'aanbieder' user's provider's.
        catalogue = demo_catalogue_seed(today=demo_end_date())
        if catalogue:
            states = ", ".join(
                f"{n} {state}"
                for state, n in catalogue.items()
                if state not in ("instrumenten", "contracten")
            )
            out.write(
                f"Catalogus: {catalogue['instrumenten']} instrumenten beschreven, {catalogue['contracten']} contracten; "
                f"declaraties van de aanbieder: {states or 'geen'}."
            )
        from trede.instruments.demo import DEMO_REFERRAL_LABELS, demo_referrals_seed

        # After the catalogue: referrals need the demo provider's running contracts.
        referrals = demo_referrals_seed(today=demo_end_date())
        if referrals:
            out.write(
                "Verwijzingen naar de aanbieder: "
                + ", ".join(f"{n} {DEMO_REFERRAL_LABELS[state]}" for state, n in referrals.items())
                + "."
            )
        from trede.finance.premiums.demo import demo_premiums_seed

        # After the links: the premiums are those of the inkomen user's team.
        premiums = demo_premiums_seed(today=demo_end_date())
        if premiums:
            out.write(
                f"Premies: {premiums['betaald']} delen betaald, {premiums['gecontroleerd']} gecontroleerd, "
                f"{premiums['voorgesteld']} voorgesteld, {premiums['verdiend']} verdiend en nog voor te stellen "
                "('inkomen' stelt voor en controleert, 'teamleider' keurt goed)."
            )
        from trede.benefits.onderzoek.demo import demo_onderzoek_seed

        onderzoeken = demo_onderzoek_seed(today=demo_end_date())
        if onderzoeken:
            out.write(
                f"Rechtmatigheidsonderzoeken: {onderzoeken['gehouden']} gehouden; "
                f"{onderzoeken['te_laat']} te laat en {onderzoeken['binnenkort']} binnenkort aan de beurt "
                "('inkomen' legt vast, 'teamleider' ziet wie op tijd is)."
            )
        from trede.retention.demo import demo_retention_seed

        archived = demo_retention_seed(today=demo_end_date())
        if archived:
            out.write(
                f"Bewaartermijnen: {archived['klanten']} klantdossiers uit het vorige systeem zijn hun "
                "bewaartermijn voorbij ('beheerder' of 'privacy' stelt vernietiging voor, de ander keurt goed)."
            )
        from trede.benefits.handhaving.demo import demo_handhaving_seed

        # Zaken of the inkomen user's team in every step of the workflow (once).
        zaken = demo_handhaving_seed(today=timezone.localdate())
        if zaken:
            out.write(
                f"Handhaving: {sum(zaken.values())} zaken, van signaal tot besluit "
                "('inkomen' hoort en besluit, 'teamleider' keurt maatregelen en boetes goed)."
            )
        from trede.accounts.models import User
        from trede.employers.demo import demo_voordracht_seed

        # The inwoner proposed for a vacancy of the accountmanager's accounts (once).
        voordracht = demo_voordracht_seed(
            client=links.client,
            accountmanager=User.objects.filter(username="accountmanager").first(),
            today=timezone.localdate(),
        )
        if voordracht is not None:
            out.write(
                f"Voordracht: 'inwoner' is voorgedragen voor vacature {voordracht.vacancy_id}; toestemming "
                "geven in 'Mijn voordrachten', de consulent ziet het op de werklijst."
            )
        from trede.matchevents.demo import demo_matchevent_seed

        # A Netwerkcafé of the accountmanager with vacancies and invited candidates (once).
        matchevent = demo_matchevent_seed(
            accountmanager=User.objects.filter(username="accountmanager").first(), today=timezone.localdate()
        )
        if matchevent is not None:
            out.write(
                f"Bijeenkomst: '{matchevent.name}' met {matchevent.vacancies.count()} vacatures en "
                f"{matchevent.candidates.count()} kandidaten; 'accountmanager' maakt de indeling (Bijeenkomsten)."
            )
        from trede.employers.demo import demo_placements_seed

        # Placements of the consulent's clients with nazorg due, one proefplaatsing ended (once).
        placements = demo_placements_seed(
            consultant=links.consultant,
            accountmanager=User.objects.filter(username="accountmanager").first(),
            today=timezone.localdate(),
            skip_client_id=links.client.pk if links.client is not None else "",
        )
        if placements:
            out.write(
                f"Plaatsingen: {placements} plaatsingen van klanten van 'consulent' met nazorg op de werklijst "
                "(en een afgelopen proefplaatsing); 'accountmanager' ziet ze bij Werkgevers."
            )
        from trede.employers.relations.demo import demo_relation_seed

        # Contact persons, agreements and contacts of the accountmanager's accounts (once).
        related = demo_relation_seed(
            accountmanager=User.objects.filter(username="accountmanager").first(), today=timezone.localdate()
        )
        if related:
            out.write(
                f"Werkgeversrelaties: bij {related} werkgevers van 'accountmanager' een contactpersoon, "
                "een afspraak (banenafspraak, SROI, PSO) en de contacthistorie."
            )
        from trede.monitor.peers.services import peers_example_import

        # The G10 table of seed 003 as reference figures for /monitor/vergelijking/ (once).
        peers = peers_example_import()
        if peers is not None:
            out.write(
                f"Vergelijking: {peers.peer_import.figures} jaarcijfers van {peers.peer_import.municipalities} "
                "G10-gemeenten ingelezen (uitkeringen per 1.000 inwoners, 2014-2018)."
            )
        out.write("")
        out.write(self.style.SUCCESS("Trede staat klaar als demo."))
        out.write(f"Inloggen met wachtwoord '{DEMO_PASSWORD}' en een van deze gebruikersnamen:")
        width = max(len(a.username) for a in DEMO_ACCOUNTS)
        for account in DEMO_ACCOUNTS:
            out.write(f"  {account.username.ljust(width)}  {account.role_label}")
        if links.consultant is not None:
            out.write(
                f"'consulent' werkt als {links.consultant.name or links.consultant.consultant_id} "
                f"({links.consultant.consultant_id}) met {links.caseload} klanten met een lopende uitkering."
            )
        if links.team:
            team = links.team if links.team.lower().startswith("team") else f"team {links.team}"
            out.write(f"'teamleider' leidt {team}.")
        if links.inkomen_team:
            out.write(f"'inkomen' werkt voor {links.inkomen_team}: {links.inkomen_clients} klanten.")
        if links.employer_accounts:
            out.write(
                f"'accountmanager' beheert {links.employer_accounts} werkgevers, met {links.open_vacancies} "
                f"open vacatures en {links.candidates} geplaatste kandidaten (Werkgevers)."
            )
        if links.provider is not None:
            out.write(f"'aanbieder' werkt bij {links.provider.name or links.provider.provider_id}.")
        if links.client is not None:
            out.write(f"'inwoner' is klant {links.client.client_id}, met een uitkering, bij deze consulent.")
        if generated:
            out.write(f"De ware uitkomsten van de generator staan in {folder / 'ground_truth.json'}.")

        if no_serve:
            return
        out.write("")
        out.write(f"Open http://{addr}/ in uw browser. Stoppen met Ctrl+C.")
        out.flush()
        # The production server (gunicorn, `trede serve`), not Django's development server;
        # its workers are new processes, so demo mode goes to them through the environment.
        os.environ["TREDE_DEMO"] = "1"
        call_command("serve", bind=addr)

    # ------------------------------------------------------------------ steps

    def _is_demo_database(self, folder: Path) -> bool:
        """Empty, marked as a demo database, or (made before the mark existed) holding all
        demo accounts or imported from the demo data."""
        from trede.accounts.models import User
        from trede.accounts.services import DEMO_ACCOUNTS
        from trede.clients.models import Client
        from trede.interchange.models import ImportRun
        from trede.security.demo import is_demo_database

        if not Client.objects.exists() or is_demo_database():
            return True
        demo_users = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count()
        imported = ImportRun.objects.filter(
            status=ImportRun.Status.GESLAAGD, folder__in=[str(folder), str(folder.resolve())]
        ).exists()
        return demo_users == len(DEMO_ACCOUNTS) or imported

    def _refuse_real_database(self) -> None:
        raise CommandError(
            "Deze database bevat klanten die niet uit de demo komen. 'trede demo' maakt accounts met "
            "wachtwoord 'demo' en --reset leegt de hele database; dat hoort niet bij echte gegevens. "
            "Er is niets veranderd. Gebruik voor de demo een eigen TREDE_DATA_DIR of DATABASE_URL."
        )

    def _reset(self, folder: Path) -> None:
        """Empty the database and remove the demo data."""
        from trede.audit.triggers import demo_database_empty

        # `trede flush` is refused (it would empty the audit log); a demo database may.
        demo_database_empty()
        if folder.exists():
            shutil.rmtree(folder)

    def _generate(self, folder: Path, *, clients: int, years: int, seed: int, progress_on: bool) -> None:
        from trede.synthetic.generator import generate  # heavy (numpy): only when generating

        folder.parent.mkdir(parents=True, exist_ok=True)
        partial = folder.with_name(folder.name + ".tmp")
        if partial.exists():
            shutil.rmtree(partial)
        partial.mkdir()
        with stderr_progress(enabled=progress_on) as progress:
            generate(
                partial, clients=clients, years=years, seed=seed, end_date=demo_end_date(), progress=progress
            )
        # Only a complete folder counts as demo data, so an interrupted run starts afresh.
        partial.rename(folder)

    def _import(self, folder: Path, *, progress_on: bool):
        from trede.interchange.reading import count_lines
        from trede.interchange.services import ImportRefused, import_folder

        with stderr_progress(enabled=progress_on) as progress:
            if progress:
                progress("lezen", 0, count_lines(folder))
            try:
                return import_folder(folder, progress=progress)
            except ImportRefused as refused:
                for problem in refused.problems[:20]:
                    sys.stderr.write(f"{problem}\n")
                raise CommandError(
                    f"De demogegevens in {folder} konden niet worden ingelezen ({refused}). "
                    "Probeer 'trede demo --reset'."
                ) from refused

    def _effects(self, *, progress_on: bool) -> None:
        """Estimate and store the effects for "Wat werkt voor wie" once (horizon 12); never fatal."""
        from trede.evaluations.models import EffectRun
        from trede.evaluations.services import EffectsUnavailable, effects_run_store

        if EffectRun.objects.exists():
            return
        with stderr_progress(enabled=progress_on) as progress:
            try:
                run = effects_run_store(user=None, horizon=12, progress=progress)
            except EffectsUnavailable as reason:
                self.stdout.write(f"Geen effectschatting voor 'Wat werkt voor wie': {reason}.")
                return
        self.stdout.write(
            f"Effecten geschat voor 'Wat werkt voor wie': {run.n_instruments} instrumenten, "
            f"{run.duration_seconds:.1f} s."
        )


def demo_end_date() -> date:
    """The demo's data run up to this month, so worklists and figures look current.

    (The generator itself never reads the clock: `trede generate` is deterministic.)
    """
    return timezone.localdate().replace(day=1)
