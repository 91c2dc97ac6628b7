"""Premiums of the demo municipality, through the services (so they are audited as real
work): of the parts earned in the demo team (the `inkomen` user's scope), those earned
more than `PAID_BEFORE_DAYS` ago are proposed and checked by `inkomen` and approved and
paid by `teamleider` (payments of the uitstroompremie line, booked two weeks after each
part was earned), a few recent ones are
proposed or checked, and the rest stays on the page as earned, to be proposed. The
werkpremie's months go the same way; when a budget line is used up in a year (the
approval is refused at the line's block), that part stays checked and the scheme's later
parts of that year stay earned, as a team would leave them for the contract manager.
Deterministic; only when no premium part exists."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from trede.accounts.access import client_scope
from trede.accounts.models import User

from . import selectors, services
from .models import PremiumPart
from .services import PremiumRefused

# A team that keeps up pays within a few weeks of the part being earned: the older parts are
# booked PAID_AFTER_DAYS after they were earned (so the uitstroompremie line's spending is
# spread over the years as in a real budget); the last PAID_BEFORE_DAYS stay open.
PAID_BEFORE_DAYS = 120
PAID_AFTER_DAYS = 14
PROPOSED_ONLY, CHECKED_ONLY = 2, 2
# The demo municipality introduced the werkpremie this many months before the demo's end
# (Hof van Twente proposed it, seed 004 §4.8): a year of monthly parts for a whole team
# since 2018 would be thousands of approvals through the services, and `trede demo` must
# stay quick. The start is stored in the active preset, where the beheerder sees it.
WERKPREMIE_DEMO_MONTHS = 9


def _werkpremie_recently_introduced(today: date) -> None:
    from trede.casework.policy.models import PolicyPreset
    from trede.utils.dates import add_months

    start = add_months(today.replace(day=1), -WERKPREMIE_DEMO_MONTHS).isoformat()
    preset = PolicyPreset.objects.filter(active=True).first()
    if preset is None:
        return
    schemes = (preset.config.get("premiums") or {}).get("schemes") or []
    for scheme in schemes:
        if scheme.get("trigger") == "deelname_traject" and str(scheme.get("months_from", "")) < start:
            scheme["months_from"] = start
    preset.save(update_fields=["config"])


def demo_premiums_seed(*, today: date) -> dict[str, int]:
    if PremiumPart.objects.exists():
        return {}
    users = {u.username: u for u in User.objects.filter(username__in=["inkomen", "teamleider"])}
    inkomen, teamleider = users.get("inkomen"), users.get("teamleider")
    if inkomen is None or teamleider is None or not inkomen.team:
        return {}
    _werkpremie_recently_introduced(today)
    scope = client_scope(inkomen)
    earned = selectors.eligible(scope, as_of=today)
    clients = {c.pk: c for c in scope.filter(pk__in={e.client_id for e in earned})}
    cutoff = today - timedelta(days=PAID_BEFORE_DAYS)
    counts = {"betaald": 0, "gecontroleerd": 0, "voorgesteld": 0}
    recent = [e for e in earned if e.due.due_date > cutoff]
    blocked: set[tuple[str, int]] = set()  # (scheme, year) whose budget line is used up
    with transaction.atomic():
        for e in earned:
            booked = min(today, e.due.due_date + timedelta(days=PAID_AFTER_DAYS))
            if e.due.due_date > cutoff or (e.due.scheme, booked.year) in blocked:
                continue
            part = services.premium_propose(
                user=inkomen,
                client=clients[e.client_id],
                scheme=e.due.scheme,
                part=e.due.part,
                period=e.due.period,
                as_of=today,
            )
            services.premium_check(user=inkomen, part=part)
            try:
                services.premium_approve(user=teamleider, part=part, as_of=booked)
            except PremiumRefused:
                blocked.add((e.due.scheme, booked.year))
                counts["gecontroleerd"] += 1
                continue
            counts["betaald"] += 1
        # Recent parts whose earlier part is paid (or which are first parts): some proposed, some checked.
        for index, e in enumerate(recent[: PROPOSED_ONLY + CHECKED_ONLY]):
            part = services.premium_propose(
                user=inkomen,
                client=clients[e.client_id],
                scheme=e.due.scheme,
                part=e.due.part,
                period=e.due.period,
                as_of=today,
            )
            if index < CHECKED_ONLY:
                services.premium_check(user=inkomen, part=part)
                counts["gecontroleerd"] += 1
            else:
                counts["voorgesteld"] += 1
    counts["verdiend"] = len(earned) - sum(counts.values())
    return counts
