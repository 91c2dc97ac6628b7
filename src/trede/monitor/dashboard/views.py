"""The monitor dashboard (beleid, teamleider) and the clients behind its figures (drill-down,
for the roles that work with client lists, within their own scope)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope
from trede.accounts.permissions import permission_required, role_may
from trede.audit import events, logevent
from trede.clients.models import Client
from trede.portal.formatting import MONTHS_SHORT, dutch_percent
from trede.utils import charts, export
from trede.utils.disclosure import SUPPRESSED, count_value, protect

from ..constants import END_REASONS
from ..forecast.forms import REGULATION_LABELS
from ..selectors import FigureError, flow_client_ids, stock_client_ids
from . import panels as other_panels
from .forms import CLIENT_GROUP_LABELS, DIMENSIONS, REASON_LABELS, DashboardForm, DrillDownForm, band_label
from .selectors import dashboard_figures, target_settings

TABLES = ("bestand", "samenstelling", "stromen", "doelen", "ladder", *other_panels.PANEL_TABLES)
PAGE_SIZE = 100


def _tick(label: str, granularity: str) -> str | None:
    """Under the x axis: the year at its first period (every label per year)."""
    if granularity == "year":
        return label
    if label.endswith("-01") or label.endswith("-Q1"):
        return label[:4]
    return None


def _period_text(label: str, granularity: str) -> str:
    if granularity == "month":
        return f"{MONTHS_SHORT[int(label[5:7]) - 1]} {label[:4]}"
    if granularity == "quarter":
        return f"{label[6]}e kwartaal {label[:4]}"
    return label


def _hidden_or(value, hidden: bool):
    return SUPPRESSED if hidden else value


def _share(numerator: int, denominator: int, *, hidden: bool):
    if hidden or not denominator:
        return None
    return numerator / denominator


def _drill_url(**params) -> str:
    return reverse("dashboard:clients") + "?" + urlencode(params, doseq=True)


def _panels(
    figures: dict,
    *,
    granularity: str,
    dimension: str,
    regulations,
    suppress: bool,
    drill: bool,
    group: str = "",
):
    """Rows for every table (values as shown: a count or `<5`) and the charts."""

    def link(**params) -> str:
        # The drill-down keeps the group the figures are narrowed to.
        return _drill_url(**params, **({"doelgroep": group} if group else {}))

    labels = [row["period"] for row in figures["stock"]]
    ticks = [_tick(label, granularity) for label in labels]
    # Bestand per period.
    stock_rows = [
        {
            "period": row["period"],
            "text": _period_text(row["period"], granularity),
            "day": row["day"],
            "stock": count_value(row["stock"], suppress=suppress),
        }
        for row in figures["stock"]
    ]
    line = [r["stock"] if isinstance(r["stock"], int) else None for r in stock_rows]
    last = figures["stock"][-1]
    stock_chart = charts.line_chart(
        labels=[r["text"] for r in stock_rows],
        series=[charts.Series("Bestand op de eerste dag", line, "solid")],
        tick_labels=ticks,
        from_zero=False,
        summary=(
            f"Het bestand op {last['day'].isoformat()}: {count_value(last['stock'], suppress=suppress)} mensen; "
            f"op {figures['stock'][0]['day'].isoformat()}: {count_value(figures['stock'][0]['stock'], suppress=suppress)}."
        ),
    )
    # Samenstelling on the last point.
    breakdown = figures["breakdown"]
    as_of = date.fromisoformat(breakdown["as_of"])
    bands = DIMENSIONS[dimension][1]
    counts = [breakdown[dimension][band] for band in bands]
    protection = protect(counts, total=breakdown["total"], suppress=suppress)
    composition = []
    for i, band in enumerate(bands):
        composition.append(
            {
                "band": band,
                "label": band_label(band),
                "count": protection.value(i, counts[i]),
                "share": _share(counts[i], breakdown["total"], hidden=protection.hidden[i]),
                "url": link(
                    cijfer="bestand",
                    regelingen=regulations,
                    peildatum=as_of.isoformat(),
                    indeling=dimension,
                    groep=band,
                )
                if drill and counts[i]
                else "",
            }
        )
    composition_total = {
        "count": _hidden_or(breakdown["total"], protection.total_hidden),
        "url": link(cijfer="bestand", regelingen=regulations, peildatum=as_of.isoformat())
        if drill and breakdown["total"]
        else "",
    }
    for row in composition:
        row["share_text"] = dutch_percent(row["share"]) if row["share"] is not None else "–"
    # Instroom en uitstroom per period.
    bounds = {label: (start, end) for label, start, end in figures["periods"]}
    flow_rows = []
    for row in figures["flows"]["periods"]:
        reasons = [row["outflow"][r] for r in END_REASONS]
        shown = protect(reasons, total=row["outflow_total"], suppress=suppress)
        start, end = bounds[row["period"]]
        span = {"regelingen": regulations, "van": start.isoformat(), "tot": end.isoformat()}
        cells = []
        for i, reason in enumerate(END_REASONS):
            cells.append(
                {
                    "reason": reason,
                    "reason_label": REASON_LABELS.get(reason, reason).lower(),
                    "count": shown.value(i, reasons[i]),
                    "url": link(cijfer="uitstroom", reden=reason, **span) if drill and reasons[i] else "",
                }
            )
        flow_rows.append(
            {
                "period": row["period"],
                "text": _period_text(row["period"], granularity),
                "inflow": count_value(row["inflow"], suppress=suppress),
                "inflow_url": link(cijfer="instroom", **span) if drill and row["inflow"] else "",
                "reasons": cells,
                "outflow_total": _hidden_or(row["outflow_total"], shown.total_hidden),
                "outflow_url": link(cijfer="uitstroom", **span) if drill and row["outflow_total"] else "",
                "to_work": cells[END_REASONS.index("werk")]["count"],
            }
        )

    def plotted(values):
        return [v if isinstance(v, int) else None for v in values]

    flow_chart = charts.line_chart(
        labels=[r["text"] for r in flow_rows],
        series=[
            charts.Series("Instroom", plotted(r["inflow"] for r in flow_rows), "solid"),
            charts.Series("Uitstroom", plotted(r["outflow_total"] for r in flow_rows), "dashed"),
            charts.Series("Uitstroom naar werk", plotted(r["to_work"] for r in flow_rows), "dotted"),
        ],
        tick_labels=ticks,
        summary=(
            f"Over de gekozen periode: instroom {_sum_text(flow_rows, 'inflow')}, "
            f"uitstroom {_sum_text(flow_rows, 'outflow_total')}."
        ),
    )
    return {
        "stock_rows": stock_rows,
        "stock_chart": stock_chart,
        "as_of": as_of,
        "composition": composition,
        "composition_total": composition_total,
        "flow_rows": flow_rows,
        "flow_chart": flow_chart,
    }


def _sum_text(rows, key) -> str:
    values = [r[key] for r in rows]
    if any(not isinstance(v, int) for v in values):
        return "niet te tonen (kleine aantallen)"
    return str(sum(values))


def _target_rows(years: list[dict], targets, *, suppress: bool) -> list[dict]:
    rows = []
    for year in years:
        small = suppress and (0 < year["to_work"] < 5)
        flows_small = suppress and (0 < year["inflow"] < 5 or 0 < year["outflow"] < 5)
        target = targets.outflow_to_work_per_year
        rows.append(
            {
                "year": year["year"],
                "whole": year["whole"],
                "to_work": count_value(year["to_work"], suppress=suppress),
                "target": target or None,
                "share": None if small or not target else year["to_work"] / target,
                "rate": None if small else year["rate"],
                "net_reduction": SUPPRESSED if flows_small else year["net_reduction"],
                "reduction_target": targets.net_stock_reduction_per_year or None,
            }
        )
    for row in rows:
        row["share_text"] = dutch_percent(row["share"], 0) if row["share"] is not None else "–"
        row["rate_text"] = dutch_percent(row["rate"]) if row["rate"] is not None else "–"
    return rows


def _ladder_rows(ladder: list[dict], targets, *, suppress: bool) -> list[dict]:
    """Per whole year: clients with development potential, how many climbed a step, the
    share against the target; a part and its complement hidden together for beleid."""
    rows = []
    for year in ladder:
        protection = protect(
            [year["climbed"], year["potential"] - year["climbed"]], total=year["potential"], suppress=suppress
        )
        potential = SUPPRESSED if protection.total_hidden else year["potential"]
        climbed = protection.value(0, year["climbed"])
        hidden = protection.hidden[0] or protection.total_hidden
        share = None if hidden or not year["potential"] else year["climbed"] / year["potential"]
        target = targets.ladder_progression_share or None
        rows.append(
            {
                "year": str(year["year"]),
                "potential": potential,
                "climbed": climbed,
                "share": share,
                "target": target,
                "met": None if share is None or target is None else share >= target,
                "share_text": dutch_percent(share, 0) if share is not None else "–",
                "target_text": dutch_percent(target, 0) if target else "–",
            }
        )
    return rows


def _export(request, table: str, *, panels, target_rows, figures, dimension, regulations, ladder_rows=()):
    reasons = [REASON_LABELS.get(r, r) for r in END_REASONS]
    if table == "bestand":
        header = ["periode", "eerste dag", "bestand"]
        rows = [[r["period"], r["day"], r["stock"]] for r in panels["stock_rows"]]
        what = "Monitor: bestand per periode"
    elif table == "samenstelling":
        header = [DIMENSIONS[dimension][0].lower(), "aantal", "aandeel"]
        rows = [[r["label"], r["count"], r["share"]] for r in panels["composition"]]
        rows.append(["totaal", panels["composition_total"]["count"], None])
        what = f"Monitor: samenstelling van het bestand op {panels['as_of'].isoformat()}"
    elif table == "stromen":
        header = ["periode", "instroom", *(f"uitstroom {r.lower()}" for r in reasons), "uitstroom totaal"]
        rows = [
            [r["period"], r["inflow"], *(c["count"] for c in r["reasons"]), r["outflow_total"]]
            for r in panels["flow_rows"]
        ]
        what = "Monitor: instroom en uitstroom per periode"
    elif table == "ladder":
        header = ["jaar", "klanten met ontwikkelpotentieel", "een trede of meer gestegen", "aandeel", "doel"]
        rows = [[r["year"], r["potential"], r["climbed"], r["share"], r["target"]] for r in ladder_rows]
        what = "Monitor: stijgen op de participatieladder"
    else:
        header = [
            "jaar",
            "heel jaar in de periode",
            "uitstroom naar werk",
            "doel uitstroom naar werk",
            "deel van het doel",
            "uitstroomquote naar werk",
            "netto afname bestand",
            "doel netto afname",
        ]
        rows = [
            [
                r["year"],
                r["whole"],
                r["to_work"],
                r["target"],
                r["share"],
                r["rate"],
                r["net_reduction"],
                r["reduction_target"],
            ]
            for r in target_rows
        ]
        what = "Monitor: uitstroom naar werk tegen het doel"
    fmt = export.requested_format(request)
    logevent.export_made(request.user, what=what, count=len(rows), purpose=events.MONITOR, fmt=fmt.upper())
    first = figures["periods"][0][1].isoformat()
    return export.table_response(
        request,
        filename=f"monitor-{table}-{first}-{'-'.join(regulations)}",
        header=header,
        rows=rows,
        sheet=what.removeprefix("Monitor: ")[:31],
        fmt=fmt,
    )


@login_required
@permission_required(perms.DASHBOARD_READ)
def index(request):
    form = DashboardForm(request.GET if request.GET.get("van") else DashboardForm.defaults())
    context = {"form": form}
    if not form.is_valid():
        return render(request, "monitor/dashboard.html", context, status=400)
    data = form.cleaned_data
    regulations = data["regelingen"]
    granularity, dimension = data["periode"], data["indeling"]
    try:
        figures = dashboard_figures(
            date_from=form.date_from,
            date_to=form.date_to,
            granularity=granularity,
            regulations=regulations,
            group=data["doelgroep"],
        )
    except FigureError as exc:
        form.add_error(None, str(exc))
        return render(request, "monitor/dashboard.html", context, status=400)
    suppress = role_may(request.user, perms.FIGURES_SUPPRESSED)
    drill = role_may(request.user, perms.DASHBOARD_CLIENTS) and not suppress
    panels = _panels(
        figures,
        granularity=granularity,
        dimension=dimension,
        regulations=regulations,
        suppress=suppress,
        drill=drill,
        group=data["doelgroep"],
    )
    targets = target_settings()
    target_rows = _target_rows(figures["years"], targets, suppress=suppress)
    ladder_rows = _ladder_rows(figures["ladder"], targets, suppress=suppress)
    extra = _other_panels(
        request.user, form=form, regulations=regulations, group=data["doelgroep"], suppress=suppress
    )
    table = request.GET.get("tabel", "")
    if request.GET.get(export.FORMAT_PARAMETER) and table in extra:
        header, rows, what = other_panels.panel_table(table, extra[table])
        fmt = export.requested_format(request)
        logevent.export_made(
            request.user, what=what, count=len(rows), purpose=events.MONITOR, fmt=fmt.upper()
        )
        return export.table_response(
            request,
            filename=f"monitor-{table}-{form.date_from.isoformat()}",
            header=header,
            rows=rows,
            sheet=what.removeprefix("Monitor: ")[:31],
            fmt=fmt,
        )
    if request.GET.get(export.FORMAT_PARAMETER) and table in TABLES:
        return _export(
            request,
            table,
            panels=panels,
            target_rows=target_rows,
            figures=figures,
            dimension=dimension,
            regulations=regulations,
            ladder_rows=ladder_rows,
        )
    target_chart = None
    if targets.outflow_to_work_per_year and len(target_rows) > 1:
        target_chart = charts.line_chart(
            labels=[r["year"] for r in target_rows],
            series=[
                charts.Series(
                    "Uitstroom naar werk",
                    [r["to_work"] if isinstance(r["to_work"], int) else None for r in target_rows],
                    "solid",
                ),
                charts.Series("Doel", [targets.outflow_to_work_per_year] * len(target_rows), "dashed"),
            ],
            summary=f"Doel: {targets.outflow_to_work_per_year} mensen per jaar uit de uitkering naar werk.",
        )
    if request.GET.get("van"):
        query = request.GET.copy()
    else:
        query = QueryDict(mutable=True)
        for key, value in DashboardForm.defaults().items():
            query.setlist(key, value if isinstance(value, list) else [value])
    query.pop(export.FORMAT_PARAMETER, None)
    query.pop("tabel", None)
    context.update(
        {
            "panels": panels,
            "extra": extra,
            "target_rows": target_rows,
            "ladder_rows": ladder_rows,
            "ladder_groups": ", ".join(band_label(g).lower() for g in targets.ladder_progression_groups),
            "target_chart": target_chart,
            "targets": targets,
            "reasons": [(r, REASON_LABELS.get(r, r)) for r in END_REASONS],
            "dimension_label": DIMENSIONS[dimension][0],
            "regulation_names": ", ".join(REGULATION_LABELS.get(r, r) for r in regulations)
            + (f"; alleen {CLIENT_GROUP_LABELS[data['doelgroep']].lower()}" if data["doelgroep"] else ""),
            "suppress": suppress,
            "drill": drill,
            "query": query.urlencode(),
            "last_day": form.date_to - timedelta(days=1),
        }
    )
    return render(request, "monitor/dashboard.html", context)


def _other_panels(user, *, form, regulations, group: str, suppress: bool) -> dict:
    """The panels of other pages this user may open (a section the role may not see is not
    computed or rendered), keyed by their table name."""
    today = timezone.localdate()
    out = {}
    if role_may(user, perms.CATALOGUE_READ):
        out["instrumenten"] = other_panels.instrument_panel(
            date_from=form.date_from, date_to=form.date_to, suppress=suppress
        )
    if role_may(user, perms.BUDGET_READ):
        out["budget"] = other_panels.budget_panel(date_to=form.date_to, today=today)
    if role_may(user, perms.DURABILITY_READ):
        out["duurzaamheid"] = other_panels.durability_panel(
            date_from=form.date_from,
            date_to=form.date_to,
            regulations=regulations,
            group=group,
            today=today,
            suppress=suppress,
        )
    if role_may(user, perms.ENFORCEMENT_FIGURES):
        out["handhaving"] = other_panels.enforcement_panel(
            date_from=form.date_from, date_to=form.date_to, today=today, suppress=suppress
        )
    return out


# --------------------------------------------------------------------------- drill-down


def _drill_title(data: dict) -> str:
    regs = ", ".join(REGULATION_LABELS.get(r, r) for r in data["regelingen"])
    if data.get("doelgroep"):
        regs += f"; {CLIENT_GROUP_LABELS[data['doelgroep']].lower()}"
    if data["cijfer"] == "bestand":
        title = f"Bestand op {data['peildatum'].isoformat()} ({regs})"
        if data.get("indeling"):
            title += f", {DIMENSIONS[data['indeling']][0].lower()}: {band_label(data['groep'])}"
        return title
    span = f"van {data['van'].isoformat()} tot {data['tot'].isoformat()}"
    if data["cijfer"] == "instroom":
        return f"Instroom {span} ({regs})"
    reason = f", reden {REASON_LABELS.get(data['reden'], data['reden']).lower()}" if data.get("reden") else ""
    return f"Uitstroom {span} ({regs}){reason}"


def _clients_export(request, client_ids: list[str], *, title: str):
    """Every client of the list within the user's scope (not only one page), audited as an
    export and as a list read of each client, as "Mijn klanten" does."""
    fmt = export.requested_format(request)
    rows = _rows_in_chunks(client_ids)
    logevent.export_made(
        request.user, what=f"Monitor: {title}", count=len(rows), purpose=events.MONITOR, fmt=fmt.upper()
    )
    logevent.clients_listed(
        request.user,
        [r[0] for r in rows],
        list_name=f"Monitor: {title} ({fmt.upper()}-download)",
        purpose=events.MONITOR,
        object_type="monitor",
    )
    return export.table_response(
        request,
        filename="monitor-klanten",
        header=["klantnummer", "naam", "consulent"],
        rows=rows,
        sheet="Klanten",
        fmt=fmt,
    )


def _rows_in_chunks(client_ids: list[str]) -> list[list]:
    """Client number, name and consultant, by client number; in chunks, as one IN list may
    hold only so many values."""
    rows = []
    for i in range(0, len(client_ids), 5000):
        rows += [
            [c.client_id, c.name, c.consultant.name if c.consultant else None]
            for c in Client.objects.filter(pk__in=client_ids[i : i + 5000]).select_related("consultant")
        ]
    return sorted(rows, key=lambda r: r[0])


@login_required
@permission_required(perms.DASHBOARD_CLIENTS)
def clients(request):
    """The clients behind one figure, only those within the user's scope, 100 a page; each
    name shown is audited as a list read (`client_listed`, purpose `monitor`)."""
    form = DrillDownForm(request.GET if request.GET.get("cijfer") else DrillDownForm.defaults())
    context = {"form": form}
    if not form.is_valid():
        return render(request, "monitor/dashboard_clients.html", context, status=400)
    data = form.cleaned_data
    try:
        if data["cijfer"] == "bestand":
            ids = stock_client_ids(
                as_of=data["peildatum"],
                regulations=data["regelingen"],
                dimension=data.get("indeling") or "",
                band=data.get("groep") or "",
                group=data.get("doelgroep") or "",
            )
        else:
            ids = flow_client_ids(
                date_from=data["van"],
                date_to=data["tot"],
                kind="in" if data["cijfer"] == "instroom" else "out",
                reason=data.get("reden") or "",
                regulations=data["regelingen"],
                group=data.get("doelgroep") or "",
            )
    except FigureError as exc:
        form.add_error(None, str(exc))
        return render(request, "monitor/dashboard_clients.html", context, status=400)
    figure = len(ids)
    # Row level: only clients this user may open (the same scope as every client list).
    # Intersected in Python: a figure can name more clients than one IN list may hold.
    scope = set(client_scope(request.user).values_list("pk", flat=True))
    visible = sorted(set(ids) & scope)
    title = _drill_title(data)
    if request.GET.get(export.FORMAT_PARAMETER):
        return _clients_export(request, visible, title=title)
    try:
        page_number = max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        page_number = 1
    pages = max(1, -(-len(visible) // PAGE_SIZE))
    page_number = min(page_number, pages)
    shown_ids = visible[(page_number - 1) * PAGE_SIZE : page_number * PAGE_SIZE]
    shown = list(
        Client.objects.filter(pk__in=shown_ids)
        .select_related("consultant")
        .order_by("family_name", "given_name", "client_id")
    )
    logevent.clients_listed(
        request.user,
        [c.pk for c in shown],
        list_name=f"Monitor: {title}",
        purpose=events.MONITOR,
        object_type="monitor",
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    context.update(
        {
            "title": title,
            "figure": figure,
            "distinct": len(set(ids)),
            "in_scope": len(visible),
            "clients": shown,
            "page_number": page_number,
            "pages": pages,
            "query": query.urlencode(),
            "first_number": (page_number - 1) * PAGE_SIZE + 1,
            "last_number": (page_number - 1) * PAGE_SIZE + len(shown),
        }
    )
    return render(request, "monitor/dashboard_clients.html", context)
