"""The demo's Netwerkcafé: organised by the demo accountmanager two weeks ahead, with up to
three open vacancies of their accounts (two places each) and the engine's best candidates
for them invited, so 'Indeling maken' has work to do (once; nothing without vacancies)."""

from __future__ import annotations

from datetime import date, timedelta

from trede.employers.matching.selectors import match_vacancy
from trede.employers.models import Vacancy

from .constants import EventKind
from .models import EventCandidate, EventVacancy, MatchEvent

DEMO_VACANCIES = 3
DEMO_PLACES = 2
DEMO_CANDIDATES_PER_VACANCY = 4


def demo_matchevent_seed(*, accountmanager, today: date) -> MatchEvent | None:
    if accountmanager is None or MatchEvent.objects.filter(organiser=accountmanager).exists():
        return None
    vacancies = []
    for vacancy in Vacancy.objects.filter(employer__account_manager=accountmanager, status="open").order_by(
        "vacancy_id"
    ):
        found = match_vacancy(vacancy.pk, today, top=DEMO_CANDIDATES_PER_VACANCY)["candidates"]
        if found:
            vacancies.append((vacancy, [row["client_id"] for row in found]))
        if len(vacancies) == DEMO_VACANCIES:
            break
    if not vacancies:
        return None
    event = MatchEvent.objects.create(
        name="Netwerkcafé werkgevers en werkzoekenden",
        kind=EventKind.NETWERKCAFE,
        date=today + timedelta(days=14),
        location="Raadhuis, zaal 2",
        organiser=accountmanager,
    )
    invited: set[str] = set()
    for vacancy, client_ids in vacancies:
        EventVacancy.objects.create(event=event, vacancy=vacancy, places=min(DEMO_PLACES, len(client_ids)))
        for client_id in client_ids:
            if client_id not in invited:
                EventCandidate.objects.create(event=event, client_id=client_id, added_by=accountmanager)
                invited.add(client_id)
    return event
