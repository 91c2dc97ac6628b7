"""The demo's voordracht: the demo inwoner proposed for the best-fitting open vacancy of the
demo accountmanager's accounts, so "Mijn voordrachten" has a question to answer and the
consultant's worklist shows it (once; nothing when there is no such vacancy)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from .matching.selectors import match_client
from .models import Employer, Placement, Vacancy, Voordracht


def demo_voordracht_seed(*, client, accountmanager, today: date) -> Voordracht | None:
    if client is None or accountmanager is None or Voordracht.objects.filter(client=client).exists():
        return None
    owned = set(Vacancy.objects.filter(employer__account_manager=accountmanager).values_list("pk", flat=True))
    if not owned:
        return None
    for row in match_client(client.pk, today, top=0)["vacancies"]:
        if row["vacancy_id"] in owned:
            return Voordracht.objects.create(
                vacancy_id=row["vacancy_id"], client=client, proposed_by=accountmanager, score=row["score"]
            )
    return None


DEMO_PLACEMENTS = (
    # (id, months ago the placement started (+ days), contract, subsidy, wage value, supplementary)
    ("PTDEMO1", 3, 5, "tijdelijk", "lks", Decimal("60"), False),  # nazorg after 3 months due
    ("PTDEMO2", 1, 3, "vast", "geen", None, True),  # part-time beside the benefit, 1 month due
    ("PTDEMO3", 6, 20, "tijdelijk", "plaatsingssubsidie", None, False),  # 6 months due
)


def demo_placements_seed(*, consultant, accountmanager, today: date, skip_client_id: str = "") -> int:
    """A few placements of the demo consultant's clients whose nazorg is due, and one
    proefplaatsing that ended without a contract, so 'consulent' sees them on the worklist
    and 'accountmanager' the signals (once; recorded as by the consultant)."""
    from trede.benefits.models import Benefit
    from trede.clients.models import Client
    from trede.utils.dates import add_months

    if consultant is None or consultant.user_id is None or Placement.objects.filter(pk="PTDEMO1").exists():
        return 0
    employers = list(Employer.objects.filter(account_manager=accountmanager)[:2]) if accountmanager else []
    employers = employers or list(Employer.objects.all()[:2])
    if not employers:
        return 0
    running = Benefit.objects.filter(client=OuterRef("pk")).running_on(today)
    placed = Placement.objects.filter(client=OuterRef("pk")).running_on(today)
    clients = list(
        Client.objects.filter(consultant=consultant)
        .filter(Exists(running))
        .exclude(Exists(placed))
        .exclude(pk=skip_client_id)
        .order_by("client_id")[: len(DEMO_PLACEMENTS) + 1]
    )
    user = consultant.user
    made = 0
    for (pk, months, days, contract, subsidy, wage, supplementary), client in zip(
        DEMO_PLACEMENTS, clients, strict=False
    ):
        Placement.objects.create(
            placement_id=pk,
            client=client,
            employer=employers[made % len(employers)],
            start_date=add_months(today, -months) - timedelta(days=days),
            hours_per_week=Decimal("20") if supplementary else Decimal("32"),
            contract=contract,
            subsidy=subsidy,
            wage_value_pct=wage,
            supplementary_benefit=supplementary,
            jobcoach_name="Jobcoach Werkbedrijf" if subsidy == "lks" else "",
            created_by=user,
            created_at=timezone.now(),
        )
        made += 1
    if len(clients) > len(DEMO_PLACEMENTS):
        end = today - timedelta(days=10)
        Placement.objects.create(
            placement_id="PTDEMO4",
            client=clients[-1],
            employer=employers[0],
            start_date=add_months(end, -2),
            end_date=end,
            hours_per_week=Decimal("24"),
            contract="proefplaatsing",
            subsidy="proefplaatsing",
            created_by=user,
            created_at=timezone.now(),
        )
        made += 1
    return made
