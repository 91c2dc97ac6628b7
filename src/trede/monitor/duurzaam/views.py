"""The durability page: does outflow to work last, who comes back, do placements hold
(beleid, teamleider, contractmanager, accountmanager; aggregate counts only)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required, role_may
from trede.audit import events, logevent
from trede.utils import charts, export
from trede.utils.disclosure import SUPPRESSED, protect
from trede.utils.dutch import format_number, format_percent

from ..dashboard.forms import CLIENT_GROUP_LABELS
from ..forecast.forms import REGULATION_LABELS
from ..selectors import FigureError
from .forms import DurabilityForm
from .selectors import durability_figures

TEMPLATE = "monitor/duurzaam.html"
STYLES = ("solid", "dashed", "dotted")


def _months_text(k: int) -> str:
    return f"{k} maand" if k == 1 else f"{k} maanden"


def _text(value) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED or isinstance(value, str):
        return value
    return format_number(value)


def _part_of(part: int, whole: int, *, suppress: bool) -> tuple:
    """A part of a shown whole, hidden with its complement when either names 1-4 people
    (so the part cannot be read back from the whole); its share None when hidden."""
    protection = protect([part, whole - part], total=whole, suppress=suppress)
    hidden = protection.hidden[0] or protection.total_hidden
    shown = protection.value(0, part)
    return shown, (None if hidden or not whole else part / whole)


def durability_rows(rows, *, suppress: bool) -> list[dict]:
    shown = []
    for row in rows:
        cells = []
        for horizon in row.horizons:
            observed = protect([horizon.observed], total=horizon.observed, suppress=suppress)
            observed_value = observed.value(0, horizon.observed)
            if observed_value == SUPPRESSED:
                lasted, share = SUPPRESSED, None
            else:
                lasted, share = _part_of(horizon.lasted, horizon.observed, suppress=suppress)
            cells.append(
                {
                    "months": horizon.months,
                    "observed": observed_value,
                    "lasted": lasted,
                    "share": share,
                    "observed_text": _text(observed_value),
                    "lasted_text": _text(lasted) if horizon.observed else "–",
                    "share_text": format_percent(share) if share is not None else "–",
                }
            )
        count = protect([row.count], total=row.count, suppress=suppress).value(0, row.count)
        shown.append({"label": row.period.label, "count": count, "count_text": _text(count), "cells": cells})
    return shown


def draaideur_rows(rows, *, suppress: bool) -> list[dict]:
    shown = []
    for row in rows:
        inflow = protect([row.inflow], total=row.inflow, suppress=suppress).value(0, row.inflow)
        if inflow == SUPPRESSED:
            returning, share, after_work = SUPPRESSED, None, SUPPRESSED
        else:
            returning, share = _part_of(row.returning, row.inflow, suppress=suppress)
            after_work = (
                SUPPRESSED
                if returning == SUPPRESSED
                else _part_of(row.returning_after_work, row.returning, suppress=suppress)[0]
            )
        shown.append(
            {
                "label": row.period.label,
                "inflow": inflow,
                "returning": returning,
                "after_work": after_work,
                "share": share,
                "inflow_text": _text(inflow),
                "returning_text": _text(returning),
                "after_work_text": _text(after_work),
                "share_text": format_percent(share) if share is not None else "–",
            }
        )
    return shown


def _share_chart(rows: list[dict], horizons, *, what: str):
    labels = [row["label"] for row in rows]
    series = [
        charts.Series(
            f"{what} na {_months_text(k)}",
            [
                None if row["cells"][i]["share"] is None else round(100 * row["cells"][i]["share"], 1)
                for row in rows
            ],
            STYLES[i % len(STYLES)],
        )
        for i, k in enumerate(horizons)
    ]
    return charts.line_chart(
        labels=labels,
        series=series,
        summary=f"Aandeel in procenten per jaar; {', '.join(s.name.lower() for s in series)}.",
    )


def _export(request, result, outflow, draaideur, placements, cbs):
    """One long table: a row per year and term, whatever the subject."""
    header = ["onderwerp", "jaar", "aantal", "termijn (maanden)", "waarvan bekend", "waarvan", "aandeel"]
    rows = []
    for subject, table in (
        ("uitstroom naar werk: nog zonder uitkering", outflow),
        ("uitstroom (CBS): aan het werk zonder nieuwe uitkering", cbs),
        ("plaatsing: nog aan het werk", placements),
    ):
        for row in table:
            for cell in row["cells"]:
                rows.append(
                    [
                        subject,
                        row["label"],
                        row["count"],
                        cell["months"],
                        cell["observed"],
                        cell["lasted"],
                        cell["share"],
                    ]
                )
    window = result["settings"].draaideur_months
    for row in draaideur:
        rows.append(
            [
                "instroom: eerdere uitkering binnen de termijn geëindigd (herinstroom)",
                row["label"],
                row["inflow"],
                window,
                row["inflow"],
                row["returning"],
                row["share"],
            ]
        )
    logevent.export_made(
        request.user,
        what=f"Duurzame uitstroom, herinstroom en plaatsingen {result['from']} tot {result['to']}",
        count=len(rows),
        purpose=events.MONITOR,
        fmt=export.requested_format(request).upper(),
    )
    return export.table_response(
        request,
        filename=f"duurzaamheid-{result['from']}-{result['to']}",
        header=header,
        rows=rows,
        sheet="Duurzaamheid",
    )


@login_required
@permission_required(perms.DURABILITY_READ)
def index(request):
    today = timezone.localdate()
    query = request.GET.copy()
    if not any(key in query for key in ("year_from", "year_to", "regulations")):
        defaults = QueryDict(mutable=True)
        for key, value in DurabilityForm.defaults(today).items():
            defaults.setlist(key, value if isinstance(value, list) else [value])
        defaults.update({k: v for k, v in query.items() if k == export.FORMAT_PARAMETER})
        query = defaults
    form = DurabilityForm(query)
    context = {"form": form}
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    data = form.cleaned_data
    try:
        result = durability_figures(
            date_from=date(data["year_from"], 1, 1),
            date_to=date(data["year_to"] + 1, 1, 1),
            as_of=today,
            regulations=data["regulations"],
            group=data["doelgroep"],
        )
    except FigureError as exc:
        form.add_error(None, str(exc))
        return render(request, TEMPLATE, context, status=400)
    suppress = role_may(request.user, perms.FIGURES_SUPPRESSED)
    outflow = durability_rows(result["outflow"], suppress=suppress)
    placements = durability_rows(result["placements"], suppress=suppress)
    draaideur = draaideur_rows(result["draaideur"], suppress=suppress)
    cbs = durability_rows(result["cbs_outflow"], suppress=suppress)
    if request.GET.get(export.FORMAT_PARAMETER):
        return _export(request, result, outflow, draaideur, placements, cbs)
    horizons = result["settings"].horizons_months
    query.pop(export.FORMAT_PARAMETER, None)
    context.update(
        {
            "result": result,
            "horizons": [{"months": k, "text": _months_text(k)} for k in horizons],
            "outflow": outflow,
            "placements": placements,
            "cbs": cbs,
            "draaideur": draaideur,
            "outflow_chart": _share_chart(outflow, horizons, what="Nog zonder uitkering"),
            "placement_chart": _share_chart(placements, horizons, what="Nog aan het werk"),
            "cbs_chart": _share_chart(cbs, horizons, what="Aan het werk zonder nieuwe uitkering"),
            "window": _months_text(result["settings"].draaideur_months),
            "partial_year": result["to"] > date(today.year, 1, 1),
            "suppress": suppress,
            "regulation_names": ", ".join(REGULATION_LABELS.get(r, r) for r in result["regulations"]),
            "group_name": CLIENT_GROUP_LABELS.get(result["group"], ""),
            "query": query.urlencode(),
        }
    )
    return render(request, TEMPLATE, context)
