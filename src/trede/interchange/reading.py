"""Reading and validating an interchange folder, without touching the database.

Every problem is collected (not just the first), each tied to `file:line`, so that a
municipality can fix an export in one go. Line numbers are physical lines in the file,
the header being line 1.

The file may come from anywhere (a sloppy export, a file saved by hand in Excel, an
attacker), so reading never trusts it: bytes that are not UTF-8, control characters, a
quote that never closes, a line or field too long, and numbers the database cannot hold
are each refused with their line, before anything is converted or written. A refusal
costs no more than reading the file once.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from trede.clients.validators import bsn_is_valid

from .schema import DATE_ORDER, FILES, Column, FileSpec, NumberLimits, number_limits

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# Plain decimal notation only: Decimal() would also take '1_000', Arabic-Indic digits,
# 'Infinity' and 'NaN', none of which an export means as a number.
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
# C0 control characters except tab, LF and CR: never text, and refused by XML (so by
# every XLSX export later); NUL is also refused by PostgreSQL.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Bytes that are not UTF-8 arrive as lone surrogates (errors="surrogateescape").
_UNDECODED_RE = re.compile(r"[\udc80-\udcff]")
_LINE_BREAK_RE = re.compile(r"[\r\n\t]")

# A physical line longer than this is refused rather than read into memory; the csv
# module's own limit (131,072 characters) applies to a single field.
MAX_LINE_CHARS = 1_000_000
# Per file and kind of line-level problem; a file saved in the wrong encoding has it on
# thousands of lines, and ten of them make the point.
MAX_LINE_REPORTS = 10
_SAVE_AS_UTF8 = "sla het bestand op als UTF-8 (in Excel: 'CSV UTF-8')"


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
    if not _NUMBER_RE.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond what Decimal represents at all
        return None


def shown(text: str, limit: int = 60) -> str:
    """A cell quoted for a message: cut short, control characters and bad bytes visible."""
    cut = text if len(text) <= limit else text[:limit] + "…"

    def escape(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code - 0xDC00 if code >= 0xDC00 else code:02x}"

    return "'" + re.sub(r"[\x00-\x1f\x7f\udc80-\udcff]", escape, cut) + "'"


def _number(column: Column, limits: NumberLimits, text: str, add, warn):
    value = parse_decimal(text)
    if value is None:
        add(f"{column.name}: {shown(text)} is geen getal")
        return None
    # Compared before anything else: int() or quantize() of a value like 1e10000000
    # builds all its ten million digits, which takes minutes. The margin of one unit
    # lets a value that rounds onto the bound through to the exact check below.
    if not (limits.low - 1 <= value <= limits.high + 1):
        add(f"{column.name}: {shown(text)} ligt buiten het bereik {_range(limits)}")
        return None
    if column.kind == "int":
        if value != value.to_integral_value():
            add(f"{column.name}: {shown(text)} is geen geheel getal")
            return None
        value = int(value)
    else:
        rounded = value.quantize(Decimal(1).scaleb(-limits.places), rounding=ROUND_HALF_UP)
        if rounded != value:
            # The database would round as well, each in its own way (SQLite through a
            # binary float): rounding here stores the same value everywhere, and says so.
            warn(f"{column.name}: {shown(text)} afgerond op {rounded} ({limits.places} decimalen)")
        value = rounded
    if not (limits.low <= value <= limits.high):
        add(f"{column.name}: {shown(text)} ligt buiten het bereik {_range(limits)}")
        return None
    return value


def _range(limits: NumberLimits) -> str:
    return f"{limits.low:f} tot en met {limits.high:f}"


def _convert(column: Column, text: str, add: Callable[[str], None], warn: Callable[[str], None], limits):
    """The python value of one non-empty cell, or None after reporting why not."""
    kind = column.kind
    if kind in ("id", "ref", "soft_ref"):
        if _LINE_BREAK_RE.search(text):
            # Valid CSV inside quotes, but never part of an id: most often a quote left
            # open on an earlier line that swallowed the line break.
            add(f"{column.name}: {shown(text)} bevat een regeleinde of tab")
            return None
        return text
    if kind == "text":
        return text
    if kind == "list":
        return [part.strip() for part in text.split(";") if part.strip()]
    if kind == "code":
        if text not in column.codes:
            add(f"{column.name}: onbekende code {shown(text)} (toegestaan: {', '.join(column.codes)})")
            return None
        return text
    if kind == "date":
        value = parse_date(text)
        if value is None:
            add(f"{column.name}: {shown(text)} is geen bestaande datum in de vorm JJJJ-MM-DD")
        return value
    if kind == "bool01":
        if text not in ("0", "1"):
            add(f"{column.name}: {shown(text)} moet 0 of 1 zijn")
            return None
        return text == "1"
    if kind == "bsn":
        if not bsn_is_valid(text):
            add(f"bsn: {shown(text)} is geen geldig BSN (9 cijfers en de 11-proef)")
            return None
        return text
    if kind in ("int", "decimal"):
        return _number(column, limits, text, add, warn)
    raise ValueError(f"unknown column kind {kind}")


def _plain_id(text: str) -> str | None:
    return None if _LINE_BREAK_RE.search(text) else text


def _plain_code(codes: tuple[str, ...]) -> Callable[[str], str | None]:
    allowed = frozenset(codes)
    return lambda text: text if text in allowed else None


# The cells that are fine, read without the generic `_convert`: a function per kind that
# returns the value, or None for `_convert` to look again and say what is wrong. Numbers
# keep the generic path (their range checks are the careful part).
_PLAIN: dict[str, Callable[[str], object]] = {
    "id": _plain_id,
    "ref": _plain_id,
    "soft_ref": _plain_id,
    "text": lambda text: text,
    "date": parse_date,
    "bool01": {"0": False, "1": True}.get,
}


def _not_text(head: bytes) -> str | None:
    """Why the file's first bytes cannot be UTF-8 CSV, when that is clear from them alone."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return f"het bestand is in UTF-32 gecodeerd; {_SAVE_AS_UTF8}"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return f"het bestand is in UTF-16 gecodeerd; {_SAVE_AS_UTF8}"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "dit is een Excel- of zip-bestand, geen CSV; sla het op als 'CSV UTF-8'"
    first_line = head.split(b"\n", 1)[0]
    if len(first_line) >= 4 and first_line.count(0) * 3 >= len(first_line):
        # UTF-16 without a byte order mark: every other byte of ASCII text is zero.
        return f"het bestand lijkt in UTF-16 gecodeerd; {_SAVE_AS_UTF8}"
    return None


class _Lines:
    """The physical lines of a CSV file, checked for what the csv module passes on.

    Python's csv module accepts NUL and other control characters, and a text file opened
    strictly fails with a UnicodeDecodeError that names no line. Here each line is read
    with its number, a line that is not UTF-8 or holds a control character is reported at
    that number, and a line that would not end is cut off instead of filling memory.
    """

    def __init__(self, handle: io.TextIOBase, report: Callable[[int, str], None]):
        self.handle = handle
        self.report = report
        self.number = 0  # physical lines handed out so far
        self.stopped = False  # reading ended early; what the csv module says next is noise
        self.counts: dict[str, int] = {}
        self.first_unreported: dict[str, int] = {}

    def __iter__(self) -> Iterator[str]:
        while True:
            line = self.handle.readline(MAX_LINE_CHARS + 1)
            if not line:
                return
            self.number += 1
            if len(line) > MAX_LINE_CHARS:
                self.report(
                    self.number,
                    f"regel is langer dan {MAX_LINE_CHARS} tekens; het bestand wordt niet verder gelezen",
                )
                self.stopped = True
                return
            undecoded = _UNDECODED_RE.search(line)
            if undecoded:
                self._once("utf8", self._encoding_message(line, undecoded))
                line = _UNDECODED_RE.sub("\ufffd", line)
            control = _CONTROL_RE.search(line)
            if control:
                code = ord(control.group())
                what = "een NUL-teken (0x00)" if code == 0 else f"het stuurteken 0x{code:02X}"
                self._once("control", f"regel bevat {what}; dat hoort niet in een tekstbestand")
            yield line

    def _encoding_message(self, line: str, undecoded: re.Match) -> str:
        byte = ord(undecoded.group()) - 0xDC00
        guess = ""
        try:
            line.encode("utf-8", "surrogateescape").decode("cp1252")
            guess = "; het lijkt Windows-1252 of Latin-1 (ANSI)"
        except UnicodeDecodeError:
            pass
        return f"regel is geen geldige UTF-8 (byte 0x{byte:02X}){guess}; {_SAVE_AS_UTF8}"

    def _once(self, kind: str, message: str) -> None:
        count = self.counts[kind] = self.counts.get(kind, 0) + 1
        if count <= MAX_LINE_REPORTS:
            self.report(self.number, message)
        elif count == MAX_LINE_REPORTS + 1:
            self.first_unreported[kind] = self.number

    def report_remainder(self) -> None:
        labels = {"utf8": "bytes die geen UTF-8 zijn", "control": "stuurtekens"}
        for kind, line in self.first_unreported.items():
            more = self.counts[kind] - MAX_LINE_REPORTS
            self.report(line, f"nog {more} regel(s) vanaf hier met {labels[kind]} (niet elk apart gemeld)")


def _csv_message(error: csv.Error, start: int, now: int) -> str:
    """A Dutch message for the csv module's (strict) complaint about the record from `start`."""
    text = str(error)
    if "unexpected end of data" in text:
        return f'een aanhalingsteken (") wordt niet afgesloten: het veld loopt door tot het einde van het bestand (regel {now})'
    if "expected after" in text:
        until = f" (het veld loopt door tot regel {now})" if now > start else ""
        return (
            f'na een afsluitend aanhalingsteken (") volgt geen komma of regeleinde{until}; staat hier een '
            'aanhalingsteken dat niet is afgesloten? Een aanhalingsteken binnen een veld schrijf je dubbel ("")'
        )
    if "field larger than field limit" in text:
        return f"een veld is langer dan {csv.field_size_limit()} tekens"
    return f"geen geldige CSV ({text})"


def read_file(path: Path, spec: FileSpec, problems: list[Problem], tick: Callable[[int], None] | None = None):
    parsed = ParsedFile(spec)
    name = spec.filename

    def report(line: int, message: str, warning: bool = False) -> None:
        problems.append(Problem(name, line, message, warning))

    try:
        with path.open("rb") as raw:
            reason = _not_text(raw.read(4096))
            if reason:
                report(1, reason)
                return parsed
            raw.seek(0)
            with io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
                lines = _Lines(handle, report)
                _read_records(lines, csv.reader(lines, strict=True), spec, parsed, report, tick)
                lines.report_remainder()
    except OSError as exc:
        report(0, f"kan het bestand niet lezen ({exc.strerror or exc})")
    return parsed


def csv_records_read(raw: BinaryIO, report: Callable[[int, str], None]) -> list[tuple[int, list[str]]]:
    """(first physical line, cells) of every record of a CSV file opened in binary mode,
    the header included, with the checks `read_file` makes on any file: an Excel, zip or
    UTF-16 file, bytes that are not UTF-8, control characters, a line too long and a quote
    that never closes are each `report(line, Dutch message)`. For other CSV files than the
    interchange's own (the monitor's reference figures of other municipalities)."""
    reason = _not_text(raw.read(4096))
    if reason:
        report(1, reason)
        return []
    raw.seek(0)
    handle = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        lines = _Lines(handle, report)
        records = list(_records(lines, csv.reader(lines, strict=True), report))
        lines.report_remainder()
    finally:
        handle.detach()  # the caller owns `raw`
    return records


def _read_records(lines: _Lines, reader, spec: FileSpec, parsed: ParsedFile, report, tick) -> None:
    records = _records(lines, reader, report)
    header = next(records, (1, []))[1]
    # A second byte order mark is what Excel leaves when it saves a file that had one.
    header = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
    if not any(header):
        report(1, "kopregel ontbreekt of is leeg")
        return
    positions: dict[str, int] = {}
    known = {c.name for c in spec.all_columns}
    for index, column_name in enumerate(header):
        if column_name in positions and column_name in known:
            report(1, f"kolom '{column_name}' staat twee keer in de kopregel")
        # Extra columns are ignored, so an extra one twice (or an unnamed one from a
        # trailing comma) is no problem.
        positions.setdefault(column_name, index)
    parsed.present_columns = frozenset(positions)
    missing_required = [c.name for c in spec.columns if c.required and c.name not in positions]
    for column_name in missing_required:
        report(1, f"verplichte kolom '{column_name}' ontbreekt")
    if missing_required:
        for _ in records:  # still read on: a broken line further on is worth knowing too
            pass
        return

    id_attr = spec.column(spec.id_column).model_attr
    first_seen: dict[str, int] = {}
    columns = [c for c in spec.all_columns if c.name in positions]
    limits = {c.name: number_limits(spec, c) for c in columns if c.kind in ("int", "decimal")}
    # Everything that depends only on the column, worked out once per file rather than
    # once per cell: at 600,000 rows the lookups alone were a tenth of the reading.
    plan = [
        (
            column,
            positions[column.name],
            column.model_attr,
            column.required,
            column.kind == "list" and column.default is None,
            _empty(column),
            _plain_code(column.codes) if column.kind == "code" else _PLAIN.get(column.kind),
            limits.get(column.name),
        )
        for column in columns
    ]
    absent = [column for column in spec.all_columns if column.name not in positions]
    for line, cells in records:
        if tick:
            tick(1)
        if not cells or all(not c.strip() for c in cells):
            continue  # blank line
        row_problems: list[str] = []
        row_warnings: list[str] = []
        values: dict = {}
        width = len(cells)
        for column, index, attr, required, is_list, empty, plain, column_limits in plan:
            text = cells[index].strip() if index < width else ""
            if not text:
                if required:
                    row_problems.append(f"{column.name}: verplicht veld is leeg")
                values[attr] = [] if is_list else empty  # a fresh list: rows never share one
            elif plain is not None and (value := plain(text)) is not None:
                values[attr] = value
            else:
                values[attr] = _convert(column, text, row_problems.append, row_warnings.append, column_limits)
        for column in absent:
            values[column.model_attr] = _empty(column)
        _check_row_rules(spec, values, row_problems)
        row_id = values.get(id_attr)
        if row_id:
            if row_id in first_seen:
                row_problems.append(
                    f"{spec.id_column} {shown(row_id)} komt twee keer voor (ook op regel {first_seen[row_id]})"
                )
            else:
                first_seen[row_id] = line
        for message in row_problems:
            report(line, message)
        for message in row_warnings:
            report(line, message, warning=True)
        parsed.rows.append(ParsedRow(line, values))


def _records(lines: _Lines, reader, report) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) per CSV record; a malformed record ends the file.

    After a quote that never closes, or a field beyond the size limit, where the next
    record starts is a guess; stopping there avoids a cascade of misleading messages.
    """
    while True:
        start = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if not lines.stopped:
                report(start, _csv_message(exc, start, lines.number))
            return
        yield start, cells


def _empty(column: Column):
    if column.default is not None:
        return column.default
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
        try:
            with path.open("rb") as handle:
                total += max(sum(buf.count(b"\n") for buf in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)
        except OSError:
            continue  # absent or unreadable: the import itself says which
    return total


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
