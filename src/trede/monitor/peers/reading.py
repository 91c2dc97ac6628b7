"""Reading a file of reference figures, without touching the database (decision 78).

Two layouts, told apart by the header:

- long (one line per municipality and year): `gemeente`, `jaar` and at least one figure
  of `inwoners`, `uitkeringen`, `per_1000_inwoners`, `uitstroom_naar_werk`;
- wide (seed 003's G10 table): `gemeente` and one column per year (`2014`, `2015`, ...)
  holding the benefits per 1,000 inhabitants.

Every problem is collected with its line (the header is line 1), in Dutch, so a file is
fixed in one go; the checks on the bytes themselves (Excel, UTF-16, not UTF-8, control
characters, an open quote) are the interchange import's (`csv_records_read`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from trede.interchange.reading import Problem, csv_records_read, parse_decimal, shown

from . import rates

YEAR_MIN = 1990
YEAR_MAX = 2100
POPULATION_MAX = 10_000_000
MAX_ROWS = 50_000
# A rate per 1,000 given beside inhabitants and benefits may differ from theirs by rounding.
RATE_TOLERANCE = Decimal("0.1")

# The long layout's columns, written once: the page, the docs and the reader use these.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("gemeente", "naam van de gemeente (verplicht)"),
    ("jaar", "het jaar, bv. 2018 (verplicht)"),
    ("inwoners", "aantal inwoners in dat jaar (geheel getal)"),
    ("uitkeringen", "aantal bijstandsuitkeringen (geheel getal)"),
    ("per_1000_inwoners", 'uitkeringen per 1.000 inwoners, bv. 31.2 of "31,2"'),
    ("uitstroom_naar_werk", "aantal uitstromers naar werk in dat jaar (geheel getal)"),
)
FIGURE_COLUMNS = ("inwoners", "uitkeringen", "per_1000_inwoners", "uitstroom_naar_werk")
LONG, WIDE = "lang", "breed"

_WHOLE_RE = re.compile(r"\d+", re.ASCII)
_YEAR_RE = re.compile(r"\d{4}", re.ASCII)


@dataclass(frozen=True)
class PeerRow:
    line: int
    name: str
    year: int
    population: int | None = None
    benefits: int | None = None
    per_1000: Decimal | None = None
    outflow_to_work: int | None = None


@dataclass
class PeerReading:
    filename: str
    layout: str = ""
    rows: list[PeerRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def municipalities(self) -> int:
        return len({row.name.casefold() for row in self.rows})


def name_key(name: str) -> str:
    """Names compare without case and extra spaces ('Den  haag' is Den Haag)."""
    return " ".join(name.split()).casefold()


def _name(text: str) -> str:
    return " ".join(text.split())


def _whole(text: str, column: str, low: int, high: int, add) -> int | None:
    if not _WHOLE_RE.fullmatch(text):
        add(f"{column}: {shown(text)} is geen geheel getal (schrijf het zonder punt of spatie)")
        return None
    value = int(text)
    if not low <= value <= high:
        add(f"{column}: {value} ligt niet tussen {low} en {high}")
        return None
    return value


def _rate(text: str, column: str, add) -> Decimal | None:
    if "," in text and "." not in text:
        text = text.replace(",", ".", 1)
    value = parse_decimal(text)
    if value is None:
        add(f"{column}: {shown(text)} is geen getal")
        return None
    if not Decimal(0) <= value <= Decimal(1000):
        add(f"{column}: {shown(text)} ligt niet tussen 0 en 1000")
        return None
    if value != value.quantize(Decimal("0.01")):
        add(f"{column}: {shown(text)} heeft meer dan twee decimalen")
        return None
    return value


def peers_read(raw: BinaryIO, filename: str) -> PeerReading:
    reading = PeerReading(filename=filename)

    def report(line: int, message: str) -> None:
        reading.problems.append(Problem(filename, line, message))

    records = csv_records_read(raw, report)
    if not records:
        if not reading.problems:
            report(1, "het bestand is leeg")
        return reading
    _line, header = records[0]
    header = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
    while header and not header[-1]:  # a trailing separator
        header.pop()
    if "gemeente" not in header:
        report(1, "verplichte kolom 'gemeente' ontbreekt")
        return reading
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in seen:
            report(1, f"kolom '{name}' staat twee keer in de kopregel")
        seen.setdefault(name, index)
    if "jaar" in header:
        reading.layout = LONG
        known = {name for name, _ in COLUMNS}
        for name in header:
            if name not in known:
                report(1, f"onbekende kolom '{name}'; bekend zijn: {', '.join(sorted(known))}")
        if not any(name in seen for name in FIGURE_COLUMNS):
            report(1, f"geen kolom met cijfers; geef ten minste een van: {', '.join(FIGURE_COLUMNS)}")
    else:
        reading.layout = WIDE
        for name in header:
            if name == "gemeente":
                continue
            if not _YEAR_RE.fullmatch(name) or not YEAR_MIN <= int(name) <= YEAR_MAX:
                report(
                    1,
                    f"kolom '{name}' is geen jaar; een bestand zonder kolom 'jaar' heeft per jaar een "
                    "kolom (bv. 2018) met de uitkeringen per 1.000 inwoners",
                )
        if len(seen) == 1:
            report(1, "geen kolom met een jaar (bv. 2018) en geen kolom 'jaar'")
    if reading.problems:
        return reading
    if len(records) - 1 > MAX_ROWS:
        report(MAX_ROWS + 2, f"het bestand heeft meer dan {MAX_ROWS} regels")
        return reading

    first_seen: dict[tuple[str, int], int] = {}
    for line, cells in records[1:]:
        if not cells or all(not c.strip() for c in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in seen.items()}
        problems: list[str] = []
        name = _name(values["gemeente"])
        if not name:
            problems.append("gemeente: verplicht veld is leeg")
        elif len(name) > 100:
            problems.append(f"gemeente: {shown(name)} is langer dan 100 tekens")
        if reading.layout == LONG:
            found = [_long_row(line, name, values, problems.append)]
        else:
            found = _wide_rows(line, name, values, problems.append)
        for row in found:
            if row is None or problems:
                continue
            key = (name_key(row.name), row.year)
            if key in first_seen:
                problems.append(
                    f"{row.name} {row.year} staat twee keer in het bestand (ook op regel {first_seen[key]})"
                )
                continue
            first_seen[key] = line
            reading.rows.append(row)
        for message in problems:
            report(line, message)
    if not reading.problems and not reading.rows:
        report(2, "het bestand bevat geen cijfers")
    return reading


def _long_row(line: int, name: str, values: dict[str, str], add) -> PeerRow | None:
    before = []

    def note(message: str) -> None:
        before.append(message)
        add(message)

    year = _whole(values["jaar"], "jaar", YEAR_MIN, YEAR_MAX, note) if values["jaar"] else None
    if not values["jaar"]:
        note("jaar: verplicht veld is leeg")
    population = benefits = outflow = None
    rate = None
    if values.get("inwoners"):
        population = _whole(values["inwoners"], "inwoners", 1, POPULATION_MAX, note)
    if values.get("uitkeringen"):
        benefits = _whole(values["uitkeringen"], "uitkeringen", 0, POPULATION_MAX, note)
    if values.get("per_1000_inwoners"):
        rate = _rate(values["per_1000_inwoners"], "per_1000_inwoners", note)
    if values.get("uitstroom_naar_werk"):
        outflow = _whole(values["uitstroom_naar_werk"], "uitstroom_naar_werk", 0, POPULATION_MAX, note)
    if before:
        return None
    if rate is None and (population is None or benefits is None):
        add("geef per_1000_inwoners, of inwoners en uitkeringen (daaruit volgt het aantal per 1.000)")
        return None
    if population is not None and benefits is not None:
        if benefits > population:
            add(f"uitkeringen {benefits} is meer dan inwoners {population}")
            return None
        if rate is not None:
            computed = rates.per_1000(benefits, population)
            if abs(computed - rate) > RATE_TOLERANCE:
                add(
                    f"per_1000_inwoners {_dutch(rate)} past niet bij uitkeringen / inwoners × 1.000 = "
                    f"{_dutch(computed)}"
                )
                return None
    if outflow is not None and benefits is None and population is None:
        add("uitstroom_naar_werk heeft uitkeringen (of inwoners) nodig om er een percentage van te maken")
        return None
    return PeerRow(line, name, year, population, benefits, rate, outflow)


def _wide_rows(line: int, name: str, values: dict[str, str], add) -> list[PeerRow | None]:
    rows: list[PeerRow | None] = []
    for column, text in values.items():
        if column == "gemeente" or not text:
            continue
        rate = _rate(text, column, add)
        rows.append(None if rate is None else PeerRow(line, name, int(column), per_1000=rate))
    if not rows and name:
        add("geen enkel cijfer op deze regel")
    return rows


def _dutch(value: Decimal) -> str:
    return f"{value:f}".replace(".", ",")
