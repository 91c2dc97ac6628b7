"""Figures for the start page, prepared for display and CSV export.

All counting is done by `trede.monitor.selectors` (the definitions of interchange.md);
this module only chooses the dates, adds Dutch labels, shares and chart geometry.
Nothing is cached: every request counts afresh, so an import shows up at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Min
from django.utils import timezone

from trede.benefits.constants import EndReason, Regulation
from trede.benefits.models import Benefit
from trede.clients.constants import Household
from trede.monitor.constants import AGE_BANDS, DURATION_BANDS, END_REASONS, HOUSEHOLDS, LADDER_STEPS
from trede.monitor.periods import add_months
from trede.monitor.selectors import flow_figures, stock_figures, stock_totals
from trede.utils import charts
from trede.utils.disclosure import SUPPRESSED, count_text, count_value, is_small, protect

from .formatting import dutch_date, dutch_month, dutch_number, dutch_percent

# How far back the stock development and the yearly flows go from the peildatum.
YEARS_BACK = 8

AGE_LABELS = {
    "<=20": "20 jaar of jonger",
    "21-30": "21 tot en met 30 jaar",
    "31-40": "31 tot en met 40 jaar",
    "41-50": "41 tot en met 50 jaar",
    "51-60": "51 tot en met 60 jaar",
    ">=61": "61 jaar of ouder",
}
DURATION_LABELS = {
    "<1": "korter dan 1 jaar",
    "1-3": "1 tot 3 jaar",
    "3-5": "3 tot 5 jaar",
    ">=5": "5 jaar of langer",
}
HOUSEHOLD_LABELS = {**{code: str(label) for code, label in Household.choices}, "onbekend": "onbekend"}
LADDER_LABELS = {
    "1": "1 – geïsoleerd",
    "2": "2 – sociale contacten buiten de deur",
    "3": "3 – deelname aan georganiseerde activiteiten",
    "4": "4 – onbetaald werk",
    "5": "5 – betaald werk met ondersteuning",
    "6": "6 – betaald werk",
    "onbekend": "geen trede vastgesteld",
}
REGULATION_LABELS = {code: str(label) for code, label in Regulation.choices}
END_REASON_LABELS = {code: str(label) for code, label in EndReason.choices}


@dataclass(frozen=True)
class Breakdown:
    """One breakdown of the stock: a table with a bar per row."""

    key: str  # also the CSV name
    title: str
    column: str  # heading of the first column
    csv_column: str
    rows: list[dict]
    total: int
    total_text: str = ""


@dataclass(frozen=True)
class DataBounds:
    first: date  # earliest benefit start
    last: date  # latest benefit start or end date


@dataclass
class StartFigures:
    as_of: date
    regulations: list[str]
    bounds: DataBounds | None
    total: int = 0
    breakdowns: list[Breakdown] = field(default_factory=list)
    development: list[dict] = field(default_factory=list)
    chart: dict | None = None
    flows: list[dict] = field(default_factory=list)
    reasons: list[dict] = field(default_factory=list)
    last_whole_year: dict | None = None
    # Counts of 1-4 are shown as `<5` (trede.utils.disclosure) for roles that may only
    # see suppressed figures; a chart that would draw them is left out.
    suppress: bool = False
    chart_hidden: bool = False

    @property
    def as_of_text(self) -> str:
        return dutch_date(self.as_of)

    @property
    def total_text(self) -> str:
        return count_text(self.total, suppress=self.suppress)

    @property
    def regulations_text(self) -> str:
        return regulations_text(self.regulations)

    @property
    def after_data(self) -> bool:
        return self.bounds is not None and self.as_of > self.bounds.last

    @property
    def before_data(self) -> bool:
        return self.bounds is not None and self.as_of < self.bounds.first


def regulations_text(regulations: Sequence[str]) -> str:
    labels = [REGULATION_LABELS.get(code, code) for code in regulations]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " en " + labels[-1]


def data_bounds() -> DataBounds | None:
    """The span of the benefit data (all regulations), or None when there is none."""
    found = Benefit.objects.aggregate(
        first=Min("start_date"), last_start=Max("start_date"), last_end=Max("end_date")
    )
    if found["first"] is None:
        return None
    last = max(d for d in (found["last_start"], found["last_end"]) if d is not None)
    return DataBounds(first=found["first"], last=last)


def default_as_of(bounds: DataBounds | None = None, *, today: date | None = None) -> date:
    """The last day of the data, or today when the data runs on beyond today."""
    today = today or timezone.localdate()
    if bounds is None:
        return today
    return min(bounds.last, today)


# ---------------------------------------------------------------------------- stock


def _rows(
    counts: dict[str, int], labels: dict[str, str], total: int, *, suppress: bool = False
) -> list[dict]:
    cells = protect(list(counts.values()), total=total, suppress=suppress)
    # Bars are scaled to the largest shown row, so small differences stay visible and a
    # hidden row's length gives nothing away.
    largest = max((n for n, h in zip(counts.values(), cells.hidden, strict=True) if not h), default=0)
    rows = []
    for i, (code, n) in enumerate(counts.items()):
        hidden = cells.hidden[i]
        share = n / total if total else 0.0
        rows.append(
            {
                "code": code,
                "label": labels.get(code, code),
                "count": n,
                "hidden": hidden,
                "count_value": cells.value(i, n),
                "count_text": cells.text(i, n),
                "share": None if hidden else share,
                "share_text": "–" if hidden or not total else dutch_percent(share),
                "bar": 0 if hidden or not largest else round(100 * n / largest, 1),
            }
        )
    return rows


def stock_breakdowns(
    *, as_of: date, regulations: Sequence[str], suppress: bool = False
) -> tuple[int, list[Breakdown]]:
    stock = stock_figures(as_of=as_of, regulations=regulations)
    total = stock["total"]
    spec = [
        ("leeftijd", "Leeftijd", "Leeftijd", "leeftijdsklasse", "by_age_band", AGE_BANDS, AGE_LABELS),
        (
            "duur",
            "Duur van de uitkering",
            "Duur",
            "uitkeringsduur",
            "by_duration_band",
            DURATION_BANDS,
            DURATION_LABELS,
        ),
        (
            "huishouden",
            "Huishouden",
            "Huishouden",
            "huishouden",
            "by_household",
            HOUSEHOLDS,
            HOUSEHOLD_LABELS,
        ),
        (
            "trede",
            "Trede op de participatieladder",
            "Trede",
            "trede",
            "by_ladder_step",
            LADDER_STEPS,
            LADDER_LABELS,
        ),
    ]
    breakdowns = []
    for key, title, column, csv_column, figure, order, labels in spec:
        counts = {code: stock[figure].get(code, 0) for code in order}
        breakdowns.append(
            Breakdown(
                key=key,
                title=title,
                column=column,
                csv_column=csv_column,
                rows=_rows(counts, labels, total, suppress=suppress),
                total=total,
                total_text=count_text(total, suppress=suppress),
            )
        )
    return total, breakdowns


# ---------------------------------------------------------------------- development


def _first_month(as_of: date, bounds: DataBounds | None) -> date:
    """January, YEARS_BACK calendar years back (this year included), or the first data month."""
    start = date(as_of.year - YEARS_BACK + 1, 1, 1)
    if bounds is not None:
        start = max(start, bounds.first.replace(day=1))
    return min(start, as_of.replace(day=1))


def stock_development(
    *, as_of: date, regulations: Sequence[str], bounds: DataBounds | None, suppress: bool = False
) -> list[dict]:
    """The stock on the first day of every month up to the peildatum."""
    days = []
    day = _first_month(as_of, bounds)
    while day <= as_of:
        days.append(day)
        day = add_months(day, 1)
    totals = stock_totals(days=days, regulations=regulations)
    return [
        {
            "day": d,
            "month_text": dutch_month(d),
            "date_text": dutch_date(d),
            "count": totals[d],
            "hidden": suppress and is_small(totals[d]),
            "count_value": count_value(totals[d], suppress=suppress),
            "count_text": count_text(totals[d], suppress=suppress),
        }
        for d in days
    ]


def line_chart(points: list[dict]) -> dict | None:
    """The development as a chart of the product's one chart module (`trede.utils.charts`):
    `points` are dicts with day, month_text, date_text, count and count_text."""
    if not points:
        return None
    n = len(points)
    largest = max(p["count"] for p in points)
    first, last = points[0], points[-1]
    return charts.line_chart(
        labels=[p["month_text"] for p in points],
        series=[charts.Series("Klanten met een uitkering", [p["count"] for p in points])],
        tick_labels=[
            str(p["day"].year) if p["day"].month == 1 or (i == 0 and n < 13) else None
            for i, p in enumerate(points)
        ],
        highlight_last=True,
        summary=(
            f"Het aantal klanten met een uitkering ging van {first['count_text']} op "
            f"{first['date_text']} naar {last['count_text']} op {last['date_text']}; "
            f"het hoogste aantal was {dutch_number(largest)}."
        ),
        height=280,
    )


# ---------------------------------------------------------------------------- flows


def _signed(n: int) -> str:
    """`+12`, `−3` (a real minus sign), `0`."""
    if n == 0:
        return "0"
    return ("+" if n > 0 else "−") + dutch_number(abs(n))


def yearly_flows(
    *, as_of: date, regulations: Sequence[str], bounds: DataBounds | None, suppress: bool = False
) -> list[dict]:
    """Inflow and outflow per calendar year up to and including the peildatum.

    With `suppress`, besides the counts of 1-4: the outflow per reason is one group with
    the year's outflow as its total (secondary suppression); inflow and outflow are hidden
    together, because the stock development (shown) gives their difference; the rate and
    the net change go with the counts they are computed from.
    """
    date_from = _first_month(as_of, bounds).replace(month=1)
    date_to = as_of + timedelta(days=1)
    flows = flow_figures(date_from=date_from, date_to=date_to, period="year", regulations=regulations)
    rates = flows["outflow_to_work_rate"]
    rows = []
    for period in flows["periods"]:
        year = int(period["period"])
        whole = date_to >= date(year + 1, 1, 1)
        werk = period["outflow"].get("werk", 0)
        rate = rates.get(period["period"])
        inflow, outflow = period["inflow"], period["outflow_total"]
        reasons = [period["outflow"][code] for code in END_REASONS]
        by_reason = protect(reasons, total=outflow, suppress=suppress)
        flows_hidden = suppress and (is_small(inflow) or is_small(outflow))
        werk_hidden = by_reason.hidden[END_REASONS.index(EndReason.WERK)]
        rows.append(
            {
                "year": period["period"],
                "whole": whole,
                "until": date(year + 1, 1, 1) if whole else date_to,
                "label": period["period"] if whole else f"{year} (tot en met {dutch_date(as_of)})",
                "inflow": inflow,
                "inflow_value": SUPPRESSED if flows_hidden else inflow,
                "inflow_text": SUPPRESSED if flows_hidden else dutch_number(inflow),
                "outflow": outflow,
                "outflow_value": SUPPRESSED if flows_hidden else outflow,
                "outflow_text": SUPPRESSED if flows_hidden else dutch_number(outflow),
                "outflow_by_reason": [
                    {
                        "code": code,
                        "label": END_REASON_LABELS.get(code, code),
                        "count": reasons[i],
                        "value": by_reason.value(i, reasons[i]),
                        "text": by_reason.text(i, reasons[i]),
                    }
                    for i, code in enumerate(END_REASONS)
                ],
                "to_work": werk,
                "to_work_value": SUPPRESSED if werk_hidden else werk,
                "to_work_text": SUPPRESSED if werk_hidden else dutch_number(werk),
                "rate": None if werk_hidden else rate,
                "rate_text": "nog niet bekend"
                if not whole
                else ("–" if werk_hidden else dutch_percent(rate)),
                "net": None if flows_hidden else inflow - outflow,
                "net_text": "–" if flows_hidden else _signed(inflow - outflow),
            }
        )
    return rows


# ------------------------------------------------------------------------ the page


def start_figures(
    *, as_of: date | None = None, regulations: Sequence[str] = ("pw",), suppress: bool = False
) -> StartFigures:
    """Everything the start page shows, for one peildatum and choice of regulations.

    `suppress`: hide counts of 1-4 (and what would give them back) for policy staff.
    """
    bounds = data_bounds()
    as_of = as_of or default_as_of(bounds)
    figures = StartFigures(as_of=as_of, regulations=list(regulations), bounds=bounds, suppress=suppress)
    if bounds is None:
        return figures
    figures.total, figures.breakdowns = stock_breakdowns(
        as_of=as_of, regulations=regulations, suppress=suppress
    )
    figures.development = stock_development(
        as_of=as_of, regulations=regulations, bounds=bounds, suppress=suppress
    )
    # A line through hidden months would draw their counts: no chart then (the table stays).
    figures.chart_hidden = any(p["hidden"] for p in figures.development)
    figures.chart = None if figures.chart_hidden else line_chart(figures.development)
    figures.flows = yearly_flows(as_of=as_of, regulations=regulations, bounds=bounds, suppress=suppress)
    figures.reasons = [
        {
            "code": code,
            "label": END_REASON_LABELS.get(code, code),
            "counts": [row["outflow_by_reason"][i]["text"] for row in figures.flows],
        }
        for i, code in enumerate(END_REASONS)
    ]
    whole = [row for row in figures.flows if row["whole"]]
    figures.last_whole_year = whole[-1] if whole else None
    return figures


# ------------------------------------------------------------------------------ CSV

CSV_TABLES = ("leeftijd", "duur", "huishouden", "trede", "ontwikkeling", "stromen")


def csv_table(
    table: str, *, as_of: date, regulations: Sequence[str], suppress: bool = False
) -> tuple[list[str], list[list]]:
    """Header and rows of one table of the start page, as plain values for
    `trede.utils.export` (numbers as numbers; hidden cells as `<5`, their shares empty)."""
    codes = ",".join(regulations)
    if table in ("leeftijd", "duur", "huishouden", "trede"):
        _total, breakdowns = stock_breakdowns(as_of=as_of, regulations=regulations, suppress=suppress)
        breakdown = next(b for b in breakdowns if b.key == table)
        header = ["peildatum", "regelingen", breakdown.csv_column, "omschrijving", "aantal", "aandeel"]
        rows = [
            [
                as_of,
                codes,
                r["code"],
                r["label"],
                r["count_value"],
                None if r["share"] is None else round(r["share"], 4),
            ]
            for r in breakdown.rows
        ]
        return header, rows
    bounds = data_bounds()
    if table == "ontwikkeling":
        points = (
            stock_development(as_of=as_of, regulations=regulations, bounds=bounds, suppress=suppress)
            if bounds
            else []
        )
        return ["datum", "regelingen", "aantal"], [[p["day"], codes, p["count_value"]] for p in points]
    if table == "stromen":
        flows = (
            yearly_flows(as_of=as_of, regulations=regulations, bounds=bounds, suppress=suppress)
            if bounds
            else []
        )
        header = [
            "jaar",
            "tot",
            "heel_jaar",
            "regelingen",
            "instroom",
            "uitstroom",
            *(f"uitstroom_{code}" for code in END_REASONS),
            "uitstroom_naar_werk_ratio",
            "netto",
        ]
        rows = []
        for f in flows:
            rate = None if f["rate"] is None or not f["whole"] else round(f["rate"], 6)
            rows.append(
                [
                    int(f["year"]),
                    f["until"],
                    f["whole"],
                    codes,
                    f["inflow_value"],
                    f["outflow_value"],
                    *(r["value"] for r in f["outflow_by_reason"]),
                    rate,
                    f["net"],
                ]
            )
        return header, rows
    raise KeyError(table)
