"""The caseload overview with rebalancing ("Caseload en verdeling").

Views stay thin: access and writes in the services, reads in the selectors.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required
from trede.audit import events, logevent
from trede.clients.models import Client

from ..policy.selectors import active_policy
from .forms import TransferForm
from .selectors import caseload_clients, caseload_consultants, caseload_overview
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
