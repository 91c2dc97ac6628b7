"""The demo's voordracht: the demo inwoner proposed for the best-fitting open vacancy of the
demo accountmanager's accounts, so "Mijn voordrachten" has a question to answer and the
consultant's worklist shows it (once; nothing when there is no such vacancy)."""

from __future__ import annotations

from datetime import date

from .matching.selectors import match_client
from .models import Vacancy, Voordracht


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
