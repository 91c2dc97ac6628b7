"""Reads for the employer pages: the accounts a user sees, one employer with its vacancies
and placements, the anonymised candidates of a vacancy and the vacancies for a client,
both from the matching engine (`matching.selectors`), and the voordrachten."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from trede.accounts import permissions as perms

from .constants import VacancyStatus, VoordrachtStatus
from .matching import selectors as matching
from .matching.rules import Scorer, occupation_name, score_value
from .models import Employer, Placement, Vacancy, Voordracht
from .services import candidate_label

CANDIDATES_SHOWN = 20
VACANCIES_SHOWN = 20


def employers_for(user) -> QuerySet:
    """The employer accounts this user sees: all for whom the declaration allows it, else
    the accountmanager's own."""
    rows = Employer.objects.select_related("account_manager").annotate(
        open_vacancies=Count("vacancies", filter=Q(vacancies__status=VacancyStatus.OPEN), distinct=True),
        all_vacancies=Count("vacancies", distinct=True),
    )
    if perms.role_may(user, perms.EMPLOYERS_ALL):
        return rows
    if perms.role_may(user, perms.EMPLOYER_ACCOUNTS):
        return rows.filter(account_manager=user)
    return rows.none()


def employer_for(user, employer_id: str) -> Employer | None:
    return employers_for(user).filter(pk=employer_id).first()


def vacancy_for(user, vacancy_id: str) -> Vacancy | None:
    return (
        Vacancy.objects.select_related("employer", "employer__account_manager")
        .filter(pk=vacancy_id, employer__in=employers_for(user))
        .first()
    )


def vacancies_of(employer: Employer) -> list[Vacancy]:
    return list(
        employer.vacancies.annotate(
            shortlisted=Count("voordrachten", distinct=True),
        ).order_by("status", "-open_date", "vacancy_id")
    )


def placements_of(employer: Employer) -> list[Placement]:
    """Placements at this employer: the client behind each is shown by name only to whom
    the client's file is open (the page lists numbers of placements, not people)."""
    return list(employer.placements.select_related("vacancy").order_by("-start_date", "placement_id"))


@dataclass
class Candidate:
    label: str
    score: float
    reasons: list[str]
    client_id: str  # never rendered for the accountmanager: the view resolves the label
    voordracht: Voordracht | None = None


def vacancy_candidates(vacancy: Vacancy, *, day: date, top: int = CANDIDATES_SHOWN) -> list[Candidate]:
    """The engine's best candidates for an open vacancy on `day`, with its hard constraints
    (a pair beyond the client's own travel limit is left out) and its Dutch reasons."""
    result = matching.match_vacancy(vacancy.pk, day, top=top)
    entries = {v.client_id: v for v in Voordracht.objects.filter(vacancy=vacancy)}
    return [
        Candidate(
            label=candidate_label(vacancy.pk, row["client_id"]),
            score=row["score"],
            reasons=row["reasons"],
            client_id=row["client_id"],
            voordracht=entries.get(row["client_id"]),
        )
        for row in result["candidates"]
    ]


def consultant_proposals_for(user) -> list[Voordracht]:
    """The accountmanager's signals (decision 142): clients a consultant (anyone but the
    owning accountmanager) proposed for a vacancy of one of the user's own employer
    accounts, not yet presented to the employer or decided. Derived from the voordracht
    itself, like the consultant's worklist, so it goes away when the accountmanager acts
    (presents it, or the client refuses) and cannot go stale."""
    return list(
        Voordracht.objects.filter(
            vacancy__employer__account_manager=user,
            status__in=[VoordrachtStatus.VOORGESTELD, VoordrachtStatus.TOESTEMMING],
        )
        .exclude(proposed_by=user)
        .select_related("vacancy", "vacancy__employer", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def voordrachten_of(vacancy: Vacancy) -> list[Voordracht]:
    return list(vacancy.voordrachten.select_related("proposed_by").order_by("-proposed_at"))


@dataclass
class VacancyFit:
    vacancy: Vacancy
    score: float
    reasons: list[str]
    voordracht: Voordracht | None = None
    occupation: str = field(default="")


def client_vacancies(client, *, day: date, top: int = VACANCIES_SHOWN) -> list[VacancyFit]:
    """The open vacancies that fit this client best on `day`, with the engine's reasons
    (empty when the client is no candidate: not on benefit or at work)."""
    result = matching.match_client(client.pk, day, top=top)
    ids = [row["vacancy_id"] for row in result["vacancies"]]
    vacancies = Vacancy.objects.select_related("employer").in_bulk(ids)
    entries = {v.vacancy_id: v for v in Voordracht.objects.filter(client=client, vacancy_id__in=ids)}
    return [
        VacancyFit(
            vacancy=vacancies[row["vacancy_id"]],
            score=row["score"],
            reasons=row["reasons"],
            voordracht=entries.get(row["vacancy_id"]),
            occupation=occupation_name(vacancies[row["vacancy_id"]].occupation_code)
            if vacancies[row["vacancy_id"]].occupation_code
            else "",
        )
        for row in result["vacancies"]
    ]


def is_candidate(client_id: str, day: date) -> bool:
    return client_id in matching.candidate_ids(day)


def pair_score(vacancy: Vacancy, client, *, day: date) -> float | None:
    """The engine's score for one pair (None: not open, no candidate, or left out)."""
    points = matching._points()
    found = matching.open_vacancies(day, points, ids=[vacancy.pk])
    records = matching.candidates(day, points, only=client.pk)
    if not found or not records:
        return None
    units = Scorer(matching.matching_settings()).units(found[0], records[0])
    return None if units is None else score_value(units)


def own_voordrachten(client) -> list[Voordracht]:
    """The client's own entries, for the portal: the open question first."""
    rows = Voordracht.objects.filter(client=client).select_related("vacancy", "vacancy__employer")
    return sorted(rows, key=lambda v: (v.status != VoordrachtStatus.VOORGESTELD, -v.proposed_at.timestamp()))


@dataclass
class IntroductionProfile:
    """What the employer may hear of a consenting candidate: the work profile's facts that
    the matching weighs, by label, and the engine's reasons; no name, age, gender, origin,
    household, address or client number."""

    occupations: list[str]
    skills: list[str]
    hours: str
    language: str
    reasons: list[str]


def introduction_profile(entry: Voordracht, client, *, day: date) -> IntroductionProfile:
    from trede.clients.models import ClientProfile

    profile = ClientProfile.objects.filter(pk=client.pk).first()
    wishes = [c for c in (profile.desired_occupations if profile else []) if c]
    points = matching._points()
    found = matching.open_vacancies(day, points, ids=[entry.vacancy_id])
    records = matching.candidates(day, points, only=client.pk)
    scorer = Scorer(matching.matching_settings())
    reasons = scorer.reasons(found[0], records[0]) if found and records else []
    hours = profile.hours_available if profile else None
    return IntroductionProfile(
        occupations=[occupation_name(c) if len(c) == 4 and c.isdigit() else c for c in wishes],
        skills=list(profile.skills or []) if profile else [],
        hours=f"{hours:g} uur per week".replace(".", ",") if hours is not None else "onbekend",
        language=client.get_dutch_language_display() if client.dutch_language else "onbekend",
        reasons=reasons,
    )
