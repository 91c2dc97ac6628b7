"""Plans van aanpak for the demo, so a caseload looks like one a consultant works in.

The generated data (the interchange files) carries no plans, so without this every client
of the demo consultant showed "geen plan". On a work route most clients have a signed
plan, some a concept still waiting for signatures, a few none yet; off a work route
(participatie, zorg) fewer. Deterministic for a seed, and only into a database without plans,
so running the demo again adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from trede.casework.constants import WORK_ROUTES, PlanStatus
from trede.casework.intake.models import Diagnosis, RouteDecision
from trede.casework.plans.models import Plan
from trede.clients.models import Client

# (signed, concept) shares; the rest has no plan.
SHARES = {True: (0.72, 0.14), False: (0.45, 0.15)}
GOALS = (
    "Binnen een half jaar betaald werk in de logistiek, eerst via een werkervaringsplaats.",
    "Een mbo-2-opleiding in de zorg afronden met een BBL-baan.",
    "Vier dagen per week werken in de schoonmaak, met jobcoaching in de eerste maanden.",
    "Nederlands op niveau A2 en daarna een proefplaatsing in de groenvoorziening.",
    "Vrijwilligerswerk twee dagdelen per week als stap naar betaald werk.",
    "Terug naar het eigen vak (administratie) via een sollicitatietraining.",
)


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def demo_plans_seed(*, today, seed: int = 2026) -> dict[str, int]:
    """Add plans for clients on benefit with a consultant and no plan; returns the counts."""
    if Plan.objects.exists():
        # Seeded before (or real plans made since): a second run would give the clients
        # left without a plan another draw.
        return {"ondertekend": 0, "concept": 0, "geen": 0}
    rng = random.Random(seed)
    clients = list(
        Client.objects.filter(consultant__isnull=False, plans__isnull=True)
        .filter(benefits__end_date__isnull=True, benefits__start_date__lte=today)
        .select_related("consultant__user")
        .distinct()
        .order_by("client_id")
    )
    routes = {}
    for client_id, route in (
        Diagnosis.objects.filter(client__in=clients).order_by("date").values_list("client_id", "route")
    ):
        if route:
            routes[client_id] = route
    for client_id, route in (
        RouteDecision.objects.filter(client__in=clients)
        .order_by("decided_on", "id")
        .values_list("client_id", "route")
    ):
        routes[client_id] = route
    plans, made = [], {"ondertekend": 0, "concept": 0, "geen": 0}
    for client in clients:
        signed_share, concept_share = SHARES[routes.get(client.pk) in WORK_ROUTES]
        draw = rng.random()
        user = client.consultant.user
        drawn_up = today - timedelta(days=rng.randint(5, 300))
        if draw < signed_share:
            plans.append(
                Plan(
                    client=client,
                    version=1,
                    status=PlanStatus.ONDERTEKEND,
                    goals=rng.choice(GOALS),
                    consultant_agreed_at=_aware(drawn_up),
                    consultant_agreed_by=user,
                    client_agreed_at=_aware(drawn_up + timedelta(days=rng.randint(0, 10))),
                    client_agreed_via=rng.choice(("online", "in_gesprek")),
                    created_by=user,
                )
            )
            made["ondertekend"] += 1
        elif draw < signed_share + concept_share:
            plans.append(
                Plan(
                    client=client,
                    version=1,
                    status=PlanStatus.CONCEPT,
                    goals=rng.choice(GOALS),
                    created_by=user,
                )
            )
            made["concept"] += 1
        else:
            made["geen"] += 1
    with transaction.atomic():
        Plan.objects.bulk_create(plans, batch_size=500)
    return made
