"""From the simulation's records to the interchange files (column arrays per file).

Everything that does not feed back into the simulation (names, BSNs, consultants,
contacts, employers, vacancies, profiles, costs) is drawn here from a seeded generator,
after the simulation, so that it cannot disturb the causal structure.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np

from trede.synthetic import calendar as cal
from trede.synthetic import params as p
from trede.synthetic.engine import MISSING
from trede.synthetic.names import draw_names, full_names
from trede.synthetic.policy import GROUP_CODES, groups
from trede.synthetic.simulate import Simulation

Columns = dict[str, np.ndarray]

MUNICIPALITIES = (  # (max clients, CBS code, postcode4 range or list)
    (4_000, "GM0203", (3771, 3772, 3773, 3774, 3775, 3776, 3781, 3785, 3794)),
    (40_000, "GM0772", tuple(range(5611, 5659))),
    (10**12, "GM0599", tuple(range(3011, 3090))),
)
EXTRA_SHARES = {"ioaw": 0.022, "ioaz": 0.004, "bbz": 0.009}


@dataclass
class People:
    """All clients in clients.csv order: the simulated pw persons first, then the others."""

    n_pw: int
    birth_day: np.ndarray
    gender: np.ndarray
    hh: np.ndarray
    edu: np.ndarray
    lang: np.ndarray
    sh: np.ndarray
    dgr: np.ndarray

    @property
    def n(self) -> int:
        return len(self.birth_day)


def ids(prefix: str, n: int, width: int = 7) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width)).astype(object)


def iso(days: np.ndarray) -> np.ndarray:
    return cal.to_iso(np.where(np.asarray(days) == MISSING, -(10**9), days))


def text_int(values: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    out = np.asarray(values).astype(np.int64).astype(str).astype(object)
    if missing is not None:
        out[missing] = ""
    return out


def municipality(n_clients: int) -> tuple[str, tuple[int, ...]]:
    for limit, code, postcodes in MUNICIPALITIES:
        if n_clients <= limit:
            return code, postcodes
    raise AssertionError  # pragma: no cover


class Builder:
    """Builds every interchange file from one simulation; `person` columns are client numbers."""

    def __init__(self, sim: Simulation, n_clients: int, seed: int) -> None:
        self.sim = sim
        self.w = sim.window
        self.seed = seed
        self.n_clients = n_clients
        e = sim.engine
        self.number = np.full(len(sim.persons), -1, dtype=np.int64)
        self.number[sim.retained] = np.arange(len(sim.retained))
        self.n_pw = len(sim.retained)
        self.code, self.postcodes = municipality(n_clients)
        self.exits = self._mapped(e.rec.table("exits"))
        self.pw_benefits = self._pw_benefits(e.rec.table("benefits"))
        extra = self._extras(n_clients - self.n_pw)
        self.people = self._people(extra)
        self.extra_benefits = extra["benefits"]
        self.bbz_benefits = self._bbz_around_pw()

    def rng(self, stream: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, 101, stream])

    def _mapped(self, table: Columns) -> Columns:
        """Rows of retained persons, with `person` replaced by the client number."""
        if not table:
            return {}
        num = self.number[table["person"]]
        keep = num >= 0
        out = {k: v[keep] for k, v in table.items()}
        out["person"] = num[keep]
        return out

    # --- benefits ---------------------------------------------------------------------------
    def _pw_benefits(self, table: Columns) -> Columns:
        b = self._mapped(table)
        b = {k: v[b["start_day"] < self.w.end_day] for k, v in b.items()}
        late = (b["end_day"] != MISSING) & (b["end_day"] >= self.w.end_day)
        b["end_day"] = np.where(late, MISSING, b["end_day"])
        b["reason"] = np.where(late, -1, b["reason"])
        b["regulation"] = np.zeros(len(b["person"]), dtype=np.int64)
        return b

    def benefits(self) -> Columns:
        parts = [self.pw_benefits, self.extra_benefits, self.bbz_benefits]
        b = {
            k: np.concatenate([part[k] for part in parts])
            for k in ("person", "regulation", "start_day", "end_day", "reason")
        }
        order = np.lexsort((b["regulation"], b["start_day"], b["person"]))
        b = {k: v[order] for k, v in b.items()}
        n = len(order)
        reasons = np.asarray(p.END_REASONS + ("",), dtype=object)
        return {
            "benefit_id": ids("U", n, 8),
            "client_id": self.client_ids[b["person"]],
            "regulation": np.asarray(p.REGULATIONS, dtype=object)[b["regulation"]],
            "start_date": iso(b["start_day"]),
            "end_date": iso(b["end_day"]),
            "end_reason": reasons[b["reason"]],
        }

    def _bbz_around_pw(self) -> Columns:
        """Self-employment next to the pw benefit (Bbz): starting a business as the way out of
        pw (touching or overlapping the pw end) and a failed business before a first pw spell."""
        g = self.rng(1)
        b = self.pw_benefits
        x = self.exits
        in_window = (x["end_day"] >= self.w.start_day) & (x["end_day"] < self.w.end_day)
        out_sel = in_window & (x["reason"] == p.WERK) & (g.random(len(x["person"])) < 0.035)
        person = x["person"][out_sel]
        overlap = g.random(len(person)) < 0.4
        start = x["end_day"][out_sel] - np.where(overlap, g.integers(15, 60, len(person)), 0)
        start = np.maximum(start, x["spell_day"][out_sel] + 1)
        end = start + g.integers(180, 540, len(person))
        nxt = _next_start(b["person"], b["start_day"], person, x["end_day"][out_sel])
        end = np.minimum(end, nxt)
        reason = np.where(g.random(len(person)) < 0.5, p.WERK, p.OVERIG)
        # Failed business, then pw from the day the Bbz ends (first spells only).
        firsts = _first_starts(b["person"], b["start_day"])
        pick = (firsts[1] >= self.w.start_day) & (g.random(len(firsts[0])) < 0.02)
        p2, pw_start = firsts[0][pick], firsts[1][pick]
        adult = self.people.birth_day[p2] + int(np.ceil(18 * 365.2425)) + 1
        start2 = np.maximum(pw_start - g.integers(90, 540, len(p2)), adult)
        person = np.concatenate([person, p2])
        start = np.concatenate([start, start2])
        end = np.concatenate([end, pw_start])
        reason = np.concatenate([reason, np.full(len(p2), p.OVERIG)])
        ok = end > start
        late = end >= self.w.end_day
        return {
            "person": person[ok],
            "regulation": np.full(int(ok.sum()), 3),
            "start_day": start[ok],
            "end_day": np.where(late, MISSING, end)[ok],
            "reason": np.where(late, -1, reason)[ok],
        }

    def _extras(self, n_extra: int) -> dict:
        """IOAW (50+ after WW), IOAZ (55+, former self-employed) and Bbz-only clients."""
        g = self.rng(2)
        shares = np.asarray(list(EXTRA_SHARES.values()))
        counts = np.floor(n_extra * shares / shares.sum()).astype(int)
        counts[0] += n_extra - counts.sum()
        regs = np.repeat([1, 2, 3], counts)
        n = len(regs)
        start = self.w.start_day - g.integers(-int(0.97 * (self.w.end_day - self.w.start_day)), 6 * 365, n)
        start = np.minimum(start, self.w.end_day - 30)
        draws = (g.random(n), g.integers(3, 19, n), g.exponential(40, n), g.random(n))
        birth, end, to_aow = _extra_spell(regs, start, draws)
        # Every extra client has a benefit in the window: spells that ended before it move into it.
        early = end <= self.w.start_day
        start = np.where(
            early, self.w.start_day + g.integers(0, self.w.end_day - self.w.start_day - 30, n), start
        )
        birth, end, to_aow = _extra_spell(regs, start, draws)
        reason = np.where(
            to_aow, p.AOW, g.choice([p.WERK, p.OVERIG, 6, 2, 7], size=n, p=[0.4, 0.25, 0.12, 0.1, 0.13])
        )
        reason = np.where(regs == 3, np.where(g.random(n) < 0.55, p.WERK, p.OVERIG), reason)
        late = end >= self.w.end_day
        person = self.n_pw + np.arange(n)
        benefits = {
            "person": person,
            "regulation": regs,
            "start_day": start,
            "end_day": np.where(late, MISSING, end),
            "reason": np.where(late, -1, reason),
        }
        attrs = {
            "birth_day": birth,
            "gender": np.where(g.random(n) < 0.45, 1, 0),
            "hh": g.choice(4, size=n, p=[0.45, 0.05, 0.47, 0.03]),
            "edu": g.choice(7, size=n, p=[0.02, 0.08, 0.2, 0.45, 0.1, 0.12, 0.03]),
            "lang": np.where(g.random(n) < 0.9, 7, 4),
            "sh": np.zeros(n, dtype=np.int64),
            "dgr": np.zeros(n, dtype=np.int64),
        }
        return {"benefits": benefits, "attrs": attrs}

    def _people(self, extra: dict) -> People:
        ps, r = self.sim.persons, self.sim.retained
        ea = extra["attrs"]
        cat = {
            k: np.concatenate([getattr(ps, k)[r].astype(np.int64), ea[k].astype(np.int64)])
            for k in ("birth_day", "gender", "hh", "edu", "lang", "sh", "dgr")
        }
        people = People(n_pw=self.n_pw, **cat)
        self.client_ids = ids("C", people.n)
        return people

    # --- clients, consultants, contacts ----------------------------------------------------
    def clients(self, consultant_of: np.ndarray, consultant_ids: np.ndarray) -> Columns:
        g = self.rng(3)
        pe = self.people
        female = pe.gender == 1
        origin = np.where(pe.sh == 1, 2, np.where(pe.lang == 7, np.where(g.random(pe.n) < 0.08, 1, 0), 1))
        given, family = draw_names(g, female, origin)
        return {
            "client_id": self.client_ids,
            "bsn": bsns(g, pe.n),
            "birth_date": iso(pe.birth_day),
            "gender": np.asarray(p.GENDERS, dtype=object)[pe.gender],
            "household": np.asarray(p.HOUSEHOLDS, dtype=object)[pe.hh],
            "education": np.asarray(p.EDUCATIONS, dtype=object)[pe.edu],
            "dutch_language": np.asarray(p.LANGUAGES, dtype=object)[pe.lang],
            "statushouder": pe.sh.astype(str).astype(object),
            "dgr": pe.dgr.astype(str).astype(object),
            "postcode4": np.asarray(self.postcodes)[g.integers(0, len(self.postcodes), pe.n)]
            .astype(str)
            .astype(object),
            "municipality": np.full(pe.n, self.code, dtype=object),
            "consultant_id": consultant_ids[consultant_of],
            "given_name": given,
            "family_name": family,
        }

    def current_stock(self) -> np.ndarray:
        """Client numbers with a benefit (any regulation) on the last observed day."""
        last = self.w.end_day - 1
        parts = [self.pw_benefits, self.extra_benefits, self.bbz_benefits]
        person = np.concatenate([b["person"] for b in parts])
        start = np.concatenate([b["start_day"] for b in parts])
        end = np.concatenate([b["end_day"] for b in parts])
        active = (start <= last) & ((end == MISSING) | (end > last))
        return np.unique(person[active])

    def consultants(self, latest_group: np.ndarray) -> tuple[Columns, np.ndarray]:
        """Werkconsulenten with caseloads of 50-120 current clients, by team, plus staff."""
        g = self.rng(4)
        pe = self.people
        age = cal.age_years(pe.birth_day, self.w.end_day - 1)
        team = np.select([pe.sh == 1, age < 27, np.isin(latest_group, (0, 1, 5))], [1, 2, 3], 4)
        stock = self.current_stock()
        counts = np.bincount(team[stock], minlength=5)
        small = counts < 160  # teams too small for their own consultants merge into the general team
        team = np.where(small[team], 0, team)
        team_names = (
            "Team Werk en Inkomen",
            "Team Nieuwkomers",
            "Team Jongeren",
            "Team Werk",
            "Team Participatie",
        )
        ids_list, names, teams, roles = [], [], [], []
        consultant_of = np.zeros(pe.n, dtype=np.int64)
        for t_i, t_name in enumerate(team_names):
            in_team = np.flatnonzero(team == t_i)
            if not len(in_team):
                continue
            current = np.intersect1d(in_team, stock)
            k = max(1, int(round(len(current) / 85)))
            first = len(ids_list)
            for _ in range(k):
                ids_list.append(len(ids_list))
                teams.append(t_name)
                roles.append("werkconsulent")
            # Caseloads differ as in a real team: part-timers (0.6-0.9 fte) carry fewer
            # clients, and no two full-timers carry exactly the same number (50-120).
            fte = g.choice(np.array([0.6, 0.7, 0.8, 0.9, 1.0]), size=k, p=[0.15, 0.15, 0.2, 0.15, 0.35])
            loads = _spread_caseloads(fte * g.uniform(0.85, 1.2, size=k), len(current))
            share = np.repeat(np.arange(k), loads)
            order = g.permutation(len(current))
            consultant_of[current[order]] = first + share
            past = np.setdiff1d(in_team, stock)
            consultant_of[past] = first + g.integers(0, k, len(past))
        n_work = len(ids_list)
        n_stock = len(stock)
        for role, per, t_name in (
            ("consulent_inkomen", 350, "Team Inkomen"),
            ("accountmanager", 700, "Werkgeversservicepunt"),
            ("kwaliteitsmedewerker", 1500, "Team Kwaliteit"),
            ("teamleider", 900, "Management"),
        ):
            for _ in range(max(1, n_stock // per)):
                ids_list.append(len(ids_list))
                teams.append(t_name)
                roles.append(role)
        n = len(ids_list)
        names = full_names(g, n)
        cons_ids = ids("M", n, 4)
        table = {
            "consultant_id": cons_ids,
            "name": names,
            "team": np.asarray(teams, dtype=object),
            "role": np.asarray(roles, dtype=object),
        }
        self.n_werkconsulenten = n_work
        return table, consultant_of

    def contacts(self, consultant_of: np.ndarray, consultant_ids: np.ndarray) -> Columns:
        c = self._mapped(self.sim.engine.rec.table("contacts"))
        g = self.rng(5)
        if not c:
            return _empty(("contact_id", "client_id", "date", "kind", "consultant_id"))
        rows = np.repeat(np.arange(len(c["person"])), c["count"])
        person = c["person"][rows]
        day = cal.first_day(c["month"][rows]) + g.integers(1, 28, len(rows))
        extra_person, extra_day = self._extra_contacts()
        person, day = np.concatenate([person, extra_person]), np.concatenate([day, extra_day])
        keep = (day < self.w.end_day) & (day >= self.w.start_day)
        person, day = person[keep], day[keep]
        order = np.lexsort((person, day))
        person, day = person[order], day[order]
        kinds = np.asarray(p.CONTACT_KINDS, dtype=object)
        shares = np.asarray(p.CONTACT_KIND_SHARES)
        kind = kinds[g.choice(len(kinds), size=len(person), p=shares / shares.sum())]
        return {
            "contact_id": ids("G", len(person), 9),
            "client_id": self.client_ids[person],
            "date": iso(day),
            "kind": kind,
            "consultant_id": consultant_ids[consultant_of[person]],
        }

    def _extra_contacts(self) -> tuple[np.ndarray, np.ndarray]:
        """Contacts of the IOAW, IOAZ and Bbz clients, whom the engine does not simulate:
        without them every such client looked years overdue in the worklist. Own stream,
        so the simulated clients' contacts stay as they were."""
        g = self.rng(15)
        b = self.extra_benefits
        start = np.maximum(b["start_day"], self.w.start_day)
        end = np.where(b["end_day"] == MISSING, self.w.end_day, b["end_day"])
        span = np.maximum(end - start, 0)
        rate = np.asarray(p.EXTRA_CONTACT_RATE)[b["regulation"] - 1]
        count = g.poisson(rate * span / 30.4)
        rows = np.repeat(np.arange(len(span)), count)
        day = start[rows] + (g.random(len(rows)) * span[rows]).astype(np.int64)
        return b["person"][rows], day

    def measures(self) -> Columns:
        m = self._mapped(self.sim.engine.rec.table("measures"))
        cols = ("measure_id", "client_id", "date", "kind", "reason", "percentage", "months")
        if not m:
            return _empty(cols)
        g = self.rng(6)
        day = cal.first_day(m["month"]) + 1 + (m["u"] * 27).astype(np.int64)
        keep = day < self.w.end_day
        person, day, kind = m["person"][keep], day[keep], m["kind"][keep]
        order = np.lexsort((person, day))
        person, day, kind = person[order], day[order], kind[order]
        n = len(person)
        reason = np.empty(n, dtype=object)
        pct = np.empty(n, dtype=object)
        months = np.empty(n, dtype=object)
        for k, (_, _, percentage, dur, reasons) in enumerate(p.MEASURES):
            sel = kind == k
            reason[sel] = np.asarray(reasons, dtype=object)[g.integers(0, len(reasons), int(sel.sum()))]
            pct[sel] = percentage
            months[sel] = dur
        maatregel = kind == 1
        light = maatregel & (g.random(n) < 0.5)
        pct[light] = "20"
        months[light] = "3"
        return {
            "measure_id": ids("H", n),
            "client_id": self.client_ids[person],
            "date": iso(day),
            "kind": np.asarray([m[0] for m in p.MEASURES], dtype=object)[kind],
            "reason": reason,
            "percentage": pct,
            "months": months,
        }

    # --- diagnoses and trajectories ------------------------------------------------------------
    def diagnoses(self) -> Columns:
        d = self._mapped(self.sim.engine.rec.table("diagnoses"))
        d = {k: v[d["day"] < self.w.end_day] for k, v in d.items()}
        order = np.lexsort((d["day"], d["person"]))
        d = {k: v[order] for k, v in d.items()}
        before = d["day"] < self.w.start_day
        nxt_same = np.r_[d["person"][1:] == d["person"][:-1], False]
        nxt_before = np.r_[before[1:], False]
        # Before the window only the diagnosis that is still current at its start.
        keep = ~before | ~(nxt_same & nxt_before)
        d = {k: v[keep] for k, v in d.items()}
        self.diag = d
        n = len(d["person"])
        by_consultant = d["override"] >= 0
        reasons = np.asarray(p.OVERRIDE_REASONS + ("",), dtype=object)
        return {
            "diagnosis_id": ids("D", n, 8),
            "client_id": self.client_ids[d["person"]],
            "date": iso(d["day"]),
            "months_to_work": text_int(d["mtw"]),
            "ladder_step": text_int(d["ladder"]),
            "ladder_target": text_int(d["target"]),
            "wage_value_pct": text_int(d["wv"]),
            "assessed_by": np.where(by_consultant, "consultant", "tool").astype(object),
            "override_reason": reasons[d["override"]],
        }

    def latest_group(self) -> np.ndarray:
        """Client group on the last observed day (for teams and profiles); -1 without diagnosis."""
        d = self.diag
        out = np.full(self.people.n, GROUP_CODES.index("onbekend"))
        last = np.r_[d["person"][1:] != d["person"][:-1], True]
        placed = np.zeros(int(last.sum()), dtype=bool)
        out[d["person"][last]] = groups(
            d["mtw"][last], d["ladder"][last], self.people.dgr[d["person"][last]].astype(np.int8), placed
        )
        return out

    def trajectories(self, provider_table: Columns) -> tuple[Columns, Columns]:
        tr = self._mapped(self.sim.engine.traj.table())
        started = tr["start_day"] != MISSING
        keep = (tr["referral_day"] < self.w.end_day) & (~started | (tr["start_day"] < self.w.end_day))
        tr = {k: v[keep] for k, v in tr.items()}
        started = tr["start_day"] != MISSING
        open_end = (tr["end_day"] == MISSING) | (tr["end_day"] >= self.w.end_day)
        tr["end_day"] = np.where(started & ~open_end, tr["end_day"], MISSING)
        tr["result"] = np.where(started & open_end, 3, tr["result"])
        order = np.lexsort((tr["instr"], tr["referral_day"], tr["person"]))
        tr = {k: v[order] for k, v in tr.items()}
        started = tr["start_day"] != MISSING
        n = len(order)
        g = self.rng(7)
        provider = _providers_for(g, tr["instr"], provider_table)
        price = np.asarray([ins.price_eur for ins in p.INSTRUMENTS], dtype=np.float64)[tr["instr"]]
        planned = np.maximum(tr["plan_day"] - tr["start_day"], 1)
        ran = np.where(tr["end_day"] == MISSING, self.w.end_day, tr["end_day"]) - tr["start_day"]
        cost = np.where(started, np.round(price * np.clip(ran / planned, 0.1, 1.0), 2), 0.0)
        codes = np.asarray([ins.code for ins in p.INSTRUMENTS], dtype=object)
        table = {
            "trajectory_id": ids("T", n, 8),
            "client_id": self.client_ids[tr["person"]],
            "instrument_code": codes[tr["instr"]],
            "provider_id": provider,
            "referral_date": iso(tr["referral_day"]),
            "start_date": iso(np.where(started, tr["start_day"], MISSING)),
            "planned_end_date": iso(np.where(started, tr["plan_day"], MISSING)),
            "end_date": iso(tr["end_day"]),
            "result": np.asarray(p.RESULTS, dtype=object)[tr["result"]],
            "cost_eur": np.char.mod("%.2f", cost).astype(object),
        }
        return table, tr


def _extra_spell(
    regs: np.ndarray, start: np.ndarray, draws: tuple
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(birth day, end day, ends at AOW) of an IOAW/IOAZ/Bbz benefit starting on `start`."""
    u_age, bbz_months, months, u_aow = draws
    min_age = np.select([regs == 1, regs == 2], [50, 55], 25)
    max_age = np.select([regs == 1, regs == 2], [64, 64], 60)
    birth = start - np.floor((min_age + u_age * (max_age - min_age)) * 365.2425).astype(np.int64)
    aow = cal.aow_day(birth)
    months = np.where(regs == 3, bbz_months, np.ceil(months + 3)).astype(np.int64)
    end = start + np.floor(months * 30.44).astype(np.int64)
    to_aow = (regs < 3) & ((u_aow < 0.55) | (end > aow))
    return birth, np.where(to_aow, aow, end), to_aow


def _empty(cols: tuple[str, ...]) -> Columns:
    return {c: np.zeros(0, dtype=object) for c in cols}


def _next_start(
    b_person: np.ndarray, b_start: np.ndarray, person: np.ndarray, after: np.ndarray
) -> np.ndarray:
    """First pw benefit start after `after` for each person (a large day when none)."""
    key = b_person.astype(np.int64) * 10**7 + b_start
    order = np.argsort(key)
    skey = key[order]
    pos = np.searchsorted(skey, person.astype(np.int64) * 10**7 + after, side="right")
    ok = pos < len(skey)
    pos = np.minimum(pos, len(skey) - 1)
    same = ok & (b_person[order][pos] == person)
    return np.where(same, b_start[order][pos], 10**8)


def _first_starts(b_person: np.ndarray, b_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((b_start, b_person))
    bp, bs = b_person[order], b_start[order]
    first = np.r_[True, bp[1:] != bp[:-1]]
    return bp[first], bs[first]


def bsns(g: np.random.Generator, n: int) -> np.ndarray:
    """Unique 9-digit numbers that pass the 11-proef."""
    out = np.zeros(0, dtype=np.int64)
    while len(out) < n:
        want = int((n - len(out)) * 1.2) + 16
        digits = g.integers(0, 10, size=(want, 8))
        digits[:, 0] = g.integers(1, 7, want)
        s = (digits * np.arange(9, 1, -1)).sum(axis=1) % 11
        ok = s != 10  # the check digit must be a single digit
        number = (digits[ok] * 10 ** np.arange(8, 0, -1)).sum(axis=1) + s[ok]
        out = np.concatenate([out, number])
        _, first = np.unique(out, return_index=True)
        out = out[np.sort(first)]
    return np.char.zfill(out[:n].astype(str), 9).astype(object)


def _providers_for(g: np.random.Generator, instr: np.ndarray, providers: Columns) -> np.ndarray:
    kinds = providers["kind"]
    out = np.empty(len(instr), dtype=object)
    for k, ins in enumerate(p.INSTRUMENTS):
        sel = instr == k
        options = np.flatnonzero(np.isin(kinds, ins.provider_kinds))
        out[sel] = providers["provider_id"][options[g.integers(0, len(options), int(sel.sum()))]]
    return out


PROVIDERS = (
    ("Gemeente — Werk en Inkomen", "gemeente"),
    ("Werkbedrijf Regio (SW-bedrijf)", "sw_bedrijf"),
    ("Beschut Werk Groep", "sw_bedrijf"),
    ("Werkgeversservicepunt Regio", "wsp"),
    ("Re-integratiebureau Pluspunt", "reintegratiebedrijf"),
    ("Werkfit Coaching B.V.", "reintegratiebedrijf"),
    ("Arbeidskundig Adviesbureau Van Dam", "reintegratiebedrijf"),
    ("ROC Regio College", "onderwijs"),
    ("Taalhuis en Volwasseneneducatie", "onderwijs"),
    ("Stichting Welzijn Samen", "maatschappelijk"),
    ("Vrijwilligerscentrale", "maatschappelijk"),
    ("Buurtwerk De Schakel", "maatschappelijk"),
)


def providers() -> Columns:
    return {
        "provider_id": ids("A", len(PROVIDERS), 3),
        "name": np.asarray([x[0] for x in PROVIDERS], dtype=object),
        "kind": np.asarray([x[1] for x in PROVIDERS], dtype=object),
    }


def instruments() -> Columns:
    ins = p.INSTRUMENTS
    return {
        "instrument_code": np.asarray([i.code for i in ins], dtype=object),
        "name": np.asarray([i.name for i in ins], dtype=object),
        "type": np.asarray([i.type for i in ins], dtype=object),
        "funding": np.asarray([i.funding for i in ins], dtype=object),
        "price_eur": np.asarray([f"{i.price_eur:.2f}" for i in ins], dtype=object),
    }


def load_occupations() -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    text = resources.files("trede.synthetic").joinpath("data/occupations.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    codes = np.asarray([r["isco_code"] for r in rows], dtype=object)
    labels = np.asarray([r["label_nl"] for r in rows], dtype=object)
    esco = [[x for x in r["esco_labels_nl"].split(";") if x] for r in rows]
    return codes, labels, esco


def _spread_caseloads(weight: np.ndarray, total: int, low: int = 50, high: int = 120) -> np.ndarray:
    """`total` clients over consultants in proportion to `weight`, each between low and high
    where the total allows it (a team of one takes all)."""
    loads = np.floor(weight / weight.sum() * total).astype(np.int64)
    if len(loads) > 1 and low * len(loads) <= total <= high * len(loads):
        loads = np.clip(loads, low, high)
    # Hand out (or take back) the remainder one at a time, lightest (heaviest) first.
    while loads.sum() < total:
        room = np.flatnonzero(loads < high) if (loads < high).any() else np.arange(len(loads))
        loads[room[np.argmin(loads[room] / weight[room])]] += 1
    while loads.sum() > total:
        spare = np.flatnonzero(loads > low) if (loads > low).any() else np.arange(len(loads))
        loads[spare[np.argmax(loads[spare] / weight[spare])]] -= 1
    return loads
