"""Pick a quarter and download the council report (roles beleid and teamleider)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required
from trede.audit import events, logevent

from .rendering import file_stem, pdf_bytes, render_html
from .selectors import Quarter, QuarterError, council_report, parse_quarter

FORMATS = ("pdf", "html")
QUARTERS_SHOWN = 12


def _quarters() -> list[Quarter]:
    """The last complete quarter first, then the ones before it."""
    today = timezone.localdate()
    year, number = today.year, (today.month - 1) // 3  # the quarter before the current one
    quarters = []
    for _ in range(QUARTERS_SHOWN):
        if number == 0:
            year, number = year - 1, 4
        quarters.append(Quarter(year, number))
        number -= 1
    return quarters


def _chosen(request) -> tuple[Quarter, str]:
    text = request.GET.get("kwartaal", "")
    if not text:
        return _quarters()[0], ""
    try:
        return parse_quarter(text), ""
    except QuarterError as exc:
        return _quarters()[0], str(exc)


@login_required
@permission_required(perms.COUNCIL_REPORT)
def index(request):
    quarter, error = _chosen(request)
    return render(
        request,
        "monitor/council_index.html",
        {"quarters": _quarters(), "chosen": quarter, "error": error},
        status=400 if error else 200,
    )


@login_required
@permission_required(perms.COUNCIL_REPORT)
def download(request):
    quarter, error = _chosen(request)
    fmt = request.GET.get("formaat", "pdf")
    if error or fmt not in FORMATS:
        return render(
            request,
            "monitor/council_index.html",
            {"quarters": _quarters(), "chosen": quarter, "error": error or "Kies PDF of HTML."},
            status=400,
        )
    report = council_report(quarter)
    if fmt == "pdf":
        response = HttpResponse(pdf_bytes(quarter, report), content_type="application/pdf")
    else:
        response = HttpResponse(render_html(quarter, report), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_stem(quarter)}.{fmt}"'
    # A download of aggregate data (no client): audited like the budget download.
    logevent.export_made(
        request.user,
        what=f"Raadsrapportage {quarter.label}",
        count=len(report["published"]),
        purpose=events.FIGURES,
        fmt=fmt.upper(),
    )
    return response
