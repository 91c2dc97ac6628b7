"""An independent reference for `trede match`, straight from the interchange CSVs.

Shares no code with trede.employers.matching: it reads the files with the csv module,
decides who is a candidate and which vacancies are open on D from the contract's words,
recomputes the documented score (decisions 68-70, the default preset's weights written
out here again) and finds the assignment optimum by brute force.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

WEIGHTS = {"occupation": 0.35, "skills": 0.30, "hours": 0.15, "distance": 0.15, "language": 0.05}
CREDIT = {4: 1.0, 3: 0.6, 2: 0.35, 1: 0.1}
DEFAULT_TRAVEL = 25.0
LANG_BY_MAJOR = {
    "0": "b1",
    "1": "b2",
    "2": "b2",
    "3": "b1",
    "4": "b1",
    "5": "a2",
    "6": "a2",
    "7": "a2",
    "8": "a2",
    "9": "a1",
}
LEVELS = ["a0", "a1", "a2", "b1", "b2", "c1", "c2", "moedertaal"]


def rows(folder: Path, name: str) -> list[dict]:
    path = folder / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def running(start: str, end: str, day: str) -> bool:
    return start <= day and (end == "" or day < end)


def candidates(folder: Path, day: str) -> set[str]:
    on_benefit = {
        b["client_id"]
        for b in rows(folder, "benefits.csv")
        if running(b["start_date"], b.get("end_date", ""), day)
    }
    working = {
        p["client_id"]
        for p in rows(folder, "placements.csv")
        if running(p["start_date"], p.get("end_date", ""), day)
    }
    return on_benefit - working


def open_vacancies(folder: Path, day: str) -> set[str]:
    return {
        v["vacancy_id"]
        for v in rows(folder, "vacancies.csv")
        if running(v["open_date"], v.get("close_date", ""), day)
    }


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split(";") if p.strip()]


def _num(text: str):
    return float(text) if (text or "").strip() else None


class Reference:
    def __init__(self, folder: Path):
        self.folder = folder
        self.clients = {c["client_id"]: c for c in rows(folder, "clients.csv")}
        self.profiles = {p["client_id"]: p for p in rows(folder, "client_profiles.csv")}
        self.vacancies = {v["vacancy_id"]: v for v in rows(folder, "vacancies.csv")}
        self.employer_pc = {e["employer_id"]: e.get("postcode4", "") for e in rows(folder, "employers.csv")}
        self.centroid = {
            p["postcode4"]: (float(p["lat"]), float(p["lon"]))
            for p in rows(folder, "postcodes.csv")
            if p.get("lat", "").strip() and p.get("lon", "").strip()
        }

    def km(self, pc_a: str, pc_b: str):
        if pc_a not in self.centroid or pc_b not in self.centroid:
            return None
        (la1, lo1), (la2, lo2) = self.centroid[pc_a], self.centroid[pc_b]
        p1, p2 = math.radians(la1), math.radians(la2)
        dp, dl = p2 - p1, math.radians(lo2 - lo1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))

    def score(self, vacancy_id: str, client_id: str):
        """Units of 1/10000, or None when the client's own travel limit rules the pair out."""
        v, c = self.vacancies[vacancy_id], self.clients[client_id]
        p = self.profiles.get(client_id, {})
        occ = (v.get("occupation_code") or "").strip()
        occ = occ if len(occ) == 4 and occ.isdigit() else ""
        wishes = [w for w in _split(p.get("desired_occupations", "")) if len(w) == 4 and w.isdigit()]
        parts = {}
        best = 0.0
        for w in wishes if occ else []:
            k = 0
            while k < 4 and w[k] == occ[k]:
                k += 1
            best = max(best, CREDIT.get(k, 0.0))
        parts["occupation"] = best
        wanted = {" ".join(s.split()).lower() for s in _split(v.get("skills", ""))}
        have = {" ".join(s.split()).lower() for s in _split(p.get("skills", ""))}
        if wanted:
            parts["skills"] = len(wanted & have) / len(wanted)
        vh, ch = _num(v.get("hours_per_week", "")), _num(p.get("hours_available", ""))
        if vh is not None and ch is not None:
            parts["hours"] = 1.0 if vh <= 0 else min(1.0, ch / vh)
        own = _num(p.get("max_travel_km", ""))
        limit = own if own is not None else DEFAULT_TRAVEL
        d = self.km(
            (c.get("postcode4") or "").strip(),
            (self.employer_pc.get(v.get("employer_id", ""), "") or "").strip(),
        )
        if d is not None:
            if d > limit and own is not None:
                return None
            parts["distance"] = 0.0 if d > limit else (1.0 if limit <= 0 else 1 - d / limit)
        lang = c.get("dutch_language", "")
        need = LANG_BY_MAJOR.get(occ[:1], "") if occ else ""
        if lang in LEVELS and need:
            gap = LEVELS.index(need) - LEVELS.index(lang)
            parts["language"] = 1.0 if gap <= 0 else 0.5 if gap == 1 else 0.0
        total = sum(WEIGHTS[k] * val for k, val in parts.items())
        return int(total / sum(WEIGHTS[k] for k in parts) * 10000 + 0.5)

    def listing(self, vacancy_id: str, day: str) -> list[tuple[str, int]]:
        if vacancy_id not in open_vacancies(self.folder, day):
            return []
        out = []
        for cid in candidates(self.folder, day):
            s = self.score(vacancy_id, cid)
            if s is not None:
                out.append((cid, s))
        return sorted(out, key=lambda x: (-x[1], x[0]))


def best_total(pairs: dict[str, dict[str, int]], capacity: dict[str, int]) -> int:
    """The largest total by brute force: each client to one of its vacancies or to none."""
    clients = sorted({c for scores in pairs.values() for c in scores})
    options = {c: [v for v in pairs if c in pairs[v]] for c in clients}
    left = dict(capacity)
    best = 0

    def walk(i: int, total: int) -> None:
        nonlocal best
        if i == len(clients):
            best = max(best, total)
            return
        c = clients[i]
        walk(i + 1, total)
        for v in options[c]:
            if left[v] > 0:
                left[v] -= 1
                walk(i + 1, total + pairs[v][c])
                left[v] += 1

    walk(0, 0)
    return best
