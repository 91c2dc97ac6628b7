"""Employers, vacancies, placements and client profiles (the matching side of the chain)."""

from __future__ import annotations

import numpy as np

from trede.synthetic import params as p
from trede.synthetic.engine import MISSING
from trede.synthetic.names import DUTCH_FAMILY
from trede.synthetic.tables import Builder, Columns, _next_start, ids, iso, load_occupations, text_int

# SBI sections where bijstand clients find work, with ISCO-08 sub-major groups they hire in.
SECTORS = {
    "G": (0.17, ("52", "93", "43", "96")),
    "I": (0.12, ("51", "94", "91")),
    "N": (0.13, ("91", "93", "96", "41")),
    "Q": (0.12, ("53", "32", "91", "51")),
    "C": (0.10, ("81", "82", "72", "93", "75")),
    "H": (0.08, ("83", "93", "43")),
    "F": (0.07, ("71", "93", "72")),
    "S": (0.04, ("51", "91", "96")),
    "M": (0.03, ("41", "33", "24")),
    "A": (0.03, ("92", "61")),
    "E": (0.02, ("91", "96", "83")),
    "O": (0.02, ("41", "42", "54")),
    "P": (0.02, ("53", "91", "41")),
    "R": (0.02, ("51", "34", "91")),
    "J": (0.01, ("35", "25", "41")),
    "K": (0.01, ("41", "42", "33")),
    "L": (0.01, ("41", "51", "33")),
    "B": (0.002, ("81", "93")),
    "D": (0.002, ("74", "31")),
    "T": (0.002, ("91", "53")),
}
NAME_PATTERNS = {
    "G": ("Supermarkt {f}", "{f} Wonen & Slapen", "Bouwmarkt {f}", "{f} Groothandel B.V."),
    "I": ("Restaurant De {f}", "Hotel {f}", "Eetcafé {f}", "Lunchroom {f}"),
    "N": ("{f} Uitzendgroep", "Schoonmaakbedrijf {f}", "{f} Facilitair", "Beveiliging {f} B.V."),
    "Q": ("Zorggroep {f}", "Thuiszorg {f}", "Woonzorgcentrum {f}hof", "Kinderopvang {f}"),
    "C": ("{f} Metaal B.V.", "Bakkerij {f}", "{f} Kunststoffen", "Vleeswarenfabriek {f}"),
    "H": ("Transportbedrijf {f}", "{f} Logistiek B.V.", "Koeriersdienst {f}", "Distributiecentrum {f}"),
    "F": ("Bouwbedrijf {f}", "{f} Installatietechniek", "Schildersbedrijf {f}", "Hoveniersbedrijf {f}"),
}
SKILLS = {
    "9": ("schoonmaken", "orderpicken", "fysiek werk", "heftruckcertificaat", "inpakken", "VCA", "afwassen"),
    "5": (
        "klantvriendelijk",
        "kassawerk",
        "HACCP",
        "koken",
        "voorraad aanvullen",
        "persoonlijke verzorging",
        "gastvrijheid",
    ),
    "4": ("MS Office", "administratie", "telefoon aannemen", "archiveren", "data-invoer", "plannen"),
    "7": ("gereedschap hanteren", "lassen", "timmeren", "VCA", "technisch tekeninglezen", "onderhoud"),
    "8": (
        "rijbewijs B",
        "rijbewijs C",
        "machine bedienen",
        "productiewerk",
        "heftruckcertificaat",
        "code 95",
    ),
    "3": ("ICT-vaardigheden", "zorg verlenen", "MS Office", "rapporteren", "EHBO"),
    "2": ("analyseren", "rapporteren", "Engels", "projectmatig werken", "presenteren"),
    "6": ("dieren verzorgen", "tuinonderhoud", "trekker rijden", "oogsten"),
}
GENERAL_SKILLS = (
    "samenwerken",
    "betrouwbaar",
    "nauwkeurig",
    "Nederlands B1",
    "op tijd komen",
    "flexibel",
    "zelfstandig werken",
    "Engels",
)
# Desired occupations by education (ISCO-08 major groups and weights).
WISH_BY_EDU = {
    "low": (("9", 0.4), ("5", 0.3), ("8", 0.15), ("7", 0.1), ("4", 0.05)),
    "mid": (("5", 0.3), ("4", 0.2), ("7", 0.15), ("8", 0.1), ("3", 0.1), ("9", 0.15)),
    "high": (("2", 0.3), ("3", 0.3), ("4", 0.25), ("5", 0.15)),
}


class Labour:
    def __init__(self, b: Builder) -> None:
        self.b = b
        self.codes, self.labels, self.esco = load_occupations()
        self.major = np.asarray([c[0] for c in self.codes])
        self.sub = np.asarray([c[:2] for c in self.codes])

    def employers(self) -> Columns:
        g = self.b.rng(20)
        n = max(15, self.b.n_clients // 14)
        letters = np.asarray(list(SECTORS))
        w = np.asarray([v[0] for v in SECTORS.values()])
        sector = letters[g.choice(len(letters), size=n, p=w / w.sum())]
        size = g.choice(4, size=n, p=[0.55, 0.3, 0.11, 0.04])
        family = np.asarray(DUTCH_FAMILY, dtype=object)[g.integers(0, len(DUTCH_FAMILY), n)]
        pattern_pick = g.integers(0, 4, n)
        names = np.empty(n, dtype=object)
        for i in range(n):
            patterns = NAME_PATTERNS.get(
                sector[i], ("{f} B.V.", "{f} & Zn.", "Van {f} Diensten", "{f} Groep")
            )
            names[i] = patterns[pattern_pick[i]].format(
                f=family[i].replace("de ", "De ").replace("van ", "Van ")
            )
        self.sector = sector
        self.size = size
        self.n_employers = n
        # Larger employers take on more candidates.
        self.employer_weight = np.asarray([1.0, 3.0, 8.0, 20.0])[size]
        postcodes = np.asarray(self.b.postcodes)[g.integers(0, len(self.b.postcodes), n)]
        return {
            "employer_id": ids("W", n, 6),
            "name": names,
            "sector": sector.astype(object),
            "size_class": np.asarray(["1-9", "10-49", "50-249", "250+"], dtype=object)[size],
            "postcode4": postcodes.astype(str).astype(object),
        }

    def occupation_for(self, g: np.random.Generator, employer: np.ndarray) -> np.ndarray:
        """Index into the occupation list, fitting the employer's sector."""
        out = np.zeros(len(employer), dtype=np.int64)
        for letter, (_, subs) in SECTORS.items():
            sel = np.flatnonzero(self.sector[employer] == letter)
            options = np.flatnonzero(np.isin(self.sub, subs))
            out[sel] = options[g.integers(0, len(options), len(sel))]
        return out

    def placements_and_vacancies(self) -> tuple[Columns, Columns]:
        b = self.b
        g = b.rng(21)
        pl = b._mapped(b.sim.engine.rec.table("placements"))
        kind = pl["kind"]
        start, end, person = pl["start_day"], pl["end_day"], pl["person"]
        work = self._work_exit_placements(g)
        kind = np.concatenate([kind, np.full(len(work["person"]), 5)])
        start = np.concatenate([start, work["start"]])
        end = np.concatenate([end, work["end"]])
        person = np.concatenate([person, work["person"]])
        contract_w = np.concatenate([np.full(len(pl["person"]), -1), work["contract"]])
        keep = (start < b.w.end_day) & ((end == MISSING) | (end > b.w.start_day))
        kind, start, end, person, contract_w = (
            kind[keep],
            start[keep],
            end[keep],
            person[keep],
            contract_w[keep],
        )
        end = np.where((end != MISSING) & (end >= b.w.end_day), MISSING, end)
        order = np.lexsort((kind, start, person))
        kind, start, end, person, contract_w = (x[order] for x in (kind, start, end, person, contract_w))
        n = len(kind)
        dgr = b.people.dgr[person] == 1
        contract = _contracts(g, kind, dgr, contract_w)
        subsidy = np.select([kind == 2, kind == 3], ["proefplaatsing", "lks"], "geen").astype(object)
        subsidy[(kind == 5) & (g.random(n) < 0.05)] = "plaatsingssubsidie"
        hours = np.select(
            [kind == 1, kind == 2, kind == 3],
            [g.integers(2, 7, n) * 4, g.integers(6, 10, n) * 4, g.integers(5, 9, n) * 4],
            g.integers(6, 10, n) * 4,
        )
        wv = np.where(kind == 3, g.integers(30, 81, n), np.where(dgr, g.integers(40, 90, n), 100))
        employer = g.choice(self.n_employers, size=n, p=self.employer_weight / self.employer_weight.sum())
        with_vacancy = g.random(n) < np.where(kind == 1, 0.3, 0.7)
        vac = self._vacancies(g, employer, start, with_vacancy)
        vacancy_id = np.full(n, "", dtype=object)
        vacancy_id[with_vacancy] = vac["vacancy_id"][: int(with_vacancy.sum())]
        table = {
            "placement_id": ids("P", n),
            "client_id": b.client_ids[person],
            "employer_id": ids("W", self.n_employers, 6)[employer],
            "vacancy_id": vacancy_id,
            "start_date": iso(start),
            "end_date": iso(end),
            "hours_per_week": text_int(hours),
            "contract": contract,
            "subsidy": subsidy,
            "wage_value_pct": text_int(wv),
        }
        return table, vac

    def _work_exit_placements(self, g: np.random.Generator) -> dict[str, np.ndarray]:
        """Half of the exits to work are placements the WSP registered (the job itself)."""
        b = self.b
        x = b.exits
        sel = (
            (x["reason"] == p.WERK)
            & ~x["lks_job"].astype(bool)
            & (x["end_day"] >= b.w.start_day)
            & (x["end_day"] < b.w.end_day)
            & (g.random(len(x["person"])) < 0.5)
        )
        person, start = x["person"][sel], x["end_day"][sel]
        back = _next_start(b.pw_benefits["person"], b.pw_benefits["start_day"], person, start)
        n = len(person)
        returns = back < 10**8
        contract = np.where(
            returns, g.choice([1, 4], size=n, p=[0.5, 0.5]), g.choice([0, 1, 4], size=n, p=[0.3, 0.45, 0.25])
        )
        temp_end = start + g.integers(90, 540, n)
        end = np.where(
            returns,
            np.maximum(back - g.integers(0, 21, n), start + 1),
            np.where((contract != 0) & (g.random(n) < 0.5), temp_end, MISSING),
        )
        return {"person": person, "start": start, "end": end, "contract": contract}

    def _vacancies(
        self, g: np.random.Generator, employer: np.ndarray, start: np.ndarray, filled: np.ndarray
    ) -> Columns:
        """Vacancies filled by placements, then open or unfilled ones through the window."""
        b = self.b
        f_emp = employer[filled]
        f_open = start[filled] - g.integers(20, 90, len(f_emp))
        f_close = np.maximum(start[filled] - g.integers(1, 15, len(f_emp)), f_open + 1)
        n_other = max(10, int(len(f_emp) * 1.5))
        o_emp = g.choice(self.n_employers, size=n_other, p=self.employer_weight / self.employer_weight.sum())
        o_open = g.integers(b.w.start_day, b.w.end_day - 1, n_other)
        o_close = o_open + g.integers(14, 120, n_other)
        o_close = np.where(o_close >= b.w.end_day, MISSING, o_close)
        emp = np.concatenate([f_emp, o_emp])
        open_day = np.concatenate([f_open, o_open])
        close_day = np.concatenate([f_close, o_close])
        occ = self.occupation_for(g, emp)
        n = len(emp)
        pick = g.integers(0, 8, n)
        titles = np.asarray(
            [
                self.esco[o][k % len(self.esco[o])] if self.esco[o] else self.labels[o]
                for o, k in zip(occ, pick, strict=True)
            ],
            dtype=object,
        )
        skills = _skill_lists(g, self.major[occ].astype(str))
        return {
            "vacancy_id": ids("V", n),
            "employer_id": ids("W", self.n_employers, 6)[emp],
            "title": titles,
            "occupation_code": self.codes[occ],
            "hours_per_week": text_int(g.integers(4, 11, n) * 4),
            "open_date": iso(open_day),
            "close_date": iso(close_day),
            "skills": skills,
        }

    def client_profiles(self, latest_group: np.ndarray) -> Columns:
        """Profiles of pw clients who are (or were) working towards a job."""
        b = self.b
        g = b.rng(22)
        pe = b.people
        who = np.flatnonzero((np.arange(pe.n) < pe.n_pw) & (latest_group != 3))
        edu = pe.edu[who]
        level = np.where((edu <= 2) | (edu == 6), 0, np.where(edu == 3, 1, 2))
        n = len(who)
        wishes = np.zeros((n, 3), dtype=np.int64)  # occupation indices
        majors = np.empty((n, 3), dtype=object)
        for lvl, options in enumerate(WISH_BY_EDU.values()):
            rows = np.flatnonzero(level == lvl)
            names = np.asarray([o[0] for o in options], dtype=object)
            w = np.asarray([o[1] for o in options])
            majors[rows] = names[g.choice(len(names), size=(len(rows), 3), p=w / w.sum())]
        for major in np.unique(majors.astype(str)):
            options = np.flatnonzero(self.major == major)
            sel = majors == major
            wishes[sel] = options[g.integers(0, len(options), int(sel.sum()))]
        count = g.integers(1, 4, n)
        codes = self.codes[wishes]
        occupations = np.asarray(
            [";".join(dict.fromkeys(codes[i, : count[i]])) for i in range(n)], dtype=object
        )
        single_parent = pe.hh[who] == 1
        hours = np.where(single_parent | (pe.dgr[who] == 1), g.integers(2, 7, n), g.integers(4, 11, n)) * 4
        travel = np.where(g.random(n) < 0.3, g.integers(3, 11, n), g.integers(10, 46, n))
        return {
            "client_id": b.client_ids[who],
            "desired_occupations": occupations,
            "skills": _skill_lists(g, majors[:, 0].astype(str)),
            "hours_available": text_int(hours),
            "max_travel_km": text_int(travel),
        }


def _skill_lists(g: np.random.Generator, majors: np.ndarray) -> np.ndarray:
    """';'-separated skills: one to three of the occupation's own, one or two general ones."""
    n = len(majors)
    own_k, general_k = g.integers(1, 4, n), g.integers(1, 3, n)
    own_pick, general_pick = g.integers(0, 2**31, (n, 3)), g.integers(0, 2**31, (n, 2))
    out = np.empty(n, dtype=object)
    for i in range(n):
        pool = SKILLS.get(majors[i], GENERAL_SKILLS)
        items = [pool[own_pick[i, j] % len(pool)] for j in range(own_k[i])]
        items += [GENERAL_SKILLS[general_pick[i, j] % len(GENERAL_SKILLS)] for j in range(general_k[i])]
        out[i] = ";".join(dict.fromkeys(items))
    return out


def _contracts(
    g: np.random.Generator, kind: np.ndarray, dgr: np.ndarray, work_contract: np.ndarray
) -> np.ndarray:
    names = np.asarray(["vast", "tijdelijk", "proefplaatsing", "detachering", "uitzend"], dtype=object)
    n = len(kind)
    part_time = np.where(
        dgr & (g.random(n) < 0.5), 3, g.choice([0, 1, 4, 3], size=n, p=[0.15, 0.45, 0.3, 0.1])
    )
    lks = g.choice([0, 1], size=n, p=[0.35, 0.65])
    code = np.select(
        [kind == 1, kind == 2, (kind == 3) | (kind == 4), kind == 5],
        [part_time, 2, lks, np.maximum(work_contract, 0)],
        1,
    )
    return names[code]
