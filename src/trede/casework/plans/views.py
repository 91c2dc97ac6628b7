"""Screens of the plan van aanpak ("Plan van aanpak", "Mijn plan").

Views stay thin: access through `accounts.access`, reads audited, writes in the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trede.accounts import permissions as perms
from trede.audit import events
from trede.audit.services import audit_read
from trede.utils.dates import age_on

from ..common import casework_client, client_file_url, messages_from, object_in_scope
from ..constants import PlanStatus
from ..policy.rules import plan_required
from ..policy.selectors import active_policy
from .forms import PlanActionFormSet, PlanForm
from .models import Plan, PlanAction
from .selectors import plan_current
from .services import (
    VIA_IN_GESPREK,
    VIA_ONLINE,
    plan_action_done,
    plan_agree_client,
    plan_agree_consultant,
    plan_create,
)


def _plans_with_actions(client):
    return list(
        Plan.objects.filter(client=client)
        .select_related("consultant_agreed_by", "created_by")
        .prefetch_related(Prefetch("actions", queryset=PlanAction.objects.order_by("position", "deadline")))
        .order_by("-version")
    )


@login_required
@require_GET
def plan_detail(request, client_id: str):
    client = casework_client(request, client_id)
    plans = _plans_with_actions(client)
    current = next((p for p in plans if p.status == PlanStatus.ONDERTEKEND), None)
    concept = next((p for p in plans if p.status == PlanStatus.CONCEPT), None)
    shown = current or concept
    requested = request.GET.get("versie", "")
    if requested.isdigit():
        shown = next((p for p in plans if p.version == int(requested)), None) or shown
    audit_read(user=request.user, client_id=client.pk, section="plan", purpose=events.PLAN)
    today = timezone.localdate()
    required = plan_required(age=age_on(client.birth_date, today), config=active_policy().config)
    return render(
        request,
        "casework/plans/detail.html",
        {
            "client": client,
            "plans": plans,
            "shown": shown,
            "current": current,
            "concept": concept,
            "required": required,
            "today": today,
            "client_file_url": client_file_url(client.pk),
            "VIA_IN_GESPREK": VIA_IN_GESPREK,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request, client_id: str):
    client = casework_client(request, client_id, perms.PLAN_WRITE)
    previous = plan_current(client=client)
    if request.method == "POST":
        form = PlanForm(request.POST)
        formset = PlanActionFormSet(request.POST, prefix="afspraak")
        if form.is_valid() and formset.is_valid():
            try:
                plan = plan_create(
                    user=request.user,
                    client=client,
                    goals=form.cleaned_data["goals"],
                    actions=formset.actions(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"Versie {plan.version} van het plan van aanpak is opgesteld. "
                    "Het plan geldt zodra u en de klant akkoord hebben gegeven.",
                )
                return redirect("casework:plan_detail", client_id=client.pk)
    else:
        initial_actions = []
        if previous is not None:
            initial_actions = [
                {"description": a.description, "owner": a.owner, "deadline": a.deadline}
                for a in previous.actions.order_by("position", "deadline")
                if a.done_on is None
            ]
            audit_read(user=request.user, client_id=client.pk, section="plan", purpose=events.PLAN)
        form = PlanForm(initial={"goals": previous.goals} if previous else None)
        formset = PlanActionFormSet(initial=initial_actions, prefix="afspraak")
    return render(
        request,
        "casework/plans/form.html",
        {"client": client, "form": form, "formset": formset, "previous": previous},
    )


@login_required
@require_POST
def plan_agree(request, plan_id: int):
    plan = object_in_scope(
        request, Plan.objects.select_related("client"), plan_id, section="plan", purpose=events.PLAN
    )
    client = casework_client(request, plan.client_id, perms.PLAN_AGREE_CONSULTANT)
    who = request.POST.get("wie")
    try:
        if who == "consulent":
            plan_agree_consultant(user=request.user, plan=plan)
            messages.success(request, "Uw akkoord is vastgelegd.")
        elif who == "klant":
            plan_agree_client(user=request.user, plan=plan, via=VIA_IN_GESPREK)
            messages.success(request, "Het akkoord van de klant (in gesprek) is vastgelegd.")
        else:
            messages.error(request, "Kies wiens akkoord u vastlegt.")
    except ValidationError as error:
        messages_from(request, error)
    plan.refresh_from_db()
    if plan.is_signed:
        messages.success(request, f"Versie {plan.version} is ondertekend en geldt nu.")
    return redirect("casework:plan_detail", client_id=client.pk)


@login_required
@require_POST
def plan_action_mark_done(request, action_id: int):
    action = object_in_scope(
        request,
        PlanAction.objects.select_related("plan__client"),
        action_id,
        section="plan",
        purpose=events.PLAN,
        client_attr="plan__client",
    )
    client = casework_client(request, action.plan.client_id, perms.PLAN_WRITE)
    try:
        plan_action_done(user=request.user, action=action)
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, f"Afspraak “{action.description}” staat op gedaan.")
    return redirect("casework:plan_detail", client_id=client.pk)


def _resident(request):
    user = request.user
    perms.check(user, perms.OWN_PLAN_READ, purpose=events.PLAN)
    if not user.client_id:
        raise PermissionDenied("Dit scherm is er voor inwoners met een eigen dossier.")
    return user


@login_required
@require_GET
def my_plan(request):
    user = _resident(request)
    plans = [
        p
        for p in _plans_with_actions(user.client)
        if p.status in (PlanStatus.ONDERTEKEND, PlanStatus.CONCEPT)
    ]
    current = next((p for p in plans if p.status == PlanStatus.ONDERTEKEND), None)
    concept = next((p for p in plans if p.status == PlanStatus.CONCEPT), None)
    audit_read(user=user, client_id=user.client_id, section="plan", purpose=events.PLAN)
    return render(
        request,
        "casework/plans/mine.html",
        {"current": current, "concept": concept, "today": timezone.localdate()},
    )


@login_required
@require_POST
def my_plan_agree(request, plan_id: int):
    user = _resident(request)
    # Only the resident's own plans exist for them: anyone else's plan is not found.
    plan = get_object_or_404(Plan, pk=plan_id, client_id=user.client_id)
    try:
        plan = plan_agree_client(user=user, plan=plan, via=VIA_ONLINE)
    except ValidationError as error:
        messages_from(request, error)
    else:
        if plan.is_signed:
            messages.success(request, "Dank u. Uw plan is nu door u en uw consulent ondertekend.")
        else:
            messages.success(request, "Dank u. Uw akkoord is vastgelegd; uw consulent tekent het plan ook.")
    return redirect("casework:my_plan")
