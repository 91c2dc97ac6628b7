"""`trede bench_caseload`: how fast a consultant's pages answer with a full caseload.

Creates, in the database of DATABASE_URL and inside one transaction that is rolled back at
the end (nothing stays behind), a consultant with N clients and realistic related rows
(benefits, diagnoses, route decisions, contacts, plans, trajectories, measures,
placements), optionally with other consultants' clients around them; then requests the
caseload ("Mijn klanten"), the worklist and one client file R times each with Django's
test client, logged in as that consultant, and prints per page p50, p95 and the maximum in
milliseconds, the number of queries and the CPU per request: of this process, and on
PostgreSQL running on the same machine also of the database's backend process (read from
/proc), which together are the server's cost of a page. On a shared machine the CPU per
request is the figure to compare between runs; wall times depend on the neighbours.

The test client keeps one database connection for the whole run, so the cost of opening
a connection per request (CONN_MAX_AGE=0) is not in these figures.

`--json` prints the same figures as one JSON object (for `trede bench load`) and applies no
limit. Otherwise it exits with status 1 when a page's p95 is not below the limit (150 ms by default) or its
CPU per request is above --cpu-limit.
"""

from __future__ import annotations

import math
import os
import random
import secrets
import statistics
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone


class _Rollback(Exception):
    pass


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 200 values is the 190th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


# The consultant's three daily pages, measured in this order.
PAGES = {"mijn-klanten": "Mijn klanten", "werklijst": "Werklijst", "dossier": "Klantdossier"}


class _DatabaseCpu:
    """CPU time of this connection's PostgreSQL backend process, read from /proc (only when
    the server runs on this machine and is readable; otherwise None). The benchmark keeps
    one connection for all its requests, so the difference over a run is the database's
    share of those requests."""

    def __init__(self):
        self.path = None
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        path = f"/proc/{pid}/stat"
        try:
            open(path).close()
        except OSError:
            return
        self.path = path
        self.tick_ms = 1000 / os.sysconf("SC_CLK_TCK")

    def ms(self) -> float | None:
        if self.path is None:
            return None
        with open(self.path) as stat:
            # After the command name (in parentheses, may hold spaces): utime, stime are fields 14, 15.
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * self.tick_ms


class Command(BaseCommand):
    help = (
        "Meet hoe snel Mijn klanten, de werklijst en een klantdossier antwoorden (p50/p95/max en "
        "CPU per verzoek in ms) voor een volle caseload."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients", type=int, default=120, help="klanten van de consulent (standaard 120)"
        )
        parser.add_argument("--repeat", type=int, default=200, help="aantal metingen (standaard 200)")
        parser.add_argument(
            "--warmup", type=int, default=10, help="niet-gemeten verzoeken vooraf (standaard 10)"
        )
        parser.add_argument(
            "--background",
            type=int,
            default=0,
            help="extra klanten van andere consulenten in de database, als achtergrond (standaard 0)",
        )
        parser.add_argument("--limit", type=float, default=150.0, help="grens voor p95 in ms (standaard 150)")
        parser.add_argument(
            "--cpu-limit",
            type=float,
            default=None,
            help="grens voor de CPU per verzoek in ms (dit proces plus PostgreSQL); standaard geen",
        )
        parser.add_argument(
            "--pages",
            default=",".join(PAGES),
            help=f"welke pagina's, met komma's (standaard {','.join(PAGES)})",
        )
        parser.add_argument("--seed", type=int, default=2026, help="startgetal van de toevalsgenerator")
        parser.add_argument(
            "--json",
            action="store_true",
            help="precies één JSON-object op standaarduitvoer (trede bench load)",
        )

    def handle(
        self, *args, clients, repeat, warmup, background, limit, cpu_limit, pages, seed, json, **options
    ):
        if clients < 1 or repeat < 1 or warmup < 0 or background < 0:
            raise CommandError("--clients en --repeat moeten minstens 1 zijn", returncode=2)
        wanted = [p.strip() for p in pages.split(",") if p.strip()]
        unknown = [p for p in wanted if p not in PAGES]
        if unknown or not wanted:
            raise CommandError(
                f"onbekende pagina: {', '.join(unknown) or '(geen)'}; kies uit {', '.join(PAGES)}",
                returncode=2,
            )
        results: list[dict] = []
        try:
            with transaction.atomic():
                user = self._world(clients=clients, background=background, rng=random.Random(seed))
                results = self._measure(user, pages=wanted, repeat=repeat, warmup=warmup)
                raise _Rollback
        except _Rollback:
            pass  # everything created for the benchmark is gone again

        vendor = connection.vendor
        if json:
            self._json(results, vendor=vendor, clients=clients, repeat=repeat)
            return
        out = self.stdout
        out.write(
            f"Caseload-benchmark op {vendor}: {clients} klanten"
            + (f" (+ {background} van andere consulenten)" if background else "")
            + f", {repeat} keer per pagina"
        )
        failures = []
        for result in results:
            timings = result["timings"]
            p50, p95, worst = statistics.median(timings), percentile(timings, 95), max(timings)
            out.write(f"{PAGES[result['page']]}: GET {result['url']}")
            if result["rows"] is not None:
                out.write(f"  regels op de pagina:   {result['rows']}")
            out.write(f"  queries per verzoek:   {result['queries']}")
            out.write(f"  p50                    {p50:7.1f} ms")
            out.write(f"  p95                    {p95:7.1f} ms")
            out.write(f"  max                    {worst:7.1f} ms")
            out.write(f"  CPU van dit proces     {result['cpu']:7.1f} ms per verzoek (gemiddeld)")
            server = result["cpu"]
            if result["db_cpu"] is not None:
                out.write(f"  CPU van PostgreSQL     {result['db_cpu']:7.1f} ms per verzoek (gemiddeld)")
                server += result["db_cpu"]
                out.write(f"  CPU samen              {server:7.1f} ms per verzoek")
            if p95 >= limit:
                failures.append(
                    f"{PAGES[result['page']]}: p95 {p95:.1f} ms is niet onder de grens van {limit:g} ms"
                )
            if cpu_limit is not None and server > cpu_limit:
                failures.append(
                    f"{PAGES[result['page']]}: CPU {server:.1f} ms per verzoek is boven de grens van {cpu_limit:g} ms"
                )
        if hasattr(os, "getloadavg"):
            out.write(f"belasting van de machine (load average, 1 min): {os.getloadavg()[0]:.1f}")
        if failures:
            raise CommandError("; ".join(failures), returncode=1)
        out.write(self.style.SUCCESS(f"p95 van elke pagina < {limit:g} ms: gehaald"))

    def _json(self, results: list[dict], *, vendor: str, clients: int, repeat: int) -> None:
        import json

        pages = []
        for result in results:
            timings = result["timings"]
            pages.append(
                {
                    "page": result["page"],
                    "label": PAGES[result["page"]],
                    "url": result["url"],
                    "queries": result["queries"],
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 95), 1),
                    "max_ms": round(max(timings), 1),
                    "cpu_ms": round(result["cpu"], 1),
                    "db_cpu_ms": None if result["db_cpu"] is None else round(result["db_cpu"], 1),
                }
            )
        self.stdout.write(
            json.dumps(
                {"database": vendor, "clients": clients, "repeat": repeat, "pages": pages}, ensure_ascii=False
            )
        )

    # ------------------------------------------------------------------ measuring

    @staticmethod
    def _second_step_done(browser, user) -> None:
        """Log in as a consultant who has passed the two-factor step, so the page (with the
        OTP check on every request) is measured, not the redirect to the second step.
        The device is created inside the rolled-back transaction like everything else."""
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = browser.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    @staticmethod
    def _url(page: str, user) -> str:
        if page == "dossier":
            from trede.clients.models import Client

            # The first client of the caseload (by number): the same one in every run of a seed.
            first = Client.objects.filter(consultant__user=user).order_by("client_id").first()
            return reverse("clients:file", args=[first.pk])
        return reverse({"mijn-klanten": "clients:caseload", "werklijst": "casework:worklist"}[page])

    def _measure(self, user, *, pages: list[str], repeat: int, warmup: int) -> list[dict]:
        from django.test import Client

        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        results = []
        with override_settings(ALLOWED_HOSTS=hosts):
            browser = Client()
            browser.force_login(user)
            self._second_step_done(browser, user)
            database = _DatabaseCpu()
            for page in pages:
                url = self._url(page, user)
                for _ in range(warmup):
                    self._get(browser, url)
                with CaptureQueriesContext(connection) as captured:
                    response = self._get(browser, url)
                # Counted now: the next request empties the connection's query log.
                queries = len(captured)
                rows = response.content.count(b"<tr>") - 1 if page == "mijn-klanten" else None
                timings = []
                db_started = database.ms()
                cpu_started = time.process_time()
                for _ in range(repeat):
                    started = time.perf_counter()
                    self._get(browser, url)
                    timings.append((time.perf_counter() - started) * 1000)
                cpu = (time.process_time() - cpu_started) * 1000 / repeat
                db_cpu = None if db_started is None else (database.ms() - db_started) / repeat
                results.append(
                    {
                        "page": page,
                        "timings": timings,
                        "queries": queries,
                        "rows": rows,
                        "url": url,
                        "cpu": cpu,
                        "db_cpu": db_cpu,
                    }
                )
        return results

    @staticmethod
    def _get(browser, url):
        response = browser.get(url)
        if response.status_code != 200:
            raise CommandError(f"GET {url} gaf status {response.status_code}")
        return response

    # ------------------------------------------------------------------ data

    def _world(self, *, clients: int, background: int, rng: random.Random):
        from trede.accounts.models import Role, User
        from trede.casework.models import Consultant

        tag = secrets.token_hex(3)
        user = User(username=f"bench-caseload-{tag}", role=Role.CONSULENT_WERK, first_name="Bench")
        user.set_unusable_password()
        user.save()
        consultant = Consultant.objects.create(
            consultant_id=f"BENCH-{tag}", name="Benchmark Consulent", team="Benchmark", user=user
        )
        self._clients(consultant, count=clients, prefix=f"BENCH-{tag}-", rng=rng)
        if background:
            others = [
                Consultant.objects.create(
                    consultant_id=f"BENCH-{tag}-O{i}", name=f"Collega {i}", team="Benchmark"
                )
                for i in range(max(1, background // 100))
            ]
            for i, other in enumerate(others):
                share = background // len(others) + (1 if i < background % len(others) else 0)
                self._clients(other, count=share, prefix=f"BENCH-{tag}-O{i}-", rng=rng)
        return user

    def _clients(self, consultant, *, count: int, prefix: str, rng: random.Random) -> None:
        from trede.benefits.models import Benefit, Measure
        from trede.casework.models import Contact, Diagnosis, Plan, RouteDecision
        from trede.clients.models import Client
        from trede.employers.models import Placement
        from trede.instruments.models import Trajectory

        today = timezone.localdate()
        now = timezone.now()
        given = ["Anna", "Mohammed", "Sanne", "Daan", "Fatima", "Lucas", "Emma", "Yusuf", "Noor", "Kees"]
        family = [
            "de Vries",
            "Jansen",
            "Bakker",
            "El Idrissi",
            "Visser",
            "Smit",
            "Yilmaz",
            "de Boer",
            "Mulder",
        ]
        routes = ["directe_bemiddeling", "re_integratie", "participatie"]
        groups = ["direct_werk", "werken_en_ervaren", "leren_en_ontwikkelen", "zorg", "werkvoorzienend"]
        categories = ["1A", "1B", "1C", "2A", "2B", "3A", "3B"]

        people, benefits, diagnoses, decisions, contacts, plans, trajectories, measures, placements = (
            [] for _ in range(9)
        )
        for n in range(count):
            cid = f"{prefix}{n:05d}"
            people.append(
                Client(
                    client_id=cid,
                    given_name=rng.choice(given),
                    family_name=rng.choice(family),
                    birth_date=date(rng.randint(1962, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                    consultant=consultant,
                    dgr=rng.random() < 0.1,
                )
            )
            start = today - timedelta(days=rng.randint(60, 2500))
            benefits.append(Benefit(benefit_id=f"{cid}-U1", client_id=cid, regulation="pw", start_date=start))
            if rng.random() < 0.3:
                earlier = start - timedelta(days=rng.randint(400, 900))
                benefits.append(
                    Benefit(
                        benefit_id=f"{cid}-U0",
                        client_id=cid,
                        regulation="pw",
                        start_date=earlier,
                        end_date=earlier + timedelta(days=rng.randint(60, 300)),
                        end_reason="werk",
                    )
                )
            for d in range(rng.randint(1, 3)):
                months = rng.randint(0, 60)
                diagnoses.append(
                    Diagnosis(
                        diagnosis_id=f"{cid}-D{d}",
                        client_id=cid,
                        date=start + timedelta(days=30 + 200 * d),
                        months_to_work=months,
                        ladder_step=rng.randint(1, 6),
                        ladder_target=6,
                        assessed_by="tool",
                        category=rng.choice(categories),
                        route=rng.choice(routes),
                        client_group=rng.choice(groups),
                    )
                )
            if rng.random() < 0.7:
                decisions.append(
                    RouteDecision(
                        client_id=cid,
                        decided_on=start + timedelta(days=45),
                        route=rng.choice(routes),
                        category=rng.choice(categories),
                        client_group=rng.choice(groups),
                        ladder_step=rng.randint(1, 6),
                        reason="Uitkomst van de diagnose overgenomen.",
                    )
                )
            for c in range(rng.randint(4, 16)):
                contacts.append(
                    Contact(
                        contact_id=f"{cid}-G{c}",
                        client_id=cid,
                        date=today - timedelta(days=rng.randint(0, 700)),
                        kind="gesprek",
                        outcome="gehouden",
                        consultant=consultant,
                        note="Voortgang besproken.",
                    )
                )
            for v in range(rng.choice([0, 1, 1, 2])):
                signed = v == 0 or rng.random() < 0.5
                plans.append(
                    Plan(
                        client_id=cid,
                        version=v + 1,
                        status="ondertekend" if signed else "concept",
                        goals="Werk vinden in de zorg of logistiek.",
                        consultant_agreed_at=now if signed else None,
                        client_agreed_at=now if signed else None,
                    )
                )
            for t in range(rng.choice([0, 1, 1, 2])):
                trajectories.append(
                    Trajectory(
                        trajectory_id=f"{cid}-T{t}",
                        client_id=cid,
                        referral_date=start + timedelta(days=60 + 90 * t),
                    )
                )
            if rng.random() < 0.15:
                measures.append(
                    Measure(
                        measure_id=f"{cid}-M",
                        client_id=cid,
                        date=start + timedelta(days=100),
                        kind="waarschuwing",
                    )
                )
            if rng.random() < 0.2:
                placements.append(
                    Placement(
                        placement_id=f"{cid}-P",
                        client_id=cid,
                        start_date=today - timedelta(days=rng.randint(1, 300)),
                    )
                )
        for model_rows in (
            people,
            benefits,
            diagnoses,
            decisions,
            contacts,
            plans,
            trajectories,
            measures,
            placements,
        ):
            if model_rows:
                type(model_rows[0]).objects.bulk_create(model_rows, batch_size=1000)
