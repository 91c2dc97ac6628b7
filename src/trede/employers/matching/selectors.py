"""Reads for the matching engine: candidates and open vacancies on a day, as plain records,
and the three results of the CLI contract (`trede match vacancy|client|assign`).

Candidates on D: clients with a benefit of any regulation active on D and no placement
running on D. Vacancies on D: open_date <= D and no close_date or D < close_date, with
status open (a vacancy put on hold, filled or withdrawn in Trede; imported ones are open).
A vacancy's place is its own postcode4 when entered in Trede, else its employer's. Only the
features the engine scores are read (decision 70): nothing of a client's gender, birth
date, statushouder status, household, names or BSN.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf

from trede.benefits.models import Benefit
from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy
from trede.clients.models import Client, ClientProfile, Postcode
from trede.employers.models import Placement, Vacancy

from .assignment import assign
from .rules import (
    LANGUAGE_LEVELS,
    ClientRecord,
    Scorer,
    Settings,
    VacancyRecord,
    isco_code,
    norm_skill,
    score_value,
    total_value,
)
from .vector import CandidatePool, pool_pairs

DEFAULT_TOP = 20


class MatchError(Exception):
    """An unknown vacancy or client (the CLI reports it in Dutch)."""


def matching_settings() -> Settings:
    """The active policy's matching settings (the default preset's when it has none yet)."""
    config = active_policy().config.get("matching") or PRESETS[DEFAULT_PRESET]["config"]["matching"]
    return Settings.from_config(config)


def _points() -> dict[str, tuple[float, float]]:
    return {
        pc: (float(lat), float(lon))
        for pc, lat, lon in Postcode.objects.filter(lat__isnull=False, lon__isnull=False).values_list(
            "postcode4", "lat", "lon"
        )
    }


def _float(value) -> float | None:
    return None if value is None else float(value)


def candidate_ids(day: date) -> set[str]:
    on_benefit = set(Benefit.objects.running_on(day).values_list("client_id", flat=True))
    working = set(Placement.objects.running_on(day).values_list("client_id", flat=True))
    return on_benefit - working


def candidates(day: date, points: dict | None = None, only: str | None = None) -> list[ClientRecord]:
    """The candidates on `day` (or just `only`, when it is one), sorted by id."""
    points = _points() if points is None else points
    ids = candidate_ids(day)
    if only is not None:
        ids = ids & {only}
    clients = Client.objects.all() if only is None else Client.objects.filter(pk=only)
    base = {
        cid: (pc or "", lang or "")
        for cid, pc, lang in clients.values_list("client_id", "postcode4", "dutch_language")
        if cid in ids
    }
    profiles = ClientProfile.objects.all() if only is None else ClientProfile.objects.filter(pk=only)
    profile = {
        row[0]: row[1:]
        for row in profiles.values_list(
            "client_id", "desired_occupations", "skills", "hours_available", "max_travel_km"
        )
        if row[0] in ids
    }
    records = []
    for cid in sorted(base):
        pc, lang = base[cid]
        pc = pc.strip()
        occupations, skills, hours, travel = profile.get(cid, ([], [], None, None))
        records.append(
            ClientRecord(
                client_id=cid,
                occupations=tuple(dict.fromkeys(c for c in map(isco_code, occupations or []) if c)),
                skills=frozenset(k for k in map(norm_skill, skills or []) if k),
                hours=_float(hours),
                max_travel_km=_float(travel),
                postcode4=pc,
                point=points.get(pc),
                language=lang if lang in LANGUAGE_LEVELS else "",
            )
        )
    return records


def _vacancy_record(row, points) -> VacancyRecord:
    vid, title, occupation, hours, skills, positions, pc = row
    pc = (pc or "").strip()
    unique: dict[str, str] = {}
    for shown in skills or []:
        key = norm_skill(shown)
        if key:
            unique.setdefault(key, " ".join(shown.split()))
    return VacancyRecord(
        vacancy_id=vid,
        title=title or "",
        occupation=isco_code(occupation),
        skills=tuple(unique.items()),
        hours=_float(hours),
        postcode4=pc,
        point=points.get(pc),
        positions=positions or 1,
    )


_VACANCY_FIELDS = (
    "vacancy_id",
    "title",
    "occupation_code",
    "hours_per_week",
    "skills",
    "positions",
    "place",
)


def open_vacancies(
    day: date, points: dict | None = None, ids: list[str] | None = None
) -> list[VacancyRecord]:
    points = _points() if points is None else points
    rows = Vacancy.objects.filter(
        Q(open_date__lte=day) & (Q(close_date__isnull=True) | Q(close_date__gt=day)), status="open"
    ).annotate(
        # Where the work is: the vacancy's own postcode when entered in Trede, else the employer's.
        place=Coalesce(NullIf(F("postcode4"), Value("")), F("employer__postcode4"))
    )
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return sorted(
        (_vacancy_record(r, points) for r in rows.values_list(*_VACANCY_FIELDS)), key=lambda v: v.vacancy_id
    )


def _ranked(scored: list[tuple[str, int]], top: int) -> list[tuple[str, int]]:
    """Best first, equal scores by id as text; `top` 0 = all."""
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored if top == 0 else scored[:top]


def vacancy_pairs(
    vacancy: VacancyRecord, clients: list[ClientRecord], scorer: Scorer
) -> list[tuple[str, int]]:
    """Every candidate the vacancy lists with --top 0, with its score units (unsorted)."""
    out = []
    for client in clients:
        units = scorer.units(vacancy, client)
        if units is not None:
            out.append((client.client_id, units))
    return out


def _check_top(top: int) -> int:
    if top < 0:
        raise MatchError("--top moet 0 of meer zijn")
    return top


def match_vacancy(vacancy_id: str, day: date, top: int = DEFAULT_TOP) -> dict:
    """`trede match vacancy`: the best candidates for one vacancy on `day`."""
    _check_top(top)
    if not Vacancy.objects.filter(pk=vacancy_id).exists():
        raise MatchError(f"vacature '{vacancy_id}' bestaat niet")
    points = _points()
    found = open_vacancies(day, points, ids=[vacancy_id])
    result = {"vacancy_id": vacancy_id, "as_of": day.isoformat(), "candidates": []}
    if not found:
        return result
    vacancy = found[0]
    clients = {c.client_id: c for c in candidates(day, points)}
    scorer = Scorer(matching_settings())
    pool = CandidatePool(list(clients.values()), scorer)
    for client_id, units in _ranked(pool_pairs(pool, vacancy), top):
        result["candidates"].append(
            {
                "client_id": client_id,
                "score": score_value(units),
                "reasons": scorer.reasons(vacancy, clients[client_id]),
            }
        )
    return result


def match_client(client_id: str, day: date, top: int = DEFAULT_TOP) -> dict:
    """`trede match client`: the best open vacancies for one client on `day`."""
    _check_top(top)
    if not Client.objects.filter(pk=client_id).exists():
        raise MatchError(f"klant '{client_id}' bestaat niet")
    points = _points()
    result = {"client_id": client_id, "as_of": day.isoformat(), "vacancies": []}
    found = candidates(day, points, only=client_id)
    if not found:
        return result
    client = found[0]
    vacancies = {v.vacancy_id: v for v in open_vacancies(day, points)}
    scorer = Scorer(matching_settings())
    scored = []
    for vacancy in vacancies.values():
        units = scorer.units(vacancy, client)
        if units is not None:
            scored.append((vacancy.vacancy_id, units))
    for vacancy_id, units in _ranked(scored, top):
        result["vacancies"].append(
            {
                "vacancy_id": vacancy_id,
                "score": score_value(units),
                "reasons": scorer.reasons(vacancies[vacancy_id], client),
            }
        )
    return result


def match_assign(vacancy_ids: list[str], day: date, *, method: str = "auto") -> dict:
    """`trede match assign`: an optimal assignment over the listed pairs of these vacancies."""
    ids = list(dict.fromkeys(v.strip() for v in vacancy_ids if v.strip()))
    if not ids:
        raise MatchError("--vacancies noemt geen vacature")
    known = set(Vacancy.objects.filter(pk__in=ids).values_list("pk", flat=True))
    unknown = [v for v in ids if v not in known]
    if unknown:
        raise MatchError(f"onbekende vacature(s): {', '.join(unknown)}")
    points = _points()
    vacancies = open_vacancies(day, points, ids=ids)
    clients = candidates(day, points)
    scorer = Scorer(matching_settings())
    pool = CandidatePool(clients, scorer)
    pairs = {v.vacancy_id: dict(pool_pairs(pool, v)) for v in vacancies}
    chosen = assign(pairs, {v.vacancy_id: v.positions for v in vacancies}, method=method)
    return {
        "as_of": day.isoformat(),
        "pairs": [{"vacancy_id": v, "client_id": c, "score": score_value(u)} for v, c, u in chosen],
        "total_score": total_value([u for _, _, u in chosen]),
    }
