"""Reads of matching events: the events a user sees, one event's vacancies, candidates and
indeling (pairs with score and reasons), the engine's anonymised candidates to invite and
a consultant's own clients to sign up. Candidates are shown by their per-event label;
only a consultant sees their own clients by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope
from trede.accounts.permissions import Relation
from trede.employers.matching import selectors as matching
from trede.employers.matching.rules import occupation_name, score_value, total_value
from trede.employers.models import Vacancy

from .constants import POOL_PER_VACANCY, PairStatus
from .models import EventCandidate, EventPair, EventVacancy, MatchEvent
from .services import event_label


def events_for(user) -> QuerySet:
    if not perms.role_may(user, perms.MATCHEVENT_VIEW):
        return MatchEvent.objects.none()
    return MatchEvent.objects.select_related("organiser").annotate(
        n_vacancies=Count("vacancies", distinct=True),
        n_candidates=Count("candidates", distinct=True),
        n_confirmed=Count("pairs", filter=Q(pairs__status=PairStatus.BEVESTIGD), distinct=True),
    )


def event_for(user, pk) -> MatchEvent | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return events_for(user).filter(pk=pk).first()


def own_client_ids(user) -> set[str]:
    """The clients a consultant works the file of (own caseload, waarneming): named on the
    event's pages for them, and the ones they may sign up."""
    if not perms.role_may(user, perms.MATCHEVENT_CLIENT_ADD):
        return set()
    return set(
        client_scope(user, relations=perms.MATCHEVENT_CLIENT_ADD.relations).values_list(
            "client_id", flat=True
        )
    )


@dataclass
class VacancyRow:
    entry: EventVacancy
    vacancy: Vacancy
    occupation: str
    confirmed: int = 0
    proposed: int = 0


def vacancies_of(event: MatchEvent) -> list[VacancyRow]:
    entries = list(event.vacancies.select_related("vacancy", "vacancy__employer"))
    counts = {}
    for vacancy_id, status in event.pairs.values_list("vacancy_id", "status"):
        counts.setdefault(vacancy_id, {}).setdefault(status, 0)
        counts[vacancy_id][status] += 1
    return [
        VacancyRow(
            entry=e,
            vacancy=e.vacancy,
            occupation=occupation_name(e.vacancy.occupation_code) if e.vacancy.occupation_code else "",
            confirmed=counts.get(e.vacancy_id, {}).get(PairStatus.BEVESTIGD, 0),
            proposed=counts.get(e.vacancy_id, {}).get(PairStatus.VOORGESTELD, 0),
        )
        for e in entries
    ]


@dataclass
class CandidateRow:
    client_id: str  # never rendered unless `name` is set (the consultant's own client)
    label: str
    name: str = ""
    added_by: str = ""
    removable: bool = False


def candidates_of(event: MatchEvent, *, own: set[str] = frozenset()) -> list[CandidateRow]:
    rows = event.candidates.select_related("client", "added_by").order_by("added_at", "pk")
    return [
        CandidateRow(
            client_id=c.client_id,
            label=event_label(event.pk, c.client_id),
            name=c.client.name if c.client_id in own else "",
            added_by=(c.added_by.get_full_name() or c.added_by.username) if c.added_by_id else "",
            removable=c.client_id in own,
        )
        for c in rows
    ]


@dataclass
class PairRow:
    pair: EventPair
    label: str
    score: float
    reasons: list[str]
    name: str = ""


@dataclass
class IndelingView:
    pairs: list[PairRow] = field(default_factory=list)
    total_units: int = 0
    made_at: object = None
    as_of: date | None = None

    @property
    def total(self) -> float:
        return total_value([self.total_units])


def indeling_of(event: MatchEvent, *, own: set[str] = frozenset()) -> IndelingView:
    """The pairs of the current indeling (proposed and confirmed; dropped ones last), with
    the total score of the pairs that stand."""
    rows = list(
        event.pairs.select_related("vacancy", "vacancy__employer", "voordracht", "client").order_by(
            "vacancy__title", "vacancy_id", "-units", "pk"
        )
    )
    rows.sort(key=lambda p: p.status == PairStatus.VERVALLEN)
    latest = event.indelingen.first()
    return IndelingView(
        pairs=[
            PairRow(
                pair=p,
                label=event_label(event.pk, p.client_id),
                score=score_value(p.units),
                reasons=list(p.reasons or []),
                name=p.client.name if p.client_id in own else "",
            )
            for p in rows
        ],
        total_units=sum(p.units for p in rows if p.status != PairStatus.VERVALLEN),
        made_at=latest.made_at if latest else None,
        as_of=latest.as_of if latest else None,
    )


@dataclass
class PoolCandidate:
    label: str
    client_id: str  # never rendered: the view resolves the label
    score: float
    vacancy_title: str
    reasons: list[str]


def invite_pool(event: MatchEvent, *, day: date, per_vacancy: int = POOL_PER_VACANCY) -> list[PoolCandidate]:
    """The engine's best candidates for each of the event's vacancies (its hard constraints
    and reasons), not yet invited, each once with its best vacancy, best first."""
    invited = set(event.candidates.values_list("client_id", flat=True))
    best: dict[str, PoolCandidate] = {}
    for entry in event.vacancies.select_related("vacancy"):
        result = matching.match_vacancy(entry.vacancy_id, day, top=per_vacancy)
        for row in result["candidates"]:
            cid = row["client_id"]
            if cid in invited or (cid in best and best[cid].score >= row["score"]):
                continue
            best[cid] = PoolCandidate(
                label=event_label(event.pk, cid),
                client_id=cid,
                score=row["score"],
                vacancy_title=entry.vacancy.title or entry.vacancy_id,
                reasons=row["reasons"],
            )
    return sorted(best.values(), key=lambda c: (-c.score, c.label))


def clients_to_sign_up(user, event: MatchEvent) -> list:
    """A consultant's own clients not yet on the event, by name."""
    if not perms.role_may(user, perms.MATCHEVENT_CLIENT_ADD):
        return []
    invited = set(event.candidates.values_list("client_id", flat=True))
    rows = client_scope(user, relations={Relation.EIGEN_CASELOAD}).order_by(
        "family_name", "given_name", "client_id"
    )
    return [c for c in rows if c.pk not in invited]


def own_vacancies_to_add(user, event: MatchEvent) -> list[Vacancy]:
    """The organiser's open vacancies not yet on the event."""
    taken = set(event.vacancies.values_list("vacancy_id", flat=True))
    rows = (
        Vacancy.objects.filter(employer__account_manager=user, status="open")
        .select_related("employer")
        .order_by("employer__name", "title", "vacancy_id")
    )
    return [v for v in rows if v.pk not in taken]


EXPORT_HEADER = ("Vacature", "Werkgever", "Kandidaat", "Score", "Stand", "Uitleg")


def export_rows(event: MatchEvent) -> list[tuple]:
    view = indeling_of(event)
    return [
        (
            row.pair.vacancy.title or row.pair.vacancy_id,
            row.pair.vacancy.employer.name if row.pair.vacancy.employer_id else "",
            row.label,
            row.score,
            row.pair.get_status_display(),
            " ".join(row.reasons),
        )
        for row in view.pairs
    ]


def event_candidate_ids(event: MatchEvent) -> list[str]:
    return list(EventCandidate.objects.filter(event=event).values_list("client_id", flat=True))
