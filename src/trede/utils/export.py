"""One way to download a table: CSV the way Dutch Excel opens it, or XLSX.

Every table a user can download (start page figures, "wat werkt", the caseload, the audit
log) goes through `table_response`, so they all share these rules:

- CSV: `;` between cells and a decimal comma (Dutch Excel reads `,` as the decimal sign and
  would otherwise put a whole row in one cell), a UTF-8 byte-order mark (so `é` is not
  `Ã©`), CRLF line ends. Whole numbers without a thousands separator, so they stay numbers.
- XLSX (openpyxl): numbers and dates as real cells, the header row frozen.
- Formula injection (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`,
  tab or carriage return is prefixed with `'`, so a name like `=HYPERLINK(...)` entered in
  a form is shown, not executed. Real numbers (int, float, Decimal) are written as numbers,
  negative ones too; only text is neutralised.
- Date-times in local time (Europe/Amsterdam, Django's TIME_ZONE), as the screens show them.

The interchange format (`trede.interchange`) is a machine format with its own rules and does
not use this module.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone

from .dutch import format_number

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_PARAMETER = "formaat"
SEPARATOR = ";"
BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _local(value: datetime) -> datetime:
    """Aware date-times in the local zone, without tzinfo (Excel has no time zones)."""
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value) -> str:
    """One cell as Dutch Excel reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        # A Decimal keeps its own places (Decimal("8.00") → 8,00): callers fix a column's
        # decimals that way; a float is written with the digits it has.
        if not value.is_finite():
            return ""
        return format_number(value, max(0, -value.as_tuple().exponent), thousands=False, minus="-")
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return format_number(value, None, thousands=False, minus="-", empty="")
    if isinstance(value, datetime):
        return _local(value).strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def xlsx_cell(value):
    """One cell for openpyxl: numbers and dates as themselves, text neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if _is_number(value):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, date):
        return value
    return _strip_control(neutralise(str(value)))


# openpyxl refuses the control characters XML 1.0 cannot hold (they would make the file
# unreadable); a pasted text may contain them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _strip_control(text: str) -> str:
    return _CONTROL.sub("", text)


def write_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Tabel") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=_sheet_title(sheet))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for h in header:
        cell = WriteOnlyCell(ws, value=xlsx_cell(h))
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in rows:
        cells = []
        for v in row:
            value = xlsx_cell(v)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, datetime):
                cell.number_format = "dd-mm-yyyy hh:mm:ss"
            elif isinstance(value, date):
                cell.number_format = "dd-mm-yyyy"
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of : \ / ? * [ ]
    return re.sub(r"[:\\/?*\[\]]", "-", title)[:31] or "Tabel"


def requested_format(request) -> str:
    """`?formaat=xlsx` or `csv` (the default); another value is a page that does not exist."""
    fmt = (request.GET.get(FORMAT_PARAMETER) or "csv").lower()
    if fmt not in FORMATS:
        raise Http404("Onbekend formaat: kies csv of xlsx.")
    return fmt


def table_response(
    request,
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    sheet: str = "Tabel",
    fmt: str | None = None,
) -> HttpResponse:
    """The download of one table in the format the request asks for.

    `filename` without extension; `rows` hold plain values (int, float, Decimal, date,
    datetime, bool, str, None), never pre-formatted numbers.
    """
    fmt = fmt or requested_format(request)
    rows = list(rows)
    body = write_xlsx(header, rows, sheet=sheet) if fmt == "xlsx" else write_csv(header, rows)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    safe = re.sub(r"[^\w.;-]", "_", filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}.{fmt}"'
    return response
