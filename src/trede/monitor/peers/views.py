"""The comparison page (beleid, teamleider) and the import of reference figures (beleid,
beheerder)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required, role_may
from trede.audit import events, logevent
from trede.utils import charts, export
from trede.utils.concurrency import new_submission_key
from trede.utils.disclosure import SUPPRESSED, is_small
from trede.utils.dutch import format_number, format_percent

from ..constants import DEFAULT_REGULATIONS
from ..forecast.forms import REGULATION_LABELS
from . import services
from .forms import ComparisonForm, PeerImportForm
from .reading import COLUMNS
from .selectors import Comparison, comparison, peer_figures, peer_imports

OWN_HEADER = "eigen gemeente"


def _rate_text(value) -> str:
    return "–" if value is None else format_number(value, 1)


def _own_shown(comp: Comparison, year: int, *, suppress: bool) -> dict:
    """The own figures of a year as the page and the export show them: a rate derived
    from a count of 1-4 is hidden with the count (for `beleid`)."""
    own = comp.own.get(year)
    if own is None:
        return {"stock": None, "per_1000": None, "to_work": None, "outflow_rate": None}
    small_stock = suppress and is_small(own.stock)
    small_work = suppress and own.outflow_to_work is not None and is_small(own.outflow_to_work)
    return {
        "stock": SUPPRESSED if small_stock else own.stock,
        "per_1000": SUPPRESSED if small_stock else own.per_1000,
        "to_work": SUPPRESSED if small_work else own.outflow_to_work,
        "outflow_rate": SUPPRESSED if (small_work or small_stock) else own.outflow_rate,
    }


def _chart(comp: Comparison, own_rows: dict[int, dict], focus: str | None):
    labels = [str(y) for y in comp.years]

    def number(value):
        return None if value is None or value == SUPPRESSED else float(value)

    series = [
        charts.Series(comp.settings.name, [number(own_rows[y]["per_1000"]) for y in comp.years], "solid"),
    ]
    if comp.median:
        series.append(
            charts.Series(
                "Mediaan van de vergelijkingsgemeenten",
                [number(comp.median.get(y)) for y in comp.years],
                "dashed",
            )
        )
    if focus and focus in comp.peers:
        series.append(
            charts.Series(
                focus,
                [number(getattr(comp.peers[focus].get(y), "per_1000", None)) for y in comp.years],
                "dotted",
            )
        )
    if not any(v is not None for s in series for v in s.values):
        return None
    last = next((y for y in reversed(comp.years) if own_rows[y]["per_1000"] not in (None, SUPPRESSED)), None)
    summary = f"Uitkeringen per 1.000 inwoners van {labels[0]} tot en met {labels[-1]}."
    if last is not None:
        summary += f" {comp.settings.name} in {last}: {_rate_text(own_rows[last]['per_1000'])}"
        if last in comp.median:
            summary += (
                f"; mediaan van de vergelijkingsgemeenten {_rate_text(comp.median[last])} "
                f"(van {_rate_text(comp.low[last])} tot {_rate_text(comp.high[last])})"
            )
        summary += "."
    band = None
    if comp.low:
        band = charts.Band(
            "Laagste tot hoogste vergelijkingsgemeente",
            [number(comp.low.get(y)) for y in comp.years],
            [number(comp.high.get(y)) for y in comp.years],
        )
    return charts.line_chart(labels=labels, series=series, band=band, summary=summary)


def _table(comp: Comparison, own_rows: dict[int, dict]) -> tuple[list[str], list[list]]:
    """One row per municipality and year (the own first), as plain values for the export."""
    header = [
        "gemeente",
        "jaar",
        "uitkeringen per 1.000 inwoners",
        "berekend uit inwoners en uitkeringen",
        "inwoners",
        "uitkeringen (bestand)",
        "uitstroom naar werk",
        "uitstroom naar werk (aandeel)",
        "bron",
    ]
    rows = []
    for year in comp.years:
        own = own_rows[year]
        if own["per_1000"] is None:
            continue
        rows.append(
            [
                comp.settings.name,
                year,
                own["per_1000"],
                "ja",
                comp.settings.population,
                own["stock"],
                own["to_work"],
                own["outflow_rate"],
                f"Trede: bestand op 1 januari {year + 1}; inwoners uit de beleidsinstelling",
            ]
        )
    for name in comp.names:
        for year, p in sorted(comp.peers[name].items()):
            rows.append(
                [
                    name,
                    year,
                    p.per_1000,
                    "ja" if p.computed else "nee",
                    p.population,
                    p.benefits,
                    p.outflow_to_work,
                    p.outflow_rate,
                    p.source,
                ]
            )
    return header, rows


@login_required
@permission_required(perms.PEERS_READ)
def index(request):
    query = request.GET.copy()
    if not query.getlist("regulations"):
        query.setlist("regulations", list(DEFAULT_REGULATIONS))  # the peers' tables count the Participatiewet
    form = ComparisonForm(query)
    context = {"form": form, "may_import": role_may(request.user, perms.PEERS_IMPORT), "columns": COLUMNS}
    if not form.is_valid():
        return render(request, "monitor/peers.html", context, status=400)
    data = form.cleaned_data
    regulations = data["regulations"]
    comp = comparison(
        today=timezone.localdate(),
        year_from=data.get("year_from"),
        year_to=data.get("year_to"),
        regulations=regulations,
    )
    suppress = role_may(request.user, perms.FIGURES_SUPPRESSED)
    own_rows = {y: _own_shown(comp, y, suppress=suppress) for y in comp.years}
    if request.GET.get(export.FORMAT_PARAMETER):
        header, rows = _table(comp, own_rows)
        logevent.export_made(
            request.user,
            what=f"Vergelijking met andere gemeenten {comp.years[0]}-{comp.years[-1]}",
            count=len(rows),
            purpose=events.PEERS,
            fmt=export.requested_format(request).upper(),
        )
        return export.table_response(
            request,
            filename=f"vergelijking-{comp.years[0]}-{comp.years[-1]}",
            header=header,
            rows=rows,
            sheet="Vergelijking",
        )
    focus = request.GET.get("gemeente") or None
    table_rows = []
    for year in comp.years:
        own = own_rows[year]
        table_rows.append(
            {
                "year": year,
                "own": _rate_text(own["per_1000"]) if own["per_1000"] != SUPPRESSED else SUPPRESSED,
                "stock": "–"
                if own["stock"] is None
                else own["stock"]
                if own["stock"] == SUPPRESSED
                else format_number(own["stock"]),
                "median": _rate_text(comp.median.get(year)),
                "peers": [_rate_text(getattr(comp.peers[n].get(year), "per_1000", None)) for n in comp.names],
            }
        )
    outflow_rows = []
    if comp.has_outflow:
        for year in comp.years:
            own = own_rows[year]
            rate = own["outflow_rate"]
            outflow_rows.append(
                {
                    "year": year,
                    "own": SUPPRESSED if rate == SUPPRESSED else format_percent(rate),
                    "peers": [
                        format_percent(getattr(comp.peers[n].get(year), "outflow_rate", None))
                        for n in comp.names
                    ],
                }
            )
    query.pop(export.FORMAT_PARAMETER, None)
    context.update(
        {
            "comp": comp,
            "chart": _chart(comp, own_rows, focus),
            "focus": focus,
            "table_rows": table_rows,
            "outflow_rows": outflow_rows,
            "population": format_number(comp.settings.population),
            "regulation_names": ", ".join(REGULATION_LABELS.get(r, r) for r in regulations),
            "query": query.urlencode(),
            "imports": peer_imports()[:5],
        }
    )
    return render(request, "monitor/peers.html", context)


@login_required
@permission_required(perms.PEERS_IMPORT)
@require_http_methods(["GET", "POST"])
def import_file(request):
    status = 200
    problems = []
    if request.method == "POST":
        form = PeerImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = services.peers_import(
                    content=upload.read(),
                    filename=upload.name,
                    source=form.cleaned_data["source"],
                    user=request.user,
                    submission_key=form.cleaned_data.get("submission_key") or None,
                )
            except services.PeerImportRefused as refused:
                problems = refused.problems
                status = 400
            else:
                done = outcome.peer_import
                messages.success(
                    request,
                    f"Ingelezen uit {done.filename}: {done.figures} jaarcijfers van {done.municipalities} gemeenten."
                    if outcome.created
                    else f"Dit bestand was al ingelezen ({done.filename}); er is niets dubbel opgeslagen.",
                )
                if role_may(request.user, perms.PEERS_READ):
                    return redirect("peers:index")
                return redirect("peers:import")
        else:
            status = 400
        if problems:
            # Nothing was written: the corrected file is chosen again, the source stays.
            form = PeerImportForm(
                initial={"source": request.POST.get("source", ""), "submission_key": new_submission_key()}
            )
    else:
        form = PeerImportForm(initial={"submission_key": new_submission_key()})
    context = {
        "form": form,
        "problems": problems,
        "columns": COLUMNS,
        "imports": peer_imports(),
        "stored": len(peer_figures()),
        "may_read": role_may(request.user, perms.PEERS_READ),
    }
    return render(request, "monitor/peers_import.html", context, status=status)
