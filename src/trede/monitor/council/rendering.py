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
from trede.utils.charts import bar_chart, shown_value

from .selectors import TOTAL, Quarter


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
                        {
                            "text": shown_value(v),
                            "is_total": j == t["total_column"],
                            "hidden": isinstance(v, str),
                        }
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
