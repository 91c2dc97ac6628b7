"""The caseload overview with rebalancing ("Caseload en verdeling").

Views stay thin: access and writes in the services, reads in the selectors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.access import relations_of, team_of
from trede.accounts.permissions import Relation, permission_required, role_may
from trede.audit import events, logevent
from trede.clients.models import Client
from trede.utils import export
from trede.utils.disclosure import SUPPRESSED, count_value, protect
from trede.utils.dutch import format_number, format_percent

from ..policy.selectors import active_policy
from .forms import TransferForm
from .selectors import (
    STATUS_LABELS,
    caseload_clients,
    caseload_consultants,
    caseload_overview,
    execution_figures,
)
from .services import caseload_teams_for, caseload_transfer


@permission_required(perms.CASELOAD_BALANCE)
@require_http_methods(["GET", "POST"])
def caseload_balance(request):
    user = request.user
    teams = caseload_teams_for(user)
    if teams == []:  # a teamleider without a team
        raise perms.refuse(user, perms.CASELOAD_BALANCE, purpose=events.REBALANCE)
    today = timezone.localdate()
    consultants = caseload_consultants(teams=teams)
    source_id = request.POST.get("van") or request.GET.get("van") or ""
    if "\x00" in source_id:
        # PostgreSQL refuses a NUL in a text comparison (a DataError, a 500): no such consultant.
        raise Http404("Onbekende consulent.")
    source = get_object_or_404(consultants, pk=source_id) if source_id else None
    form = None
    if source is not None:
        client_rows = caseload_clients(consultant=source, today=today)
        choices = [(r["client_id"], f"{r['name']} ({r['client_id']}, {r['age']} jaar)") for r in client_rows]
        targets = consultants.exclude(pk=source.pk)
        if teams is not None or source.team:
            targets = targets.filter(team=source.team)
        if request.method == "POST":
            form = TransferForm(request.POST, client_choices=choices, consultants=targets)
            if form.is_valid():
                chosen = list(Client.objects.filter(pk__in=form.cleaned_data["clients"], consultant=source))
                try:
                    transfers = caseload_transfer(
                        user=user,
                        clients=chosen,
                        to_consultant=form.cleaned_data["to_consultant"],
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        f"{len(transfers)} klant(en) overgedragen van {source} aan "
                        f"{form.cleaned_data['to_consultant']}. De dossiers en hun geschiedenis gaan mee.",
                    )
                    return redirect(f"{reverse('casework:caseload_balance')}?van={source.pk}")
        else:
            form = TransferForm(client_choices=choices, consultants=targets)
        logevent.clients_listed(
            user,
            [r["client_id"] for r in client_rows],
            list_name="Caseload en verdeling",
            purpose=events.REBALANCE,
            object_type="caseload",
            object_id=source.pk,
        )
    elif request.method == "POST":
        messages.error(request, "Kies eerst van welke consulent u klanten wilt overdragen.")
    overview = caseload_overview(today=today, teams=teams)
    return render(
        request,
        "casework/caseload/balance.html",
        {
            "overview": overview,
            "consultants": consultants,
            "source": source,
            "form": form,
            "today": today,
            "preset": active_policy(),
            "all_teams": teams is None,
        },
    )


def _execution_cells(figures, *, suppress: bool) -> dict:
    """The counts of one row as shown: for beleid a count of 1-4 and its complement within
    the caseload are hidden together (`protect`), and a share from a hidden count too."""
    cells = {"caseload": count_value(figures.caseload, suppress=suppress)}
    for name in ("contact_overdue", "plan_open", "stale_diagnosis", "no_show", "onderzoek_overdue"):
        part = getattr(figures, name)
        protection = protect([part, figures.caseload - part], total=figures.caseload, suppress=suppress)
        cells[name] = protection.value(0, part)
    on_time_hidden = cells["contact_overdue"] == SUPPRESSED or cells["caseload"] == SUPPRESSED
    cells["contact_on_time"] = SUPPRESSED if on_time_hidden else figures.contact_on_time
    cells["contact_on_time_share"] = None if on_time_hidden else figures.contact_on_time_share
    return cells


EXECUTION_COLUMNS = (
    ("caseload", "Caseload (klanten met uitkering)"),
    ("contact_on_time", "Contact op tijd"),
    ("contact_on_time_share", "Contact op tijd (aandeel)"),
    ("contact_overdue", "Contact te laat"),
    ("plan_open", "Plan van aanpak open"),
    ("stale_diagnosis", "Diagnose verouderd"),
    ("no_show", "Niet verschenen"),
    ("onderzoek_overdue", "Rechtmatigheidsonderzoek te laat"),
)


@login_required
@permission_required(perms.EXECUTION_READ)
def execution(request):
    """Uitvoering: how every caseload of the team (teamleider) or every team (beleid) stands today."""
    user = request.user
    today = timezone.localdate()
    per_consultant = Relation.EIGEN_TEAM in relations_of(user)
    teams = [team_of(user)] if per_consultant else None
    suppress = role_may(user, perms.FIGURES_SUPPRESSED)
    config = active_policy().config
    figures = execution_figures(today=today, teams=teams, config=config)
    rows = []
    for team in figures:
        members = team.consultants if per_consultant else []
        for member in members:
            rows.append(
                {
                    "name": member.name,
                    "team": team.team,
                    "total": False,
                    "status": member.caseload_status,
                    **_execution_cells(member, suppress=suppress),
                }
            )
        rows.append(
            {
                "name": team.total.name,
                "team": team.team,
                "total": True,
                "status": "",
                **_execution_cells(team.total, suppress=suppress),
            }
        )
    if request.GET.get(export.FORMAT_PARAMETER):
        logevent.export_made(
            user,
            what=f"Uitvoering per {'consulent' if per_consultant else 'team'} op {today.isoformat()}",
            count=len(rows),
            purpose=events.MONITOR,
            fmt=export.requested_format(request).upper(),
        )
        return export.table_response(
            request,
            filename=f"uitvoering-{today.isoformat()}",
            header=["naam", "team", *(label for _key, label in EXECUTION_COLUMNS)],
            rows=[[r["name"], r["team"], *(r[key] for key, _label in EXECUTION_COLUMNS)] for r in rows],
            sheet="Uitvoering",
        )
    for row in rows:
        row["texts"] = [
            format_percent(row[key])
            if key.endswith("_share") and row[key] is not None
            else "–"
            if row[key] is None
            else row[key]
            if row[key] == SUPPRESSED
            else format_number(row[key])
            for key, _label in EXECUTION_COLUMNS
        ]
        row["status_label"] = STATUS_LABELS.get(row["status"], "")
    return render(
        request,
        "casework/caseload/execution.html",
        {
            "rows": rows,
            "columns": [label for _key, label in EXECUTION_COLUMNS],
            "per_consultant": per_consultant,
            "team": teams[0] if teams else "",
            "today": today,
            "caseload": config["caseload"],
            "suppress": suppress,
        },
    )
