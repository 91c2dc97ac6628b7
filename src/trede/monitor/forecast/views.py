"""The forecast page (beleid, teamleider) and the scenario forms (beleid)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required, role_may
from trede.audit import events, logevent
from trede.portal.formatting import MONTHS_SHORT, dutch_percent
from trede.utils import charts, export
from trede.utils.concurrency import new_submission_key
from trede.utils.disclosure import count_value
from trede.utils.forms import show_refusal

from ..models import ForecastScenario
from ..periods import add_months
from ..selectors import FigureError, stock_totals
from . import services
from .forms import REGULATION_LABELS, ForecastForm, ScenarioForm, ScenarioNewForm
from .selectors import BASIS, scenarios, stock_forecast

HISTORY_MONTHS = 24


def _month_day(label: str) -> date:
    return date(int(label[:4]), int(label[5:7]), 1)


def _month_text(day: date) -> str:
    return f"{MONTHS_SHORT[day.month - 1]} {day.year}"


def _page(result: dict, basis: list[int] | None, actual: dict[date, int], *, suppress: bool) -> dict:
    """Rows for the table and the chart: the last two years as they were, then the
    forecast (and, for a peildatum in the past, what happened)."""
    as_of = date.fromisoformat(result["as_of"])
    first_forecast = _month_day(result["months"][0]["month"])
    history = [add_months(first_forecast, -HISTORY_MONTHS + i) for i in range(HISTORY_MONTHS)]
    rows = []
    for m in result["months"]:
        day = _month_day(m["month"])
        rows.append(
            {
                "day": day,
                "month": m["month"],
                "text": _month_text(day),
                "stock": m["stock"],
                "low": m["low"],
                "high": m["high"],
                "basis": None,
                "actual": actual.get(day),
            }
        )
    if basis is not None:
        for row, stock in zip(rows, basis, strict=True):
            row["basis"] = stock
    days = [*history, *(r["day"] for r in rows)]
    past = [actual.get(d) if d <= as_of else None for d in history]
    labels = [_month_text(d) for d in days]
    ticks = [str(d.year) if d.month == 1 else None for d in days]
    series = [
        charts.Series("Bestand zoals het was", [*past, *(r["actual"] for r in rows)], "solid"),
        charts.Series(
            f"Verwacht ({result['scenario_name']})",
            [None] * len(history) + [r["stock"] for r in rows],
            "dashed",
        ),
    ]
    if basis is not None:
        series.append(
            charts.Series("Verwacht (basis)", [None] * len(history) + [r["basis"] for r in rows], "dotted")
        )
    last = rows[-1]
    chart = None
    if not suppress or result["stock_on_as_of"] >= 5:
        chart = charts.line_chart(
            labels=labels,
            series=series,
            band=charts.Band(
                "80 %-interval",
                [None] * len(history) + [r["low"] for r in rows],
                [None] * len(history) + [r["high"] for r in rows],
            ),
            tick_labels=ticks,
            from_zero=False,
            summary=(
                f"Het bestand was {result['stock_on_as_of']} op de peildatum; verwacht in {last['text']}: "
                f"{last['stock']} (80 %-interval {last['low']} tot {last['high']})."
            ),
        )
    for row in rows:
        for key in ("stock", "low", "high", "basis", "actual"):
            if row[key] is not None:
                row[key] = count_value(row[key], suppress=suppress)
    return {"rows": rows, "chart": chart}


@login_required
@permission_required(perms.FORECAST_READ)
def index(request):
    known = scenarios()
    query = request.GET.copy()
    if "as_of" not in query:
        # Not a submitted form (the menu, or the link back after saving a scenario, which
        # names only the scenario): the defaults fill what the link leaves out.
        defaults = {"as_of": timezone.localdate().isoformat(), "months": "36", "scenario": BASIS}
        for key, value in defaults.items():
            query.setdefault(key, value)
        if "regulations" not in query:
            query.setlist("regulations", ["pw"])
    form = ForecastForm(query, scenarios=known)
    context = {
        "form": form,
        "scenarios": known[1:],
        "may_edit": role_may(request.user, perms.FORECAST_SCENARIOS),
    }
    if not form.is_valid():
        return render(request, "monitor/forecast.html", context, status=400)
    data = form.cleaned_data
    try:
        result = stock_forecast(
            as_of=data["as_of"],
            months=data["months"],
            scenario=data["scenario"],
            regulations=data["regulations"],
            with_basis=data["scenario"] != BASIS,
        )
    except FigureError as exc:
        form.add_error(None, str(exc))
        return render(request, "monitor/forecast.html", context, status=400)
    result["scenario_name"] = next(s.name for s in known if s.code == result["scenario"])
    first = _month_day(result["months"][0]["month"])
    days = [add_months(first, i) for i in range(-HISTORY_MONTHS, len(result["months"]))]
    today = form.fields["as_of"].initial
    actual = stock_totals(days=[d for d in days if d <= today], regulations=data["regulations"])
    suppress = role_may(request.user, perms.FIGURES_SUPPRESSED)
    page = _page(result, result.get("basis_stock"), actual, suppress=suppress)
    if request.GET.get(export.FORMAT_PARAMETER):
        logevent.export_made(
            request.user,
            what=f"Prognose van het bestand vanaf {result['as_of']} ({result['scenario_name']})",
            count=len(page["rows"]),
            purpose=events.FORECAST,
            fmt=export.requested_format(request).upper(),
        )
        return export.table_response(
            request,
            filename=f"prognose-{result['as_of']}-{result['scenario']}",
            header=["maand", "verwacht", "laag (80 %)", "hoog (80 %)", "verwacht in de basis", "werkelijk"],
            rows=[
                [r["month"], r["stock"], r["low"], r["high"], r["basis"], r["actual"]] for r in page["rows"]
            ],
            sheet="Prognose",
        )
    backtest = result["backtest"]
    context.update(
        {
            "result": result,
            "page": page,
            "regulation_names": ", ".join(REGULATION_LABELS.get(r, r) for r in result["regulations"]),
            "stock_now": count_value(result["stock_on_as_of"], suppress=suppress),
            "mape": dutch_percent(backtest["mape"]),
            "naive_mape": dutch_percent(backtest["naive_mape"]),
            "model_better": backtest["mape"] is not None and backtest["mape"] < backtest["naive_mape"],
            "query": query.urlencode(),
        }
    )
    return render(request, "monitor/forecast.html", context)


def _values(cleaned: dict) -> dict:
    return {key: cleaned[key] for key in services.SCENARIO_FIELDS}


@login_required
@permission_required(perms.FORECAST_SCENARIOS)
@require_http_methods(["GET", "POST"])
def scenario_new(request):
    status = 200
    if request.method == "POST":
        form = ScenarioNewForm(request.POST)
        if form.is_valid():
            try:
                scenario, _created = services.scenario_create(
                    user=request.user,
                    code=form.cleaned_data["code"],
                    values=_values(form.cleaned_data),
                    submission_key=form.cleaned_data.get("submission_key") or None,
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, f"Scenario {scenario.name} is toegevoegd.")
                return redirect(f"/prognose/?scenario={scenario.code}")
        else:
            status = 400
    else:
        form = ScenarioNewForm(
            initial={
                "inflow_multiplier": "1.00",
                "outflow_multiplier": "1.00",
                "submission_key": new_submission_key(),
            }
        )
    return render(request, "monitor/forecast_scenario.html", {"form": form, "scenario": None}, status=status)


@login_required
@permission_required(perms.FORECAST_SCENARIOS)
@require_http_methods(["GET", "POST"])
def scenario_edit(request, code: str):
    scenario = get_object_or_404(ForecastScenario, code=code)
    status = 200
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                services.scenario_update(
                    user=request.user,
                    scenario=scenario,
                    token=form.cleaned_data["token"],
                    values=_values(form.cleaned_data),
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, f"Scenario {scenario.name} is opgeslagen.")
                return redirect(f"/prognose/?scenario={scenario.code}")
        else:
            status = 400
    else:
        initial = model_to_dict(scenario, fields=list(services.SCENARIO_FIELDS))
        initial["token"] = services.scenario_edit_token(scenario)
        form = ScenarioForm(initial=initial)
    return render(
        request, "monitor/forecast_scenario.html", {"form": form, "scenario": scenario}, status=status
    )
