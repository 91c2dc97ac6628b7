"""Enforcement in figures (beleid, teamleider): aggregate counts, no client."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required, role_may
from trede.audit import events, logevent
from trede.benefits.constants import MeasureKind
from trede.utils import charts, export
from trede.utils.disclosure import SUPPRESSED, count_value, is_small, protect
from trede.utils.dutch import format_number

from ..duurzaam.forms import YearRangeForm
from .selectors import enforcement_figures

TEMPLATE = "monitor/handhaving.html"
KINDS = [(k.value, k.label.capitalize()) for k in MeasureKind] + [("", "Soort onbekend")]


def _text(value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return format_number(value, decimals)


def shown_year(year, *, suppress: bool) -> dict:
    """One year's figures as published: groups that add up to a shown total are protected
    together (`protect`); an amount or a median of fewer than 5 decisions is hidden, as it
    would be about a person."""
    counts = [year.measures.get(kind, 0) for kind, _label in KINDS]
    measures = protect(counts, total=year.total, suppress=suppress)
    zaken = protect([year.besloten, year.afgezien, year.open], total=year.zaken, suppress=suppress)
    four_eyes = protect(
        [year.four_eyes, year.decisions - year.four_eyes], total=year.decisions, suppress=suppress
    )
    boetes = year.measures.get(MeasureKind.BOETE, 0)
    few_decisions = suppress and is_small(year.decisions)
    total = SUPPRESSED if measures.total_hidden else year.total
    return {
        "year": year.year,
        "whole": year.whole,
        "kinds": [measures.value(i, c) for i, c in enumerate(counts)],
        "total": total,
        "clients": count_value(year.clients, suppress=suppress),
        "per_1000": None if total == SUPPRESSED else year.per_1000,
        "zaken": SUPPRESSED if zaken.total_hidden else year.zaken,
        "besloten": zaken.value(0, year.besloten),
        "afgezien": zaken.value(1, year.afgezien),
        "open": zaken.value(2, year.open),
        "decisions": SUPPRESSED if four_eyes.total_hidden else year.decisions,
        "four_eyes": four_eyes.value(0, year.four_eyes),
        "boete_eur": None if suppress and (is_small(boetes) or few_decisions) else year.boete_eur,
        "median_days": None if few_decisions else year.median_days_to_decision,
    }


@login_required
@permission_required(perms.ENFORCEMENT_FIGURES)
def index(request):
    today = timezone.localdate()
    query = request.GET.copy()
    if not any(key in query for key in ("year_from", "year_to")):
        query.update(YearRangeForm.defaults(today))
    form = YearRangeForm(query)
    context = {"form": form}
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    data = form.cleaned_data
    suppress = role_may(request.user, perms.FIGURES_SUPPRESSED)
    rows = [
        shown_year(y, suppress=suppress)
        for y in enforcement_figures(year_from=data["year_from"], year_to=data["year_to"], as_of=today)
    ]
    header = [
        "jaar",
        *(label.lower() for _k, label in KINDS),
        "maatregelen totaal",
        "klanten met een maatregel",
        "per 1.000 in de bijstand",
        "handhavingszaken",
        "besloten",
        "afgezien",
        "open",
        "definitieve besluiten",
        "met vier ogen",
        "boetes (euro)",
        "mediaan dagen tot besluit",
    ]
    table = [
        [
            r["year"],
            *r["kinds"],
            r["total"],
            r["clients"],
            r["per_1000"],
            r["zaken"],
            r["besloten"],
            r["afgezien"],
            r["open"],
            r["decisions"],
            r["four_eyes"],
            r["boete_eur"],
            r["median_days"],
        ]
        for r in rows
    ]
    if request.GET.get(export.FORMAT_PARAMETER):
        logevent.export_made(
            request.user,
            what=f"Handhaving in cijfers {data['year_from']}-{data['year_to']}",
            count=len(table),
            purpose=events.MONITOR,
            fmt=export.requested_format(request).upper(),
        )
        return export.table_response(
            request,
            filename=f"handhaving-{data['year_from']}-{data['year_to']}",
            header=header,
            rows=table,
            sheet="Handhaving",
        )
    for r in rows:
        r["kinds_text"] = [_text(v) for v in r["kinds"]]
        for key in ("total", "clients", "zaken", "besloten", "afgezien", "open", "decisions", "four_eyes"):
            r[f"{key}_text"] = _text(r[key])
        r["per_1000_text"] = _text(r["per_1000"], 1)
        r["boete_text"] = "–" if r["boete_eur"] is None else f"€ {format_number(r['boete_eur'], 2)}"
        r["median_text"] = _text(r["median_days"])
    chart = charts.bar_chart(
        "Maatregelen per jaar (waarschuwing, boete, maatregel en tegenprestatie samen)",
        [("", [(str(r["year"]), r["total"]) for r in rows])],
    )
    context.update(
        {
            "rows": rows,
            "kinds": [label for _k, label in KINDS],
            "chart": chart,
            "suppress": suppress,
            "today": today,
            "query": query.urlencode(),
        }
    )
    return render(request, TEMPLATE, context)
