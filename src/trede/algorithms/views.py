"""The algorithm register page and its downloads (JSON in the register's fields, CSV, XLSX)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required
from trede.audit import events, logevent
from trede.utils.export import FORMAT_PARAMETER, table_response

from .selectors import TABLE_FIELDS, register, table_rows


@login_required
@permission_required(perms.ALGORITHM_REGISTER)
@require_GET
def index(request):
    data = register()
    for e in data["algorithms"]:
        for item in (*e["x_trede"]["thresholds"], *e["x_trede"]["constants"]):
            item["value_text"] = value_text(item["value"])
    return render(request, "algorithms/register.html", {"register": data})


def value_text(value) -> str:
    """A setting as text: numbers with a decimal comma, lists and tables as compact JSON."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float)):
        return str(value).replace(".", ",")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@login_required
@permission_required(perms.ALGORITHM_REGISTER)
@require_GET
def export(request):
    fmt = (request.GET.get(FORMAT_PARAMETER) or "json").lower()
    if fmt not in ("json", "csv", "xlsx"):
        raise Http404("Onbekend formaat: kies json, csv of xlsx.")
    data = register()
    stamp = timezone.localtime().strftime("%Y%m%d")
    # Every download is logged (architecture: audit); the register holds no personal data.
    logevent.export_made(
        request.user,
        what="Algoritmeregister",
        count=len(data["algorithms"]),
        purpose=events.ALGORITHM_REGISTER,
        fmt=fmt.upper(),
    )
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="algoritmeregister-{stamp}.json"'
        return response
    return table_response(
        request,
        filename=f"algoritmeregister-{stamp}",
        header=[label for _key, label in TABLE_FIELDS],
        rows=table_rows(data),
        sheet="Algoritmeregister",
        fmt=fmt,
    )
