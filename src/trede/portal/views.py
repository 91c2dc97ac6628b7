"""Start page and its downloads (CSV or XLSX). Figures come from `portal.selectors`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from trede.accounts import permissions as perms
from trede.accounts.permissions import FIGURES_SUPPRESSED, permission_required, role_may
from trede.audit import events, logevent
from trede.utils.export import requested_format, table_response

from .forms import figure_choice
from .selectors import CSV_TABLES, csv_table, data_bounds, default_as_of, start_figures


@login_required
def home(request):
    # Everyone logged in starts here; who may not see the figures (a resident) gets their own start.
    if not role_may(request.user, perms.FIGURES_READ):
        return render(request, "portal/inwoner.html", {})
    form, as_of, regulations = figure_choice(request.GET)
    figures = start_figures(
        as_of=as_of, regulations=regulations, suppress=role_may(request.user, FIGURES_SUPPRESSED)
    )
    query = request.GET.copy()
    query["peildatum"] = figures.as_of.isoformat()
    query.setlist("regeling", figures.regulations)
    context = {"form": form, "figures": figures, "query": query.urlencode()}
    template = "portal/_figures.html" if request.htmx else "portal/home.html"
    response = render(request, template, context)
    # The same URL gives a fragment or a whole page: keep browser caches apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@permission_required(perms.FIGURES_READ)
def figures_csv(request, table: str):
    """One table of the start page as CSV (default) or XLSX (`?formaat=xlsx`)."""
    if table not in CSV_TABLES:
        raise Http404
    _form, as_of, regulations = figure_choice(request.GET)
    as_of = as_of or default_as_of(data_bounds())
    header, rows = csv_table(
        table,
        as_of=as_of,
        regulations=regulations,
        suppress=role_may(request.user, FIGURES_SUPPRESSED),
    )
    logevent.export_made(
        request.user,
        what=f"Cijfers: {table}",
        count=len(rows),
        purpose=events.FIGURES,
        fmt=requested_format(request).upper(),
    )
    return table_response(
        request,
        filename=f"trede-{table}-{as_of.isoformat()}-{'-'.join(regulations)}",
        header=header,
        rows=rows,
        sheet=table,
    )
