"""The dashboard's panels of other pages: instruments, budgets, durability and enforcement.

Each panel is computed by its own page's selector and shaped (suppression included) by that
page's own row function, so the dashboard and the page cannot disagree: the instruments by
`trede instruments report` (`instrument_report`, rows per provider and the one total row)
and the catalogue's `figure_rows`; the budget lines by `budget_report` (the budget page's
year and peildatum); durability and the draaideur by `durability_figures` and the
durability page's `durability_rows`/`draaideur_rows`; enforcement by `enforcement_figures`
and that page's `shown_year`. This module only picks the dashboard's period and filters
where the figure has them, and says what a chart plots (decision 153).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from trede.finance.constants import Funding
from trede.finance.selectors import as_of_through, budget_report
from trede.instruments.catalogue.selectors import figure_rows
from trede.instruments.models import Provider
from trede.instruments.reporting import BY_ALL, instrument_report
from trede.utils import charts
from trede.utils.disclosure import SUPPRESSED
from trede.utils.dutch import format_number

from ..duurzaam.selectors import durability_figures
from ..duurzaam.views import draaideur_rows, durability_rows
from ..handhaving.selectors import enforcement_figures
from ..handhaving.views import shown_year

PANEL_TABLES = ("instrumenten", "budget", "duurzaamheid", "handhaving")


def _count(text: str) -> int | str:
    """A shown count as the chart plots it: a number, or the hidden mark (no bar)."""
    return text if text == SUPPRESSED else int(text.replace(".", ""))


def instrument_panel(*, date_from: date, date_to: date, suppress: bool) -> dict:
    """Use, no-shows, success and cost per success per provider in the dashboard's period.
    Trajectories have no regulation, and the report no client group: those filters do not
    apply here (the page says so)."""
    per_provider = instrument_report(date_from, date_to, "provider")
    if not per_provider:
        return {"rows": [], "total": None, "chart": None, "url": reverse("instruments:catalogue")}
    total = instrument_report(date_from, date_to, BY_ALL)[0]
    names = Provider.objects.in_bulk([r.provider_id for r in per_provider if r.provider_id])
    labels = [
        str(names[r.provider_id]) if r.provider_id in names else "zonder aanbieder" for r in per_provider
    ]
    rows, total_row = figure_rows(per_provider, labels, total, suppress=suppress)
    chart = charts.bar_chart(
        "Verwezen en geslaagd per aanbieder",
        [
            (row.label, [("verwezen", _count(row.referrals)), ("geslaagd", _count(row.successes))])
            for row in rows
        ],
    )
    return {"rows": rows, "total": total_row, "chart": chart, "url": reverse("instruments:catalogue")}


def _euros(value: Decimal) -> int:
    return int(value.quantize(Decimal(1)))


def budget_panel(*, date_to: date, today: date) -> dict:
    """Budget, spent, committed and forecast per line of the year the period ends in, up to
    and including today (the budget page's peildatum). Money, not people: nothing hidden."""
    year = (date_to - timedelta(days=1)).year
    report = budget_report(year, as_of_through(today))
    rows = [
        {
            "line": g.line or "zonder begrotingsregel",
            "funding": Funding(g.funding).label if g.funding in Funding.values else g.funding,
            "budget": g.budget,
            "spent": g.spent,
            "committed": g.committed,
            "forecast": g.forecast,
            "texts": [f"€ {format_number(v, 0)}" for v in (g.budget, g.spent, g.committed, g.forecast)],
        }
        for g in report.lines
    ]
    chart = (
        charts.bar_chart(
            f"Budget en prognose per begrotingsregel in {year} (euro)",
            [
                (
                    f"{row['line']} ({row['funding']})",
                    [
                        ("budget", _euros(row["budget"])),
                        ("uitgegeven", _euros(row["spent"])),
                        ("verplicht", _euros(row["committed"])),
                        ("prognose", _euros(row["forecast"])),
                    ],
                )
                for row in rows
            ],
        )
        if rows
        else None
    )
    return {"year": year, "rows": rows, "chart": chart, "url": reverse("finance:budget") + f"?jaar={year}"}


def _years(date_from: date, date_to: date) -> tuple[int, int]:
    return date_from.year, (date_to - timedelta(days=1)).year


def durability_panel(
    *, date_from: date, date_to: date, regulations: Sequence[str], group: str, today: date, suppress: bool
) -> dict:
    """Per calendar year of the period: outflow to work and the share still without benefit
    after each horizon, the draaideur, placements and the share still running."""
    result = durability_figures(
        date_from=date_from, date_to=date_to, as_of=today, regulations=regulations, group=group
    )
    outflow = durability_rows(result["outflow"], suppress=suppress)
    placements = durability_rows(result["placements"], suppress=suppress)
    draaideur = draaideur_rows(result["draaideur"], suppress=suppress)
    horizons = list(result["settings"].horizons_months)
    rows = [
        {"label": o["label"], "outflow": o, "draaideur": d, "placements": p}
        for o, d, p in zip(outflow, draaideur, placements, strict=True)
    ]
    year_from, year_to = _years(date_from, date_to)
    query = {"year_from": year_from, "year_to": year_to, "regulations": list(regulations)}
    if group:
        query["doelgroep"] = group
    chart = None
    if len(rows) > 1:
        last = horizons[-1]
        chart = charts.line_chart(
            labels=[r["label"] for r in rows],
            series=[
                charts.Series(
                    f"Na {last} maanden nog zonder uitkering (%)",
                    [_percent(r["outflow"]["cells"][-1]["share"]) for r in rows],
                    "solid",
                ),
                charts.Series(
                    f"Plaatsingen na {last} maanden nog lopend (%)",
                    [_percent(r["placements"]["cells"][-1]["share"]) for r in rows],
                    "dashed",
                ),
                charts.Series("Draaideur (%)", [_percent(r["draaideur"]["share"]) for r in rows], "dotted"),
            ],
            summary=f"Per jaar het aandeel uitstroom naar werk dat na {last} maanden nog zonder uitkering is, "
            "het aandeel plaatsingen dat dan nog loopt en de draaideur.",
        )
    return {
        "rows": rows,
        "horizons": horizons,
        "window": result["settings"].draaideur_months,
        "chart": chart,
        "url": reverse("duurzaam:index") + "?" + urlencode(query, doseq=True),
    }


def _percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


def enforcement_panel(*, date_from: date, date_to: date, today: date, suppress: bool) -> dict:
    """Measures per year, per 1,000 on benefit, handhavingszaken and final decisions. The
    measures are counted over the Participatiewet as the enforcement page counts them: the
    dashboard's regulation and group filters do not apply (the page says so)."""
    year_from, year_to = _years(date_from, date_to)
    rows = [
        shown_year(y, suppress=suppress)
        for y in enforcement_figures(year_from=year_from, year_to=year_to, as_of=today)
    ]
    for r in rows:
        r["per_1000_text"] = "–" if r["per_1000"] is None else format_number(r["per_1000"], 1)
    chart = charts.bar_chart("Maatregelen per jaar", [("", [(str(r["year"]), r["total"]) for r in rows])])
    query = urlencode({"year_from": year_from, "year_to": year_to})
    return {"rows": rows, "chart": chart, "url": reverse("handhaving_cijfers:index") + "?" + query}


def panel_table(table: str, panel: dict) -> tuple[list, list[list], str]:
    """(header, rows, what) of a panel's table for the one export helper."""
    if table == "instrumenten":
        header = [
            "aanbieder",
            "verwezen",
            "no-shows",
            "no-show (%)",
            "gestart",
            "beëindigd",
            "geslaagd",
            "slagingskans",
            "kosten",
            "kosten per succes",
        ]
        fields = (
            "label",
            "referrals",
            "no_shows",
            "no_show_rate",
            "starts",
            "ended",
            "successes",
            "success_rate",
            "cost",
            "cost_per_success",
        )
        shown = [*panel["rows"], *([panel["total"]] if panel["total"] else [])]
        return header, [[getattr(r, f) for f in fields] for r in shown], "Monitor: instrumenten per aanbieder"
    if table == "budget":
        header = ["jaar", "begrotingsregel", "financiering", "budget", "uitgegeven", "verplicht", "prognose"]
        rows = [
            [panel["year"], r["line"], r["funding"], r["budget"], r["spent"], r["committed"], r["forecast"]]
            for r in panel["rows"]
        ]
        return header, rows, f"Monitor: budget per begrotingsregel {panel['year']}"
    if table == "duurzaamheid":
        horizons = panel["horizons"]
        header = [
            "jaar",
            "uitstroom naar werk",
            *(f"na {k} mnd nog zonder uitkering" for k in horizons),
            "instroom",
            "terug binnen de termijn (draaideur)",
            "plaatsingen",
            *(f"na {k} mnd nog geplaatst" for k in horizons),
        ]
        rows = [
            [
                r["label"],
                r["outflow"]["count"],
                *(c["lasted"] for c in r["outflow"]["cells"]),
                r["draaideur"]["inflow"],
                r["draaideur"]["returning"],
                r["placements"]["count"],
                *(c["lasted"] for c in r["placements"]["cells"]),
            ]
            for r in panel["rows"]
        ]
        return header, rows, "Monitor: duurzame uitstroom en draaideur"
    header = [
        "jaar",
        "maatregelen",
        "per 1.000 in de bijstand",
        "handhavingszaken",
        "definitieve besluiten",
        "met vier ogen",
    ]
    rows = [
        [r["year"], r["total"], r["per_1000"], r["zaken"], r["decisions"], r["four_eyes"]]
        for r in panel["rows"]
    ]
    return header, rows, "Monitor: handhaving per jaar"
