"""A typed job title to an ISCO-08 occupation, through the ESCO labels and synonyms.

Pure (no Django, no database): the vacancy form and the tests call the same thing. The
ESCO occupations (`data/esco_occupations_nl.csv`, see data/README.md for the source and its
attribution) each name one ISCO-08 unit group; a title is compared with every preferred
and alternative Dutch label, without case, accents or punctuation. Exact label first, then
a label that starts with the title, then one holding it as whole words, then one whose
words start with the title's words; shorter labels first within a kind, so "kok" finds
"kok" before "kok in een ziekenhuis".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .rules import isco_labels

_WORD = re.compile(r"[0-9a-z]+")
MAX_SUGGESTIONS = 8
# Kinds of match, best first (lower is better).
EXACT, PREFIX, WORDS, WORD_PREFIXES = range(4)


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(plain))


@dataclass(frozen=True)
class Occupation:
    esco_uri: str
    label: str  # the ESCO occupation's preferred Dutch label
    isco_code: str
    matched: str = ""  # the label or synonym the title matched

    @property
    def isco_label(self) -> str:
        return isco_labels().get(self.isco_code, "")

    @property
    def isco_name(self) -> str:
        """The ISCO-08 unit group as users see it: label with code, never the code alone."""
        label = self.isco_label
        return f"{label} ({self.isco_code})" if label else f"beroepscode {self.isco_code}"

    @property
    def choice_value(self) -> str:
        return f"{self.isco_code}|{self.esco_uri}"


@cache
def _occupations() -> tuple[tuple[Occupation, tuple[tuple[str, str], ...]], ...]:
    text = (
        resources.files("trede.employers.matching")
        .joinpath("data/esco_occupations_nl.csv")
        .read_text(encoding="utf-8")
    )
    out = []
    for row in csv.DictReader(text.splitlines()):
        code = (row["isco_code"] or "").strip()
        if len(code) != 4 or not code.isdigit():
            continue
        terms = [row["label_nl"], *(t for t in (row["alt_labels_nl"] or "").split(";"))]
        seen: dict[str, str] = {}
        for term in terms:
            key = normalise(term)
            if key:
                seen.setdefault(key, term.strip())
        out.append((Occupation(row["esco_uri"], row["label_nl"].strip(), code), tuple(seen.items())))
    return tuple(out)


def _kind(query: str, words: list[str], key: str) -> int | None:
    if key == query:
        return EXACT
    if key.startswith(query + " ") or key.startswith(query):
        return PREFIX
    padded = f" {key} "
    if f" {query} " in padded:
        return WORDS
    key_words = key.split()
    if all(any(k.startswith(w) for k in key_words) for w in words):
        return WORD_PREFIXES
    return None


def search(title: str, limit: int = MAX_SUGGESTIONS) -> list[Occupation]:
    """The ESCO occupations a job title may mean, best first (at most `limit`)."""
    query = normalise(title)
    if len(query) < 2:
        return []
    words = query.split()
    found = []
    for occupation, terms in _occupations():
        best = None
        for key, shown in terms:
            kind = _kind(query, words, key)
            if kind is not None and (best is None or (kind, len(key)) < best[:2]):
                best = (kind, len(key), shown)
        if best is not None:
            found.append((best[0], best[1], occupation.label, occupation, best[2]))
    found.sort(key=lambda item: item[:3])
    return [Occupation(o.esco_uri, o.label, o.isco_code, matched=shown) for *_k, o, shown in found[:limit]]


def by_uri(esco_uri: str) -> Occupation | None:
    for occupation, _terms in _occupations():
        if occupation.esco_uri == esco_uri:
            return occupation
    return None


def best(title: str) -> Occupation | None:
    """The occupation a title names exactly (a label or synonym), else None."""
    hits = search(title, limit=2)
    if hits and normalise(hits[0].matched) == normalise(title):
        return hits[0]
    return None
