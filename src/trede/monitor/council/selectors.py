"""The figures of the council report, from the monitor's own definitions.

Stock: `trede.monitor.selectors.stock_figures` per regulation on the first and last day
of the quarter. Inflow and outflow: `flow_figures` per regulation and month. Trajectories:
`trede.instruments.reporting.instrument_report` over the quarter. Every table is a grid
of counts; `published_tables` adds the margins and hides small cells with
`protect_table`, so nothing is published before it went through that one function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from trede.benefits.constants import EndReason, Regulation
from trede.clients.constants import Household
from trede.instruments.reporting import instrument_report
from trede.portal.formatting import MONTHS, dutch_date
from trede.utils.disclosure import protect_table, table_grid

from ..constants import AGE_BANDS, DURATION_BANDS, END_REASONS, HOUSEHOLDS, REGULATIONS
from ..periods import add_months
from ..selectors import flow_figures, stock_figures

TOTAL = "Totaal"


class QuarterError(ValueError):
    """A quarter that is not of the form YYYY-Qn (a Dutch message)."""


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def title(self) -> str:
        return f"{self.number}e kwartaal {self.year}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The first day after the quarter (exclusive)."""
        return add_months(self.start, 3)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def months(self) -> list[date]:
        return [add_months(self.start, m) for m in range(3)]


def parse_quarter(text: str) -> Quarter:
    match = re.fullmatch(r"(\d{4})-[Qq]([1-4])", (text or "").strip())
    if not match or int(match[1]) < 1900:
        raise QuarterError(
            f"'{text}' is geen kwartaal; schrijf het als JJJJ-Qn met n van 1 tot 4, bijvoorbeeld 2026-Q1"
        )
    return Quarter(int(match[1]), int(match[2]))


@dataclass
class Table:
    """A count table before publication: row labels, column headers and the counts."""

    id: str
    title: str
    label_header: str
    columns: list[str]
    rows: list[str]
    cells: list[list[int | None]]
    row_totals: bool = True
    column_totals: bool = True
    note: str = ""
    published: dict = field(default_factory=dict)


def _regulation_label(code: str) -> str:
    return str(Regulation(code).label)


def _household_label(code: str) -> str:
    return "onbekend" if code == "onbekend" else str(Household(code).label)


def _month_label(day: date) -> str:
    return MONTHS[day.month - 1]


def council_tables(quarter: Quarter) -> list[Table]:
    """The count tables of the report, unpublished (exact counts)."""
    tables: list[Table] = []
    regs = list(REGULATIONS)
    reg_labels = [_regulation_label(r) for r in regs]
    stock = {
        (moment, r): stock_figures(as_of=day, regulations=[r])
        for moment, day in (("begin", quarter.start), ("eind", quarter.last_day))
        for r in regs
    }
    for moment, day in (("begin", quarter.start), ("eind", quarter.last_day)):
        when = f"op {dutch_date(day)}"
        for key, what, bands, band_label in (
            ("by_age_band", "leeftijd", AGE_BANDS, lambda b: b),
            ("by_duration_band", "duur van de uitkering (jaren)", DURATION_BANDS, lambda b: b),
            ("by_household", "huishouden", HOUSEHOLDS, _household_label),
        ):
            tables.append(
                Table(
                    id=f"bestand_{moment}_{key.removeprefix('by_').removesuffix('_band')}",
                    title=f"Mensen met een uitkering {when}, naar regeling en {what}",
                    label_header="Regeling",
                    columns=[band_label(b) for b in bands],
                    rows=reg_labels,
                    cells=[[stock[(moment, r)][key][b] for b in bands] for r in regs],
                )
            )
    flows = {r: flow_figures(date_from=quarter.start, date_to=quarter.end, regulations=[r]) for r in regs}
    month_labels = [_month_label(m) for m in quarter.months]
    tables.append(
        Table(
            id="instroom",
            title="Instroom: nieuwe uitkeringen per maand, naar regeling",
            label_header="Regeling",
            columns=month_labels,
            rows=reg_labels,
            cells=[[p["inflow"] for p in flows[r]["periods"]] for r in regs],
        )
    )
    tables.append(
        Table(
            id="uitstroom_reden",
            title="Uitstroom: beëindigde uitkeringen per maand, naar reden (alle regelingen)",
            label_header="Reden",
            columns=month_labels,
            rows=[str(EndReason(reason).label) for reason in END_REASONS],
            cells=[
                [sum(flows[r]["periods"][m]["outflow"][reason] for r in regs) for m in range(3)]
                for reason in END_REASONS
            ],
        )
    )
    tables.append(
        Table(
            id="uitstroom_werk",
            title="Uitstroom naar werk per maand, naar regeling",
            label_header="Regeling",
            columns=month_labels,
            rows=reg_labels,
            cells=[[p["outflow"]["werk"] for p in flows[r]["periods"]] for r in regs],
        )
    )
    report = [
        r for r in instrument_report(quarter.start, quarter.end, "instrument") if r.starts or r.successes
    ]
    if report:
        tables.append(
            Table(
                id="trajecten",
                title="Trajecten per soort instrument: gestart en geslaagd afgerond in het kwartaal",
                label_header="Instrument",
                columns=["Gestart", "Geslaagd"],
                rows=[row.instrument_code or "onbekend" for row in report],
                cells=[[row.starts, row.successes] for row in report],
                row_totals=False,
                note="Gestart en geslaagd zijn verschillende trajecten; ze tellen niet bij elkaar op.",
            )
        )
    return tables


def publish(table: Table, *, suppress: bool = True) -> dict:
    """The table as the contract lists it: margins added, small cells hidden."""
    grid = table_grid(table.cells, row_totals=table.row_totals, column_totals=table.column_totals)
    protection = protect_table(
        table.cells, row_totals=table.row_totals, column_totals=table.column_totals, suppress=suppress
    )
    columns = list(table.columns) + ([TOTAL] if table.row_totals else [])
    labels = list(table.rows) + ([TOTAL] if table.column_totals else [])
    rows = [
        {"label": label, "values": [protection.value(i, j, count) for j, count in enumerate(grid[i])]}
        for i, label in enumerate(labels)
    ]
    table.published = {
        "id": table.id,
        "title": table.title,
        "columns": columns,
        "rows": rows,
        "total_column": len(table.columns) if table.row_totals else None,
        "total_row": len(table.rows) if table.column_totals else None,
    }
    return table.published


def council_report(quarter: Quarter) -> dict:
    """Everything the report shows, suppressed: the tables, and the chart series."""
    tables = council_tables(quarter)
    published = [publish(t) for t in tables]
    return {"quarter": quarter, "tables": tables, "published": published}
