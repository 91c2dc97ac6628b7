"""Rechtmatigheidsonderzoeken of the demo municipality, through the service (so they are
audited as real work): for every client on benefit in the `inkomen` user's team whose
first term has passed, the last onderzoek that was due, held in the month before it fell
due (only the last: it alone sets the next due date, and one registration per client keeps
`trede demo` quick); for about one client in twelve that one was never held, so the page
shows a team that mostly keeps up, with some overdue and some due within the worklist's
weeks. Deterministic; only when no onderzoek exists."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from trede.accounts.access import client_scope
from trede.accounts.models import User
from trede.utils.dates import add_months

from . import rules, selectors, services
from .models import Outcome, Rechtmatigheidsonderzoek

SKIPPED_SHARE = 1 / 12  # the last onderzoek never held: overdue on the page
OUTCOMES = [Outcome.ONGEWIJZIGD] * 17 + [Outcome.GEWIJZIGD] * 2 + [Outcome.SIGNAAL]


def demo_onderzoek_seed(*, today: date, seed: int = 3) -> dict[str, int]:
    if Rechtmatigheidsonderzoek.objects.exists():
        return {}
    inkomen = User.objects.filter(username="inkomen").first()
    if inkomen is None or not inkomen.team:
        return {}
    rng = random.Random(seed)
    settings = selectors.onderzoek_settings()
    # Everyone on benefit, none held yet: each row's due date is its first term.
    rows = selectors.overview(client_scope(inkomen), today=today, settings=settings)
    held = 0
    with transaction.atomic():
        for row in rows:
            months = row.due.months
            terms = []
            due = add_months(row.due.counted_from, months)
            while due <= today:
                terms.append(due)
                due = add_months(due, months)
            if terms and rng.random() < SKIPPED_SHARE:
                terms.pop()
            for term in terms[-1:]:
                held_on = max(row.due.counted_from, term - timedelta(days=rng.randint(0, 30)))
                services.onderzoek_register(
                    user=inkomen,
                    client=row.client,
                    held_on=min(held_on, today),
                    outcome=rng.choice(OUTCOMES),
                    note="Inkomsten, vermogen en woonsituatie nagegaan.",
                    today=today,
                )
                held += 1
    after = selectors.overview(client_scope(inkomen), today=today, settings=settings)
    return {
        "gehouden": held,
        "te_laat": sum(r.due.status == rules.OVERDUE for r in after),
        "binnenkort": sum(r.due.status == rules.DUE_SOON for r in after),
    }
