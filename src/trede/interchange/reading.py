"""Reading and validating an interchange folder, without touching the database.

Every problem is collected (not just the first), each tied to `file:line`, so that a
municipality can fix an export in one go. Line numbers are physical lines in the file,
the header being line 1.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from trede.clients.validators import bsn_is_valid

from .schema import DATE_ORDER, FILES, Column, FileSpec

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    filename: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        location = f"{self.filename}:{self.line}" if self.line else self.filename
        prefix = "waarschuwing: " if self.warning else ""
        return f"{location}: {prefix}{self.message}"


@dataclass
class ParsedRow:
    line: int
    values: dict  # model attribute -> python value


@dataclass
class ParsedFile:
    spec: FileSpec
    rows: list[ParsedRow] = field(default_factory=list)
    present_columns: frozenset[str] = frozenset()

    @property
    def ids(self) -> set[str]:
        key = self.spec.column(self.spec.id_column).model_attr
        return {row.values[key] for row in self.rows if row.values.get(key)}


@dataclass
class FolderReading:
    files: dict[str, ParsedFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    def row_count(self) -> int:
        return sum(len(f.rows) for f in self.files.values())


def parse_date(text: str) -> date | None:
    if not _DATE_RE.match(text):
        return None
    try:
        return date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None


def parse_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _convert(column: Column, text: str, add: Callable[[str], None]):
    """The python value of one non-empty cell, or None after reporting why not."""
    kind = column.kind
    if kind in ("id", "ref", "soft_ref", "text"):
        return text
    if kind == "list":
        return [part.strip() for part in text.split(";") if part.strip()]
    if kind == "code":
        if text not in column.codes:
            add(f"{column.name}: onbekende code '{text}' (toegestaan: {', '.join(column.codes)})")
            return None
        return text
    if kind == "date":
        value = parse_date(text)
        if value is None:
            add(f"{column.name}: '{text}' is geen bestaande datum in de vorm JJJJ-MM-DD")
        return value
    if kind == "bool01":
        if text not in ("0", "1"):
            add(f"{column.name}: '{text}' moet 0 of 1 zijn")
            return None
        return text == "1"
    if kind == "bsn":
        if not bsn_is_valid(text):
            add(f"bsn: '{text}' is geen geldig BSN (9 cijfers en de 11-proef)")
            return None
        return text
    if kind in ("int", "decimal"):
        value = parse_decimal(text)
        if value is None:
            add(f"{column.name}: '{text}' is geen getal")
            return None
        if kind == "int":
            if value != value.to_integral_value():
                add(f"{column.name}: '{text}' is geen geheel getal")
                return None
            value = int(value)
        if (column.low is not None and value < column.low) or (
            column.high is not None and value > column.high
        ):
            add(f"{column.name}: {text} ligt buiten het bereik {column.low}-{column.high}")
            return None
        return value
    raise ValueError(f"unknown column kind {kind}")


def _records(path: Path) -> Iterable[tuple[int, list[str]]]:
    """(first physical line, cells) per CSV record; BOM and CRLF allowed."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        line = 1
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1


def read_file(path: Path, spec: FileSpec, problems: list[Problem], tick: Callable[[int], None] | None = None):
    parsed = ParsedFile(spec)
    name = spec.filename
    try:
        records = iter(_records(path))
        header_line, header = next(records, (1, []))
    except UnicodeDecodeError:
        problems.append(Problem(name, 0, "het bestand is niet in UTF-8 gecodeerd"))
        return parsed
    header = [h.strip().lower() for h in header]
    if not any(header):
        problems.append(Problem(name, 1, "kopregel ontbreekt of is leeg"))
        return parsed
    positions = {}
    for index, column_name in enumerate(header):
        if column_name in positions:
            problems.append(Problem(name, 1, f"kolom '{column_name}' staat twee keer in de kopregel"))
        positions.setdefault(column_name, index)
    parsed.present_columns = frozenset(positions)
    missing_required = [c.name for c in spec.columns if c.required and c.name not in positions]
    for column_name in missing_required:
        problems.append(Problem(name, 1, f"verplichte kolom '{column_name}' ontbreekt"))
    if missing_required:
        return parsed

    id_attr = spec.column(spec.id_column).model_attr
    first_seen: dict[str, int] = {}
    columns = [c for c in spec.all_columns if c.name in positions]
    try:
        for line, cells in records:
            if tick:
                tick(1)
            if not cells or all(not c.strip() for c in cells):
                continue  # blank line
            row_problems: list[str] = []
            values: dict = {}
            for column in columns:
                index = positions[column.name]
                text = cells[index].strip() if index < len(cells) else ""
                if not text:
                    if column.required:
                        row_problems.append(f"{column.name}: verplicht veld is leeg")
                    values[column.model_attr] = _empty(column)
                    continue
                values[column.model_attr] = _convert(column, text, row_problems.append)
            for column in spec.all_columns:
                if column.name not in positions:
                    values[column.model_attr] = _empty(column)
            _check_row_rules(spec, values, row_problems)
            row_id = values.get(id_attr)
            if row_id:
                if row_id in first_seen:
                    row_problems.append(
                        f"{spec.id_column} '{row_id}' komt twee keer voor (ook op regel {first_seen[row_id]})"
                    )
                else:
                    first_seen[row_id] = line
            for message in row_problems:
                problems.append(Problem(name, line, message))
            parsed.rows.append(ParsedRow(line, values))
    except UnicodeDecodeError:
        problems.append(Problem(name, 0, "het bestand is niet in UTF-8 gecodeerd"))
    except csv.Error as exc:
        problems.append(Problem(name, 0, f"het bestand is geen geldige CSV: {exc}"))
    return parsed


def _empty(column: Column):
    if column.kind == "list":
        return []
    if column.kind in ("text", "code", "bsn"):
        return ""
    return None


def _check_row_rules(spec: FileSpec, values: dict, row_problems: list[str]) -> None:
    for start_name, end_name in DATE_ORDER.get(spec.filename, ()):
        start, end = values.get(start_name), values.get(end_name)
        if start and end and end < start:
            row_problems.append(f"{end_name} {end.isoformat()} ligt voor {start_name} {start.isoformat()}")
    if spec.filename == "benefits.csv" and values.get("end_date") and not values.get("end_reason"):
        # end_reason is required exactly when the benefit has ended.
        row_problems.append("end_reason: verplicht wanneer end_date is ingevuld")


def read_folder(folder: Path, tick: Callable[[int], None] | None = None) -> FolderReading:
    reading = FolderReading()
    for spec in FILES:
        path = folder / spec.filename
        if not path.is_file():
            if spec.required_file:
                reading.problems.append(Problem(spec.filename, 0, "bestand ontbreekt (verplicht)"))
            continue
        reading.files[spec.filename] = read_file(path, spec, reading.problems, tick)
    return reading


def count_lines(folder: Path) -> int:
    """A cheap total for the progress bar: data lines in all known files."""
    total = 0
    for spec in FILES:
        path = folder / spec.filename
        if path.is_file():
            with path.open("rb") as handle:
                total += max(sum(buf.count(b"\n") for buf in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)
    return total


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
