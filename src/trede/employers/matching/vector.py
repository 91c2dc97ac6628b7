"""The engine's score for one vacancy and all candidates at once, on arrays (decision 146).

Exactly `rules.Scorer.units` for every pair, only faster: the same parts, added in the same
order in float64 (so the same rounding), the km per postcode pair from `rules.haversine_km`
itself (math, not NumPy's trigonometry, whose last bit may differ), skills counted with a
sparse candidate x skill matrix. The tests compare every pair with the Scorer; the reasons
stay the Scorer's. Pure (numpy and scipy, no Django).
"""

from __future__ import annotations

import numpy as np

from .rules import LANGUAGE_LEVELS, SCORE_SCALE, ClientRecord, Scorer, VacancyRecord, haversine_km

_RANK = {code: rank for rank, code in enumerate(LANGUAGE_LEVELS)}


class CandidatePool:
    """The candidates as arrays: one vacancy's score for all of them at once."""

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

    def units(self, vacancy: VacancyRecord) -> np.ndarray:
        """Every candidate's units for one vacancy; -1 where a hard constraint leaves the pair out."""
        a = self
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
                np.ones(n)
                if vacancy.hours <= 0
                else np.minimum(1.0, np.maximum(0.0, a.hours) / vacancy.hours)
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


def pool_pairs(pool: CandidatePool, vacancy: VacancyRecord) -> list[tuple[str, int]]:
    """What `selectors.vacancy_pairs` gives for the pool's clients, in their order."""
    units = pool.units(vacancy)
    keep = np.flatnonzero(units >= 0)
    return list(zip([pool.ids[i] for i in keep], units[keep].tolist(), strict=True))
