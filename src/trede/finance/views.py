"""The budget page (`/budget/`): per year and budget line the budget, spending,
commitments and forecast (`selectors.budget_report`, the computation of `trede budget
report` itself), a bar chart and the same numbers as a table with a download; the BUIG
with benefit and LKS spending, the forecast and the vangnet; and the ceilings of contracts
and lines with the signals past 90 % and 100 %. Money only, no client: nothing personal
is read, so nothing per client is audited; a download is (`export_made`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.functions import ExtractYear
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required
from trede.audit import events, logevent
from trede.utils.concurrency import new_submission_key, parse_submission_key
from trede.utils.dutch import format_number
from trede.utils.export import requested_format, table_response

from . import ceilings, forms, selectors, services
from .constants import Funding
from .models import Budget, BudgetAllowance, Payment

HUNDRED = Decimal(100)


def _years() -> list[int]:
    budget_years = set(Budget.objects.values_list("year", flat=True).distinct())
    paid_years = set(Payment.objects.annotate(y=ExtractYear("date")).values_list("y", flat=True).distinct())
    return sorted(budget_years | paid_years | {timezone.localdate().year}, reverse=True)


def _year(request, years: list[int]) -> tuple[int, str]:
    """The chosen year, or this year; a year that is not a number or out of range is an
    error message and this year's page, never a 500."""
    today = timezone.localdate().year
    raw = (request.GET.get("jaar") or "").strip()
    if not raw:
        return today, ""
    if raw.isdigit() and 1900 <= int(raw) <= 2200:
        return int(raw), ""
    return today, "Kies een jaar uit de lijst (bijvoorbeeld 2026)."


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return part * HUNDRED / whole if whole and whole > 0 else None


def _bar(spent: Decimal, committed: Decimal, forecast: Decimal, budget: Decimal) -> dict:
    """SVG geometry in a 0-100 viewBox (attributes, not style=: the CSP refuses inline
    styles): spent solid, committed hatched after it, the forecast an open marker, the
    budget a thick tick. Shapes and textures differ, so no colour is needed to read it."""
    spent, committed, forecast = max(spent, 0), max(committed, 0), max(forecast, 0)
    scale = max(budget, forecast, spent + committed, Decimal(1))

    def x(value: Decimal) -> str:
        return f"{min(value * 100 / scale, Decimal(100)):.2f}"

    return {
        "spent_w": x(spent),
        "committed_x": x(spent),
        "committed_w": x(committed),
        "forecast_x": x(forecast),
        "budget_x": x(budget) if budget > 0 else None,
    }


def _line_rows(report) -> list[dict]:
    thresholds, _rule = selectors.finance_policy()
    allowed = selectors.line_allowances(report.year)
    rows = []
    for g in report.lines:
        room = allowed.get((g.line, g.funding), Decimal(0))
        ceiling = g.budget + room if g.has_budget else None
        status = ceilings.status(g.spent + g.committed, ceiling, thresholds)
        rows.append(
            {
                "line": g.line,
                "funding": g.funding,
                "funding_label": Funding(g.funding).label if g.funding in Funding.values else "",
                "budget": g.budget,
                "has_budget": g.has_budget,
                "allowed": room,
                "ceiling": ceiling,
                "spent": g.spent,
                "committed": g.committed,
                "forecast": g.forecast,
                "use_pct": _pct(g.spent + g.committed, ceiling or Decimal(0)),
                "forecast_pct": _pct(g.forecast, g.budget),
                "status": status,
                "status_label": ceilings.STATUS_LABELS[status],
                "bar": _bar(g.spent, g.committed, g.forecast, g.budget),
            }
        )
    return rows


def _allowance_form(request, year: int, rows: list[dict], data=None):
    """The contract manager's form, for this year or a later one and lines with a budget."""
    if not perms.role_may(request.user, perms.CEILING_OVERRIDE) or year < timezone.localdate().year:
        return None
    lines = [
        (r["line"], r["funding"], f"{r['line']} ({r['funding_label'] or 'zonder financiering'})")
        for r in rows
        if r["has_budget"]
    ]
    if not lines:
        return None
    return forms.BudgetAllowanceForm(data, lines=lines, initial={"submission_key": new_submission_key()})


def _budget_page(request, year: int, *, error: str = "", allowance_form=None, status: int = 200):
    years = _years()
    today = timezone.localdate()
    as_of = selectors.as_of_through(today)
    report = selectors.budget_report(year, as_of)
    thresholds, rule = selectors.finance_policy()
    buig = selectors.buig_figures(report)
    signals = selectors.ceiling_signals(as_of=as_of)
    contract_rows = selectors.contract_ceilings(as_of=today)
    rows = _line_rows(report)
    return render(
        request,
        "finance/budget.html",
        {
            "year": year,
            "years": years if year in years else sorted([*years, year], reverse=True),
            "error": error,
            "today": today,
            "past": date(year + 1, 1, 1) <= today,
            "rows": rows,
            "buig": buig,
            "buig_bar": _bar(buig.spent, Decimal(0), buig.forecast, buig.budget),
            "vangnet": buig.vangnet,
            "rule": rule,
            "thresholds": thresholds,
            "signals": signals,
            "contracts": contract_rows,
            "allowances": BudgetAllowance.objects.filter(year=year).select_related("created_by", "claim"),
            "allowance_form": allowance_form or _allowance_form(request, year, rows),
        },
        status=status,
    )


@login_required
@permission_required(perms.BUDGET_READ)
def budget(request):
    year, error = _year(request, _years())
    return _budget_page(request, year, error=error, status=400 if error else 200)


@login_required
@permission_required(perms.CEILING_OVERRIDE)
@require_POST
def budget_allowance(request):
    """The contract manager allows room beyond a line's budget (kept with its reason)."""
    year, error = _year(request, _years())
    if error:
        return _budget_page(request, year, error=error, status=400)
    rows = _line_rows(selectors.budget_report(year, selectors.as_of_through(timezone.localdate())))
    form = _allowance_form(request, year, rows, data=request.POST)
    if form is None:
        messages.error(request, f"In {year} kan geen ruimte boven het budget worden toegestaan.")
        return _budget_page(request, year, status=400)
    if form.is_valid():
        line, funding = form.line_and_funding()
        try:
            allowance = services.budget_allowance_create(
                user=request.user,
                year=year,
                line=line,
                funding=funding,
                amount_eur=form.cleaned_data["amount_eur"],
                reason=form.cleaned_data["reason"],
                submission_key=parse_submission_key(form.cleaned_data["submission_key"]),
            )
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Ruimte van € {format_number(allowance.amount_eur, 2)} boven het budget van "
                f"{allowance.line} in {allowance.year} toegestaan.",
            )
            return redirect(f"{reverse('finance:budget')}?jaar={year}#ruimte")
    return _budget_page(request, year, allowance_form=form, status=400)


EXPORT_HEADER = [
    "jaar",
    "begrotingsregel",
    "financiering",
    "budget_eur",
    "uitgegeven_eur",
    "verplicht_eur",
    "prognose_eur",
    "gebruik_pct",
    "prognose_pct",
    "plafondstatus",
]


@permission_required(perms.BUDGET_READ)
def budget_export(request):
    """The page's table per line as CSV (default) or XLSX, through the one export helper."""
    fmt = requested_format(request)
    year, _error = _year(request, _years())
    report = selectors.budget_report(year, selectors.as_of_through(timezone.localdate()))

    def rounded(value):
        return None if value is None else value.quantize(Decimal("0.01"))

    rows = [
        [
            year,
            r["line"],
            r["funding"],
            rounded(r["budget"]),
            rounded(r["spent"]),
            rounded(r["committed"]),
            rounded(r["forecast"]),
            None if r["use_pct"] is None else r["use_pct"].quantize(Decimal("0.1")),
            None if r["forecast_pct"] is None else r["forecast_pct"].quantize(Decimal("0.1")),
            r["status_label"],
        ]
        for r in _line_rows(report)
    ]
    logevent.export_made(
        request.user,
        what=f"Budget {year} per begrotingsregel",
        count=len(rows),
        purpose=events.BUDGET,
        fmt=fmt.upper(),
    )
    return table_response(
        request,
        filename=f"trede-budget-{year}",
        header=EXPORT_HEADER,
        rows=rows,
        sheet=f"Budget {year}",
        fmt=fmt,
    )
