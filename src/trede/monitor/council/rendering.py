"""The council report as HTML and PDF: one template, simple SVG bar charts, WeasyPrint."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from trede.portal.formatting import dutch_date
from trede.utils.dutch import format_number

from .selectors import TOTAL, Quarter

# Horizontal bars, each named in text on its left and with its number on its right, so a
# chart reads without colour; every chart has its own scale (its largest published value
# is the full length), so a small regulation is not a line next to the Participatiewet.
LABEL_WIDTH = 110  # "30 september 2026" at 10 px
BAR_LENGTH = 190
NUMBER_WIDTH = 60  # 360 in all: fits a 390 px screen unscaled
ROW_HEIGHT = 18
BAR_HEIGHT = 12
# Dark blue against white: a contrast far above 3:1 (WCAG 1.4.11).
BAR_FILL = "#01426a"


def _shown(value) -> str:
    if value is None:
        return "–"
    return value if isinstance(value, str) else format_number(value)


def bar_chart(title: str, series: list[tuple[str, list[tuple[str, int | str | None]]]]) -> dict:
    """A horizontal bar chart as SVG shapes: `series` is [(group label, [(bar label, value)])];
    a group label of "" draws its bars without a heading line.

    The scale is this chart's own: its largest published value is `BAR_LENGTH` long. A
    hidden value ('<5', 'x') gets no bar, only its mark beside the axis: a bar length
    would give the count back, and so would a scale resting on it.
    """
    numbers = [v for _g, bars in series for _b, v in bars if isinstance(v, int)]
    top = max(numbers, default=0)
    rows = []
    y = 4
    for group, bars in series:
        if group:
            rows.append({"group": group, "text_y": y + ROW_HEIGHT - 5})
            y += ROW_HEIGHT
        for name, value in bars:
            length = round(value / top * BAR_LENGTH, 1) if isinstance(value, int) and top else 0
            rows.append(
                {
                    "name": name,
                    "group_of": group,
                    "value": value,
                    "text": _shown(value),
                    "hidden": isinstance(value, str),
                    "bar_y": y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                    "length": length,
                    "text_y": y + ROW_HEIGHT - 5,
                    "number_x": LABEL_WIDTH + length + 4,
                }
            )
            y += ROW_HEIGHT
    return {
        "title": title,
        "width": LABEL_WIDTH + BAR_LENGTH + NUMBER_WIDTH,
        "height": y + 4,
        "axis_x": LABEL_WIDTH,
        "label_x": 8 if any(g for g, _b in series) else 0,
        "bar_height": BAR_HEIGHT,
        "fill": BAR_FILL,
        "top": top,
        "rows": rows,
    }


def _row(table: dict, label: str) -> list:
    for row in table["rows"]:
        if row["label"] == label:
            return row["values"]
    return []


def charts(published: list[dict], quarter: Quarter) -> list[dict]:
    """One chart per regulation (the stock on the first and the last day), then inflow and
    outflow per month; each on its own scale."""
    by_id = {t["id"]: t for t in published}
    result = []
    begin, end = by_id["bestand_begin_age"], by_id["bestand_eind_age"]
    col = end["total_column"]
    first, last = dutch_date(quarter.start), dutch_date(quarter.last_day)
    for i, row in enumerate(end["rows"]):
        if row["label"] == TOTAL:
            continue
        result.append(
            bar_chart(
                f"{row['label']}: mensen met een uitkering op de eerste en de laatste dag van het kwartaal",
                [("", [(first, begin["rows"][i]["values"][col]), (last, row["values"][col])])],
            )
        )
    inflow, outflow = _row(by_id["instroom"], TOTAL), _row(by_id["uitstroom_reden"], TOTAL)
    months = by_id["instroom"]["columns"][: by_id["instroom"]["total_column"]]
    result.append(
        bar_chart(
            "Instroom en uitstroom per maand (alle regelingen)",
            [(m, [("instroom", inflow[i]), ("uitstroom", outflow[i])]) for i, m in enumerate(months)],
        )
    )
    return result


def render_html(quarter: Quarter, report: dict) -> str:
    tables = [
        {
            "table": t,
            "label_header": raw.label_header,
            "note": raw.note,
            "rows": [
                {
                    "label": row["label"],
                    "is_total": i == t["total_row"],
                    "cells": [
                        {"text": _shown(v), "is_total": j == t["total_column"], "hidden": isinstance(v, str)}
                        for j, v in enumerate(row["values"])
                    ],
                }
                for i, row in enumerate(t["rows"])
            ],
        }
        for raw, t in zip(report["tables"], report["published"], strict=True)
    ]
    return render_to_string(
        "monitor/council_report.html",
        {
            "quarter": quarter,
            "tables": tables,
            "charts": charts(report["published"], quarter),
            "made": timezone.localdate(),
        },
    )


def file_stem(quarter: Quarter) -> str:
    return f"raadsrapportage-{quarter.label}"


class ReportWriteError(Exception):
    """The report could not be written; nothing was left in the folder."""


def _made_folders(out: Path) -> list[Path]:
    """The folders `out.mkdir(parents=True)` would create, innermost first."""
    missing = []
    folder = out
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing


def write_report(quarter: Quarter, report: dict, out: Path) -> list[Path]:
    """Writes the HTML and the PDF into `out` (created if missing); returns both paths.

    All or nothing: both files are rendered into a temporary folder inside `out` (the same
    file system) and moved into place only when both succeeded. When rendering fails the
    temporary folder is removed, as is `out` itself if this call created it, and
    `ReportWriteError` says so in Dutch; files of an earlier run stay as they were.
    """
    from weasyprint import HTML  # loads Pango: only when a report is written

    # WeasyPrint reports every CSS rule it skips (screen-only rules) as a warning.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    made = _made_folders(out)
    names = [f"{file_stem(quarter)}.html", f"{file_stem(quarter)}.pdf"]
    step = f"de map {out} maken"
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out, prefix=".raadsrapportage-") as work:
            step = "de HTML maken"
            html = render_html(quarter, report)
            (Path(work) / names[0]).write_text(html, encoding="utf-8")
            step = "de PDF maken"
            HTML(string=html, base_url=str(out)).write_pdf(Path(work) / names[1])
            step = "de bestanden op hun plaats zetten"
            for name in names:
                os.replace(Path(work) / name, out / name)
    except Exception as exc:
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: never someone else's files
        raise ReportWriteError(
            f"De raadsrapportage is niet geschreven: {step} mislukte "
            f"({exc.__class__.__name__}: {exc}). Er is geen HTML- of PDF-bestand in {out} gezet."
        ) from exc
    return [(out / name).resolve() for name in names]


def pdf_bytes(quarter: Quarter, report: dict) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=render_html(quarter, report)).write_pdf()
