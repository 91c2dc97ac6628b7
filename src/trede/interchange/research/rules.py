"""The rules of the pseudonymised research export, as plain functions (no Django).

- `Pseudonymiser`: keyed pseudonyms, HMAC-SHA256 under a fresh random key per export that
  is never stored, so the same id gets the same pseudonym in every file of one export and
  a different one in the next export.
- `birth_value`: the birth year, or a 5- or 10-year band when the k-anonymity check asks.
- `published_postcodes`: the postcode4 areas that hold at least k records.
- `k_anonymity`: per combination of quasi-identifiers, the number of equivalence classes,
  the smallest class and the records in classes smaller than k.
- `choose_level`: the first level of the generalisation ladder that meets the target.
- `spells` and `landmark_rows`: the table the effects engine reads (decision 83).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from trede.utils.dates import add_months

OTHER_POSTCODE = "overig"
UNKNOWN = "onbekend"
# The covariates of effects_table.csv that `trede effects table --covariates` is given.
EFFECTS_COVARIATES = (
    "birth_year",
    "gender",
    "household",
    "education",
    "dutch_language",
    "statushouder",
    "dgr",
    "regulation",
    "spell_start_year",
    "ladder_step",
)
PSEUDONYM_HEX = 16  # 64 bits: no collision in practice; one is refused, not ignored


class PseudonymCollision(Exception):
    """Two different ids got the same pseudonym (not expected below billions of ids)."""


class Pseudonymiser:
    """Keyed pseudonyms for one export. The key lives only in this object."""

    def __init__(self, key: bytes | None = None):
        self._key = key if key is not None else secrets.token_bytes(32)
        self._seen: dict[tuple[str, str], str] = {}
        self._taken: dict[str, tuple[str, str]] = {}

    def __call__(self, kind: str, value) -> str:
        """The pseudonym of `value` as an id of `kind` ('' stays '')."""
        if value is None or value == "":
            return ""
        text = str(value)
        known = self._seen.get((kind, text))
        if known is not None:
            return known
        digest = hmac.new(self._key, f"{kind}\x1f{text}".encode(), hashlib.sha256).hexdigest()
        pseudonym = f"{kind}-{digest[:PSEUDONYM_HEX]}"
        if pseudonym in self._taken:
            raise PseudonymCollision(kind)
        self._seen[(kind, text)] = pseudonym
        self._taken[pseudonym] = (kind, text)
        return pseudonym

    def forget(self) -> None:
        """Drop the key and the table of pseudonyms once the export is written."""
        self._key = b""
        self._seen.clear()
        self._taken.clear()


def birth_value(birth: date | None, band_years: int) -> str:
    """The published birth: the year (band 1), or the band `1980-1984` aligned on multiples."""
    if birth is None:
        return ""
    if band_years <= 1:
        return str(birth.year)
    low = birth.year - birth.year % band_years
    return f"{low}-{low + band_years - 1}"


def published_postcodes(postcodes: Iterable[str], k: int) -> set[str]:
    """The postcode4 values shared by at least k records (empty values are not counted)."""
    counts = Counter(p for p in postcodes if p)
    return {p for p, n in counts.items() if n >= k}


def shown_postcode(postcode: str, published: set[str]) -> str:
    if not postcode:
        return ""
    return postcode if postcode in published else OTHER_POSTCODE


@dataclass(frozen=True)
class Combination:
    quasi_identifiers: tuple[str, ...]
    classes: int
    smallest_class: int
    classes_below_k: int
    records_below_k: int
    records: int

    @property
    def share_below_k(self) -> float:
        return self.records_below_k / self.records if self.records else 0.0


def class_sizes(records: Sequence[Mapping[str, str]], columns: Sequence[str]) -> Counter:
    return Counter(tuple(r[c] for c in columns) for r in records)


def k_anonymity(records: Sequence[Mapping[str, str]], quasi: Sequence[str], k: int) -> list[Combination]:
    """Every non-empty combination of the quasi-identifiers, fewest columns first."""
    return [
        k_anonymity_full(records, columns, k)
        for size in range(1, len(quasi) + 1)
        for columns in combinations(quasi, size)
    ]


def k_anonymity_full(records: Sequence[Mapping[str, str]], quasi: Sequence[str], k: int) -> Combination:
    """The combination of all quasi-identifiers together (the last of `k_anonymity`)."""
    sizes = class_sizes(records, quasi)
    below = [n for n in sizes.values() if n < k]
    return Combination(
        quasi_identifiers=tuple(quasi),
        classes=len(sizes),
        smallest_class=min(sizes.values()) if sizes else 0,
        classes_below_k=len(below),
        records_below_k=sum(below),
        records=len(records),
    )


@dataclass(frozen=True)
class Level:
    """One step of the generalisation ladder."""

    birth_band_years: int
    postcode: bool  # False: postcode4 is not published at all (every value 'overig')

    @property
    def label(self) -> str:
        birth = (
            "geboortejaar"
            if self.birth_band_years <= 1
            else f"geboortejaar in klassen van {self.birth_band_years} jaar"
        )
        return f"{birth}, {'postcode4 waar de groep groot genoeg is' if self.postcode else 'geen postcode4'}"


@dataclass(frozen=True)
class LevelOutcome:
    level: Level
    records_below_k: int
    smallest_class: int
    records: int
    meets_target: bool


def ladder(band_years: Sequence[int]) -> list[Level]:
    """Birth year, then the wider bands, then the same without postcode4."""
    levels = [Level(b, True) for b in band_years]
    return levels + [Level(band_years[-1], False)]


def choose_level(
    evaluate, levels: Sequence[Level], *, max_share_below_k: float
) -> tuple[Level, list[LevelOutcome]]:
    """The first level whose full combination of quasi-identifiers leaves at most
    `max_share_below_k` of the records in classes below k; the last level when none does.

    `evaluate(level)` returns the full-combination `Combination` at that level.
    """
    trail = []
    for level in levels:
        full = evaluate(level)
        meets = full.records == 0 or full.share_below_k <= max_share_below_k
        trail.append(LevelOutcome(level, full.records_below_k, full.smallest_class, full.records, meets))
        if meets:
            return level, trail
    return levels[-1], trail


# --------------------------------------------------------------------------- effects table


@dataclass(frozen=True)
class BenefitRow:
    client_id: str
    regulation: str
    start: date
    end: date | None
    end_reason: str


@dataclass(frozen=True)
class Spell:
    client_id: str
    start: date
    end: date | None  # first day without benefit; None: ongoing
    end_reason: str  # of the benefit that ends last
    regulation: str  # of the first benefit of the spell


def spells(benefits: Iterable[BenefitRow]) -> list[Spell]:
    """Benefits of one client whose ranges overlap or touch form one spell (interchange.md)."""
    by_client: dict[str, list[BenefitRow]] = {}
    for b in benefits:
        by_client.setdefault(b.client_id, []).append(b)
    out = []
    for client_id in sorted(by_client):
        rows = sorted(by_client[client_id], key=lambda b: (b.start, b.end or date.max))
        current = None
        for b in rows:
            if current is not None and (current["end"] is None or b.start <= current["end"]):
                if current["end"] is not None and (b.end is None or b.end >= current["end"]):
                    current["end"], current["reason"] = b.end, b.end_reason
                continue
            if current is not None:
                out.append(_spell(client_id, current))
            current = {"start": b.start, "end": b.end, "reason": b.end_reason, "regulation": b.regulation}
        if current is not None:
            out.append(_spell(client_id, current))
    return out


def _spell(client_id: str, c: dict) -> Spell:
    return Spell(client_id, c["start"], c["end"], c["reason"] if c["end"] else "", c["regulation"])


@dataclass(frozen=True)
class LandmarkRow:
    client_id: str
    spell_start: date
    landmark: date
    treated: int
    outcome: int


def landmark_rows(
    spell_list: Iterable[Spell],
    trajectory_starts: Mapping[str, Sequence[date]],
    *,
    window_months: int,
    horizon_months: int,
    until: date,
) -> list[LandmarkRow]:
    """A landmark design (decision 83): per spell still on benefit `window_months` after its
    start (the landmark L), treated = a trajectory started in [start, L), outcome = the
    spell ends with reason `werk` before L + `horizon_months`. Spells whose outcome window
    does not end by `until` (exclusive end of the observed data) are left out."""
    out = []
    for s in spell_list:
        landmark = add_months(s.start, window_months)
        if s.end is not None and s.end <= landmark:
            continue
        if add_months(landmark, horizon_months) > until:
            continue
        treated = any(s.start <= d < landmark for d in trajectory_starts.get(s.client_id, ()))
        outcome = (
            s.end is not None and s.end_reason == "werk" and s.end < add_months(landmark, horizon_months)
        )
        out.append(LandmarkRow(s.client_id, s.start, landmark, int(treated), int(outcome)))
    return out
