"""Fairness report of the matching: `trede fairness matching [--as-of D] [--top N]`.

The engine never reads gender, birth date or statushouder status (decision 70); this report
reads them afterwards, only to count, to show what disparate impact remains through the
features it does use (language level, travel distance, hours, occupations).

On day D, over the candidates on D (as `trede match` defines them) and the open vacancies
on D, with the active preset: per candidate the best score over all open vacancies, and
whether the candidate is on the list of at least one vacancy (its best `top` candidates,
the default list of `trede match vacancy`). Per group of gender, age band on D and
statushouder status: the number of candidates, the mean best score and the share listed;
per dimension the disparate-impact ratio of that share (lowest group over highest; below
0.8 flagged). Groups with fewer than `min_n` candidates are suppressed, as in
`trede fairness diagnosis`, and count neither in the ratio nor anywhere else.

Who was proposed and who was hired (decision 141): per group of the candidates also the
share with a voordracht proposed on or before D (`proposed_share`, with its own ratio
`proposed_disparate_impact`). Under `outcomes`, a second population: every client with a
voordracht proposed on or before D (candidate on D or not, since a hired client usually no
longer is one), per group the number proposed, the number hired (a voordracht `aangenomen`
with its outcome on or before D) and the share hired, with the ratio of that share. The
same suppression applies. The keys above are unchanged; these are added beside them.
"""

from __future__ import annotations

import statistics
from datetime import date

from trede.casework.intake.fairness import (
    DI_THRESHOLD,
    GROUP_ORDER,
    MIN_GROUP_SIZE,
    UNKNOWN,
    disparate_impact,
)
from trede.clients.models import Client
from trede.employers.constants import VoordrachtStatus
from trede.employers.models import Voordracht
from trede.utils.dates import age_on

from .rules import Scorer, score_value
from .selectors import (
    DEFAULT_TOP,
    _points,
    _ranked,
    candidates,
    matching_settings,
    open_vacancies,
    vacancy_pairs,
)

DIMENSIONS = {"gender": "Geslacht", "age_band": "Leeftijd", "statushouder": "Statushouder"}
AGE_BANDS = ((20, "<=20"), (30, "21-30"), (40, "31-40"), (50, "41-50"), (60, "51-60"))


def age_band(birth: date | None, day: date) -> str:
    if birth is None:
        return UNKNOWN
    age = age_on(birth, day)
    for upper, label in AGE_BANDS:
        if age <= upper:
            return label
    return ">=61"


def _groups_of(ids: set[str], day: date) -> dict[str, dict[str, str]]:
    out = {}
    for cid, gender, birth, status in Client.objects.filter(pk__in=ids).values_list(
        "client_id", "gender", "birth_date", "statushouder"
    ):
        out[cid] = {
            "gender": gender or UNKNOWN,
            "age_band": age_band(birth, day),
            "statushouder": UNKNOWN
            if status is None
            else ("statushouder" if status else "geen statushouder"),
        }
    return out


def best_and_listed(day: date, *, top: int = DEFAULT_TOP) -> tuple[dict[str, int], set[str], int]:
    """Per candidate the best score units over the open vacancies (0 when none lists them),
    the candidates on some vacancy's list, and the number of open vacancies."""
    points = _points()
    clients = candidates(day, points)
    vacancies = open_vacancies(day, points)
    scorer = Scorer(matching_settings())
    best = {c.client_id: 0 for c in clients}
    listed: set[str] = set()
    for vacancy in vacancies:
        pairs = vacancy_pairs(vacancy, clients, scorer)
        for cid, units in pairs:
            if units > best[cid]:
                best[cid] = units
        listed.update(cid for cid, units in _ranked(pairs, top) if units > 0)
    return best, listed, len(vacancies)


def proposed_and_hired(day: date) -> tuple[set[str], set[str]]:
    """The clients with a voordracht proposed on or before `day`, and those of them hired by then."""
    proposed: set[str] = set()
    hired: set[str] = set()
    rows = Voordracht.objects.filter(proposed_at__date__lte=day).values_list(
        "client_id", "status", "outcome_on"
    )
    for cid, status, outcome_on in rows:
        proposed.add(cid)
        if status == VoordrachtStatus.AANGENOMEN and (outcome_on is None or outcome_on <= day):
            hired.add(cid)
    return proposed, hired


def _members(ids, groups_of: dict, dimension: str) -> list[tuple[str, list[str]]]:
    members: dict[str, list[str]] = {}
    for cid in ids:
        members.setdefault(groups_of.get(cid, {}).get(dimension, UNKNOWN), []).append(cid)
    order = GROUP_ORDER[dimension]
    return [(g, members[g]) for g in sorted(members, key=lambda g: (order.index(g) if g in order else 99, g))]


def _ratio(groups: list[dict], key: str) -> dict:
    return disparate_impact(
        {g["group"]: g[key] for g in groups if not g["suppressed"] and g["group"] != UNKNOWN}
    )


def _outcomes(day: date, proposed: set[str], hired: set[str], min_n: int) -> dict:
    groups_of = _groups_of(proposed, day)
    out = {
        "population": "voorgedragen klanten tot en met de peildatum",
        "n": len(proposed),
        "hired": len(hired),
        "dimensions": {},
    }
    for dimension, title in DIMENSIONS.items():
        groups = []
        for group, ids in _members(sorted(proposed), groups_of, dimension):
            entry = {"group": group, "suppressed": len(ids) < min_n}
            if entry["suppressed"]:
                entry.update({"proposed": None, "hired": None, "hired_share": None})
            else:
                n_hired = sum(1 for c in ids if c in hired)
                entry.update(
                    {"proposed": len(ids), "hired": n_hired, "hired_share": round(n_hired / len(ids), 4)}
                )
            groups.append(entry)
        out["dimensions"][dimension] = {
            "title": title,
            "groups": groups,
            "disparate_impact": _ratio(groups, "hired_share"),
        }
    return out


def matching_fairness(day: date, *, top: int = DEFAULT_TOP, min_n: int = MIN_GROUP_SIZE) -> dict:
    best, listed, n_vacancies = best_and_listed(day, top=top)
    groups_of = _groups_of(set(best), day)
    proposed, hired = proposed_and_hired(day)
    result = {
        "population": "kandidaten op de peildatum",
        "as_of": day.isoformat(),
        "top": top,
        "n": len(best),
        "vacancies": n_vacancies,
        "min_group_size": min_n,
        "threshold": DI_THRESHOLD,
        "dimensions": {},
    }
    for dimension, title in DIMENSIONS.items():
        members: dict[str, list[str]] = {}
        for cid in best:
            members.setdefault(groups_of.get(cid, {}).get(dimension, UNKNOWN), []).append(cid)
        order = GROUP_ORDER[dimension]
        groups = []
        for group in sorted(members, key=lambda g: (order.index(g) if g in order else 99, g)):
            ids = members[group]
            entry = {"group": group, "n": len(ids), "suppressed": len(ids) < min_n}
            if entry["suppressed"]:
                entry.update(
                    {"n": None, "mean_best_score": None, "listed_share": None, "proposed_share": None}
                )
            else:
                entry["mean_best_score"] = round(
                    score_value(round(statistics.fmean(best[c] for c in ids))), 4
                )
                entry["listed_share"] = round(sum(1 for c in ids if c in listed) / len(ids), 4)
                entry["proposed_share"] = round(sum(1 for c in ids if c in proposed) / len(ids), 4)
            groups.append(entry)
        shares = {
            g["group"]: g["listed_share"] for g in groups if not g["suppressed"] and g["group"] != UNKNOWN
        }
        result["dimensions"][dimension] = {
            "title": title,
            "groups": groups,
            "disparate_impact": disparate_impact(shares),
            "proposed_disparate_impact": _ratio(groups, "proposed_share"),
        }
    result["outcomes"] = _outcomes(day, proposed, hired, min_n)
    return result
