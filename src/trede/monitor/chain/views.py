"""The chain attribution page (beleid, teamleider, contractmanager)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required, role_may
from trede.audit import events, logevent
from trede.utils import export
from trede.utils.disclosure import SUPPRESSED, protect
from trede.utils.dutch import format_number, format_percent

from ..forecast.forms import REGULATION_LABELS
from ..selectors import FigureError
from .forms import AttributionForm
from .selectors import outflow_attribution


@login_required
@permission_required(perms.CHAIN_READ)
def index(request):
    query = request.GET.copy()
    if not any(key in query for key in ("date_from", "date_to", "regulations")):
        defaults = QueryDict(mutable=True)
        for key, value in AttributionForm.defaults(timezone.localdate()).items():
            defaults.setlist(key, value if isinstance(value, list) else [value])
        defaults.update({k: v for k, v in query.items() if k == export.FORMAT_PARAMETER})
        query = defaults
    form = AttributionForm(query)
    context = {"form": form}
    if not form.is_valid():
        return render(request, "monitor/chain.html", context, status=400)
    data = form.cleaned_data
    try:
        result = outflow_attribution(
            date_from=data["date_from"], date_to=data["date_to"], regulations=data["regulations"]
        )
    except FigureError as exc:
        form.add_error(None, str(exc))
        return render(request, "monitor/chain.html", context, status=400)
    suppress = role_may(request.user, perms.FIGURES_SUPPRESSED)
    counts = [p["outflows"] for p in result["partners"]]
    protection = protect(counts, total=result["total"], suppress=suppress)
    total_shown = SUPPRESSED if protection.total_hidden else result["total"]
    rows = []
    for i, p in enumerate(result["partners"]):
        hidden = protection.hidden[i]
        share = (
            None
            if hidden or protection.total_hidden or not result["total"]
            else p["outflows"] / result["total"]
        )
        rows.append(
            {
                "name": p["name"],
                "kind": p["kind"],
                "outflows": protection.value(i, p["outflows"]),
                "share": SUPPRESSED if hidden else share,
            }
        )
    if request.GET.get(export.FORMAT_PARAMETER):
        logevent.export_made(
            request.user,
            what=f"Uitstroom naar werk per ketenpartner {result['from']} tot {result['to']}",
            count=len(rows),
            purpose=events.PEERS,
            fmt=export.requested_format(request).upper(),
        )
        return export.table_response(
            request,
            filename=f"ketenpartners-{result['from']}-{result['to']}",
            header=["ketenpartner", "soort", "uitstroom naar werk", "aandeel"],
            rows=[[r["name"], r["kind"], r["outflows"], r["share"]] for r in rows]
            + [["Totaal", "", total_shown, 1.0 if result["total"] else None]],
            sheet="Ketenpartners",
        )
    for row in rows:
        row["outflows_text"] = (
            row["outflows"] if row["outflows"] == SUPPRESSED else format_number(row["outflows"])
        )
        row["share_text"] = row["share"] if row["share"] == SUPPRESSED else format_percent(row["share"])
    query.pop(export.FORMAT_PARAMETER, None)
    context.update(
        {
            "result": result,
            "rows": rows,
            "total": total_shown if total_shown == SUPPRESSED else format_number(total_shown),
            "regulation_names": ", ".join(REGULATION_LABELS.get(r, r) for r in result["regulations"]),
            "query": query.urlencode(),
        }
    )
    return render(request, "monitor/chain.html", context)
