"""`trede bench match`: the matching engine against a brute-force NumPy + scipy baseline,
in one run, on synthetic records made in memory (decision 145).

- top: the best 20 candidates for one vacancy among N clients. The engine is what
  `trede match vacancy` runs (`vector.CandidatePool` built from the records, its pairs, the
  contract's ranking); the baseline scores every client at once with NumPy (`baseline_units`,
  the same formula on arrays, a sparse client x skill matrix for the skills) and sorts.
- assign: the optimal assignment of V vacancies over the same clients. The engine is what
  `trede match assign` runs (the engine's pairs, then `assignment.assign`); the baseline
  scores with NumPy, keeps each vacancy's best S positive pairs (S = all slots) and solves
  the same LP with scipy's HiGHS.
- quality: how often the hired candidate is among the engine's top 10, against skill
  overlap alone. Hiring is drawn so that fit drives it: the employer hires the candidate
  with the largest engine score plus Gumbel noise (scale `HIRE_NOISE`), among all
  candidates it may take; this measures whether the ranking finds the hire when hiring
  follows fit, nothing more (it cannot say that real employers hire this way).

Both sides must agree: the top lists identical (ids and units), the totals equal;
`identical` in the report says so. Pure apart from the policy's settings (no database).
"""

from __future__ import annotations

import os
import random
import time

import numpy as np

from .assignment import assign
from .rules import (
    LANGUAGE_LEVELS,
    SCORE_SCALE,
    ClientRecord,
    Scorer,
    Settings,
    VacancyRecord,
    haversine_km,
    isco_labels,
)
from .vector import CandidatePool, pool_pairs

HIRE_NOISE = 0.05  # Gumbel scale on scores in [0, 1]: a hire follows fit, not always the top
TOP = 20
QUALITY_TOP = 10
_HOURS = (None, 8.0, 16.0, 20.0, 24.0, 32.0, 36.0)
_RANK = {code: rank for rank, code in enumerate(LANGUAGE_LEVELS)}


# --------------------------------------------------------------------------- synthetic records


def synthetic(n_clients: int, n_vacancies: int, seed: int = 1):
    """Clients and vacancies of one region: 60 postcodes around a centre, ISCO codes from
    the shipped list (a few hundred in use), a vocabulary of 300 skills."""
    rng = random.Random(seed)
    codes = sorted(c for c in isco_labels() if len(c) == 4)
    used = rng.sample(codes, min(120, len(codes)))
    postcodes = {
        f"{7400 + i}": (52.2 + rng.uniform(-0.2, 0.2), 6.5 + rng.uniform(-0.3, 0.3)) for i in range(60)
    }
    pcs = sorted(postcodes)
    skills = [f"vaardigheid {i:03d}" for i in range(300)]
    clients = []
    for i in range(n_clients):
        # About 2 % live in a postcode without a centroid (scored without distance).
        pc = rng.choice(pcs) if rng.random() > 0.02 else "9999"
        clients.append(
            ClientRecord(
                client_id=f"K{i:07d}",
                occupations=tuple(dict.fromkeys(rng.choice(used) for _ in range(rng.randint(0, 3)))),
                skills=frozenset(rng.sample(skills, rng.randint(0, 8))),
                hours=rng.choice(_HOURS),
                max_travel_km=rng.choice((None, None, 5.0, 10.0, 20.0, 40.0)),
                postcode4=pc,
                point=postcodes.get(pc),
                language=rng.choice(("",) + LANGUAGE_LEVELS),
            )
        )
    vacancies = []
    for j in range(n_vacancies):
        pc = rng.choice(pcs)
        wanted = rng.sample(skills, rng.randint(0, 6))
        vacancies.append(
            VacancyRecord(
                vacancy_id=f"V{j:06d}",
                occupation=rng.choice(used) if rng.random() > 0.05 else "",
                skills=tuple((s, s) for s in wanted),
                hours=rng.choice(_HOURS),
                postcode4=pc,
                point=postcodes[pc],
                positions=rng.choice((1, 1, 1, 2, 3)),
            )
        )
    return clients, vacancies


# --------------------------------------------------------------------------- the baseline


class Arrays:
    """The clients as arrays, for the baseline: written apart from `vector.CandidatePool` on
    purpose, so that the engine is checked against a second writing of the formula."""

    def __init__(self, clients: list[ClientRecord], scorer: Scorer):
        from scipy.sparse import csr_matrix

        self.ids = [c.client_id for c in clients]
        n = len(clients)
        width = max((len(c.occupations) for c in clients), default=0) or 1
        self.occ = np.full((n, width), -1, dtype=np.int64)
        for i, c in enumerate(clients):
            for k, code in enumerate(c.occupations):
                self.occ[i, k] = int(code)
        self.vocab = {s: k for k, s in enumerate(sorted({s for c in clients for s in c.skills}))}
        rows = [i for i, c in enumerate(clients) for _ in c.skills]
        cols = [self.vocab[s] for c in clients for s in c.skills]
        self.skills = csr_matrix(
            (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(n, max(1, len(self.vocab)))
        ).tocsc()
        self.hours = np.array([np.nan if c.hours is None else c.hours for c in clients])
        self.travel = np.array([np.nan if c.max_travel_km is None else c.max_travel_km for c in clients])
        self.lang = np.array(
            [_RANK.get(c.language, -1) if c.language else -1 for c in clients], dtype=np.int64
        )
        # Distances per postcode pair with the engine's own haversine (math, not NumPy's
        # trigonometry, so the last bit of every km is the same).
        self.points = {c.postcode4: c.point for c in clients if c.point is not None}
        self.pc_list = sorted(self.points)
        index = {pc: k for k, pc in enumerate(self.pc_list)}
        self.pc = np.array(
            [index[c.postcode4] if c.point is not None else -1 for c in clients], dtype=np.int64
        )
        self.settings = scorer.settings

    def km(self, vacancy: VacancyRecord) -> np.ndarray:
        if vacancy.point is None:
            return np.full(len(self.ids), np.nan)
        table = np.array([haversine_km(vacancy.point, self.points[pc]) for pc in self.pc_list] + [np.nan])
        return table[self.pc]  # -1 (no centroid) picks the trailing nan


def baseline_units(a: Arrays, vacancy: VacancyRecord) -> np.ndarray:
    """Every client's units for one vacancy; -1 where a hard constraint leaves the pair out."""
    s = a.settings
    w = s.weights
    n = len(a.ids)
    km = a.km(vacancy)
    has_km = ~np.isnan(km)
    own = ~np.isnan(a.travel)
    limit = np.where(own, a.travel, s.default_max_travel_km)
    with np.errstate(invalid="ignore", divide="ignore"):
        beyond = has_km & (km > limit)
        inside = np.where(limit <= 0, 1.0, 1.0 - km / limit)
    distance = np.where(beyond, 0.0, inside)
    out = beyond & own & s.travel_hard
    occupation = np.zeros(n)
    if vacancy.occupation:
        t = int(vacancy.occupation)
        credit = [0.0, *(s.occupation_credit[k] for k in ("major", "sub_major", "minor", "unit"))]
        for k in range(a.occ.shape[1]):
            col = a.occ[:, k]
            shared = np.zeros(n, dtype=np.int64)
            for digits, div in ((1, 1000), (2, 100), (3, 10), (4, 1)):
                shared = np.where((col >= 0) & (col // div == t // div), digits, shared)
            occupation = np.maximum(occupation, np.asarray(credit)[shared])
    total = w["occupation"] * occupation
    weight = np.full(n, w["occupation"])
    if vacancy.skills:
        cols = [a.vocab[key] for key, _ in vacancy.skills if key in a.vocab]
        count = np.asarray(a.skills[:, cols].sum(axis=1)).ravel() if cols else np.zeros(n)
        total = total + w["skills"] * (count / len(vacancy.skills))
        weight = weight + w["skills"]
    if vacancy.hours is not None:
        has = ~np.isnan(a.hours)
        value = (
            np.ones(n) if vacancy.hours <= 0 else np.minimum(1.0, np.maximum(0.0, a.hours) / vacancy.hours)
        )
        total = total + np.where(has, w["hours"] * value, 0.0)
        weight = weight + np.where(has, w["hours"], 0.0)
    total = total + np.where(has_km, w["distance"] * distance, 0.0)
    weight = weight + np.where(has_km, w["distance"], 0.0)
    required = s.language_required(vacancy)
    if required:
        has = a.lang >= 0
        gap = _RANK[required] - a.lang
        value = np.where(gap <= 0, 1.0, np.where(gap == 1, 0.5, 0.0))
        total = total + np.where(has, w["language"] * value, 0.0)
        weight = weight + np.where(has, w["language"], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        units = np.floor(total / weight * SCORE_SCALE + 0.5)
    units = np.where(weight <= 0, 0, np.clip(units, 0, SCORE_SCALE)).astype(np.int64)
    return np.where(out, -1, units)


def baseline_top(a: Arrays, vacancy: VacancyRecord, top: int) -> list[tuple[str, int]]:
    units = baseline_units(a, vacancy)
    order = np.argsort(-units, kind="stable")  # ids are in text order, so ties go by id
    order = order[units[order] >= 0][:top]
    return [(a.ids[i], int(units[i])) for i in order]


def baseline_assign(a: Arrays, vacancies: list[VacancyRecord]) -> int:
    """The optimal total in units: NumPy scores, best S per vacancy, scipy's HiGHS LP."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    rows = [np.maximum(baseline_units(a, v), 0) for v in vacancies]
    cap = np.array([v.positions for v in vacancies])
    slots = int(sum(min(c, int((r > 0).sum())) for c, r in zip(cap, rows, strict=True)))
    vi, ci, wt = [], [], []
    for k, r in enumerate(rows):
        positive = np.flatnonzero(r > 0)
        if len(positive) > slots:
            positive = positive[np.argpartition(-r[positive], slots - 1)[:slots]]
        vi.append(np.full(len(positive), k))
        ci.append(positive)
        wt.append(r[positive])
    vi, ci, wt = np.concatenate(vi), np.concatenate(ci), np.concatenate(wt).astype(np.float64)
    if not len(wt):
        return 0
    e = np.arange(len(wt))
    matrix = coo_matrix(
        (np.ones(2 * len(wt)), (np.concatenate([vi, len(vacancies) + ci]), np.concatenate([e, e]))),
        shape=(len(vacancies) + len(a.ids), len(wt)),
    ).tocsr()
    b = np.concatenate([cap, np.ones(len(a.ids))])
    result = linprog(-wt, A_ub=matrix, b_ub=b, bounds=(0, 1), method="highs-ds")
    return int(round(float(wt @ (result.x > 0.5))))


# --------------------------------------------------------------------------- the engine


def engine_top(vacancy, clients, scorer, top):
    """As `selectors.match_vacancy` (without the database): the pool, its pairs, the ranking."""
    from .selectors import _ranked

    return _ranked(pool_pairs(CandidatePool(clients, scorer), vacancy), top)


def engine_assign(vacancies, clients, scorer) -> int:
    """As `selectors.match_assign` (without the database)."""
    pool = CandidatePool(clients, scorer)
    pairs = {v.vacancy_id: dict(pool_pairs(pool, v)) for v in vacancies}
    return sum(u for *_, u in assign(pairs, {v.vacancy_id: v.positions for v in vacancies}))


def _timed(fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def quality(vacancies, clients, scorer, a: Arrays, seed: int) -> dict:
    """Hires drawn from fit (engine score + Gumbel noise); where each ranking puts them."""
    rng = np.random.default_rng(seed)
    engine_hits = overlap_hits = 0
    for v in vacancies:
        units = baseline_units(a, v)
        allowed = np.flatnonzero(units >= 0)
        noise = rng.gumbel(0.0, HIRE_NOISE, size=len(allowed))
        hired = allowed[np.argmax(units[allowed] / SCORE_SCALE + noise)]
        top = {cid for cid, _ in baseline_top(a, v, QUALITY_TOP)}
        engine_hits += a.ids[hired] in top
        cols = [a.vocab[key] for key, _ in v.skills if key in a.vocab]
        overlap = np.asarray(a.skills[:, cols].sum(axis=1)).ravel() if cols else np.zeros(len(a.ids))
        order = np.argsort(-overlap[allowed], kind="stable")[:QUALITY_TOP]
        overlap_hits += hired in set(allowed[order])
    n = len(vacancies)
    return {
        "vacancies": n,
        "hire_noise": HIRE_NOISE,
        "engine_top10_share": engine_hits / n if n else None,
        "skill_overlap_top10_share": overlap_hits / n if n else None,
    }


def run(settings: Settings, *, clients: int, vacancies: int, quality_vacancies: int, seed: int = 1) -> dict:
    records, vacancy_records = synthetic(clients, max(vacancies, quality_vacancies, 1), seed)
    scorer = Scorer(settings)
    a = Arrays(records, scorer)
    one = vacancy_records[0]
    engine_list, engine_s = _timed(engine_top, one, records, scorer, TOP)
    base_list, base_s = _timed(baseline_top, a, one, TOP)
    chosen = vacancy_records[:vacancies]
    engine_total, engine_as = _timed(engine_assign, chosen, records, Scorer(settings))
    base_total, base_as = _timed(baseline_assign, a, chosen)
    # The baseline's scores for every pair of the first vacancies, against the engine's.
    scores_equal = all(
        [(c.client_id, u) for c, u in zip(records, baseline_units(a, v).tolist(), strict=True) if u >= 0]
        == [(c.client_id, scorer.units(v, c)) for c in records if scorer.units(v, c) is not None]
        for v in vacancy_records[: min(3, len(vacancy_records))]
    )
    report = {
        "clients": clients,
        "load_average": list(os.getloadavg()),
        "cpus": os.cpu_count(),
        "top": {
            "n": TOP,
            "engine_s": engine_s,
            "baseline_s": base_s,
            "ratio": engine_s / base_s if base_s else None,
            "target_ratio": 3,
            "identical": engine_list == base_list,
        },
        "assign": {
            "vacancies": vacancies,
            "positions": sum(v.positions for v in chosen),
            "engine_s": engine_as,
            "baseline_s": base_as,
            "ratio": engine_as / base_as if base_as else None,
            "target_ratio": 2,
            "engine_total": engine_total,
            "baseline_total": base_total,
            "identical": engine_total == base_total,
        },
        "quality": quality(vacancy_records[:quality_vacancies], records, scorer, a, seed),
    }
    report["identical"] = report["top"]["identical"] and report["assign"]["identical"] and scores_equal
    report["scores_identical"] = scores_equal
    return report


def render(report: dict) -> str:
    t, s, q = report["top"], report["assign"], report["quality"]

    def ms(x):
        return f"{1000 * x:,.1f} ms".replace(",", ".")

    lines = [
        f"Matching-benchmark: {report['clients']} kandidaten, belasting {', '.join(f'{x:.2f}' for x in report['load_average'])} op {report['cpus']} cores",
        f"Top-{t['n']} voor één vacature: engine {ms(t['engine_s'])}, basislijn {ms(t['baseline_s'])}, "
        f"verhouding {t['ratio']:.1f} (doel ≤ {t['target_ratio']}), gelijk: {'ja' if t['identical'] else 'nee'}",
        f"Verdeling over {s['vacancies']} vacatures ({s['positions']} plaatsen): engine {ms(s['engine_s'])}, "
        f"basislijn {ms(s['baseline_s'])}, verhouding {s['ratio']:.1f} (doel ≤ {s['target_ratio']}), "
        f"totaal {s['engine_total']} en {s['baseline_total']}, gelijk: {'ja' if s['identical'] else 'nee'}",
    ]
    if q["vacancies"]:
        lines.append(
            f"Kwaliteit ({q['vacancies']} vacatures, aanname naar passendheid): aangenomen kandidaat in de top-10 "
            f"van de engine {100 * q['engine_top10_share']:.1f} %, op overlap van vaardigheden alleen "
            f"{100 * q['skill_overlap_top10_share']:.1f} %"
        )
    lines.append(f"Scores van engine en basislijn gelijk: {'ja' if report['scores_identical'] else 'nee'}")
    return "\n".join(lines) + "\n"
