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
from trede.letters.models import SourceType
from trede.letters.selectors import letters_of_source
from trede.utils.concurrency import ExpiredEditError, StaleEditError, new_submission_key
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
    plan_edit_token,
)


# A refused change over someone else's newer save (409), or a form that does not belong to
# the record (400): the page is shown again with the message, nothing was written.
def _refusal_status(error: ValidationError) -> int:
    return getattr(error, "status_code", ExpiredEditError.status_code)


def _plans_with_actions(client):
    return list(
        Plan.objects.filter(client=client)
        .select_related("consultant_agreed_by", "created_by")
        .prefetch_related(Prefetch("actions", queryset=PlanAction.objects.order_by("position", "deadline")))
        .order_by("-version")
    )


def _with_tokens(*plans):
    for plan in plans:
        if plan is not None and not hasattr(plan, "edit_token"):
            plan.edit_token = plan_edit_token(plan)


def _plan_page(request, client, *, problems=(), status=200):
    plans = _plans_with_actions(client)
    current = next((p for p in plans if p.status == PlanStatus.ONDERTEKEND), None)
    concept = next((p for p in plans if p.status == PlanStatus.CONCEPT), None)
    shown = current or concept
    requested = request.GET.get("versie", "")
    # isdigit() alone lets "²" and a 5.000-digit number through to int(): a ValueError, a 500.
    if requested.isascii() and requested.isdigit() and len(requested) <= 6:
        shown = next((p for p in plans if p.version == int(requested)), None) or shown
    _with_tokens(concept, shown)
    audit_read(user=request.user, client_id=client.pk, section="plan", purpose=events.PLAN)
    today = timezone.localdate()
    letters = []
    if shown is not None and perms.allowed(request.user, perms.LETTER_PLAN_READ, client):
        letters = letters_of_source(SourceType.PLAN, shown.pk)
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
            "problems": list(problems),
            "letters": letters,
            "may_make_letter": perms.allowed(request.user, perms.LETTER_PLAN_MAKE, client),
        },
        status=status,
    )


@login_required
@require_GET
def plan_detail(request, client_id: str):
    client = casework_client(request, client_id)
    return _plan_page(request, client)


def _open_plan_tokens(client) -> str:
    """The tokens of the open plans a revision is based on (what the new version replaces)."""
    open_plans = (
        Plan.objects.filter(client=client)
        .exclude(status=PlanStatus.VERVALLEN)
        .select_related("consultant_agreed_by")
        .prefetch_related("actions")
    )
    return " ".join(plan_edit_token(plan) for plan in open_plans)


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request, client_id: str):
    client = casework_client(request, client_id, perms.PLAN_WRITE)
    previous = plan_current(client=client)
    status = 200
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
                    seen=form.seen_tokens(),
                    submission_key=form.cleaned_data["submission_key"],
                )
            except (StaleEditError, ExpiredEditError) as error:
                status = _refusal_status(error)
                if status == StaleEditError.status_code:
                    # What the user typed stays; saving again is now a choice made knowing
                    # what changed, so the form carries the tokens of the plans as they are.
                    data = request.POST.copy()
                    data["edit_token"] = _open_plan_tokens(client)
                    form = PlanForm(data)
                    form.is_valid()
                form.add_error(None, error)
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
        form = PlanForm(
            initial={
                "goals": previous.goals if previous else "",
                "edit_token": _open_plan_tokens(client),
                "submission_key": new_submission_key(),
            }
        )
        formset = PlanActionFormSet(initial=initial_actions, prefix="afspraak")
    return render(
        request,
        "casework/plans/form.html",
        {"client": client, "form": form, "formset": formset, "previous": previous},
        status=status,
    )


@login_required
@require_POST
def plan_agree(request, plan_id: int):
    plan = object_in_scope(
        request, Plan.objects.select_related("client"), plan_id, section="plan", purpose=events.PLAN
    )
    client = casework_client(request, plan.client_id, perms.PLAN_AGREE_CONSULTANT)
    who = request.POST.get("wie")
    token = request.POST.get("edit_token", "")
    try:
        if who == "consulent":
            plan_agree_consultant(user=request.user, plan=plan, edit_token=token)
            messages.success(request, "Uw akkoord is vastgelegd.")
        elif who == "klant":
            plan_agree_client(user=request.user, plan=plan, via=VIA_IN_GESPREK, edit_token=token)
            messages.success(request, "Het akkoord van de klant (in gesprek) is vastgelegd.")
        else:
            messages.error(request, "Kies wiens akkoord u vastlegt.")
    except (StaleEditError, ExpiredEditError) as error:
        return _plan_page(request, client, problems=error.messages, status=_refusal_status(error))
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
        plan_action_done(user=request.user, action=action, edit_token=request.POST.get("edit_token", ""))
    except (StaleEditError, ExpiredEditError) as error:
        return _plan_page(request, client, problems=error.messages, status=_refusal_status(error))
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


def _my_plan_page(request, user, *, problems=(), status=200):
    plans = [
        p
        for p in _plans_with_actions(user.client)
        if p.status in (PlanStatus.ONDERTEKEND, PlanStatus.CONCEPT)
    ]
    current = next((p for p in plans if p.status == PlanStatus.ONDERTEKEND), None)
    concept = next((p for p in plans if p.status == PlanStatus.CONCEPT), None)
    _with_tokens(concept)
    audit_read(user=user, client_id=user.client_id, section="plan", purpose=events.PLAN)
    return render(
        request,
        "casework/plans/mine.html",
        {"current": current, "concept": concept, "today": timezone.localdate(), "problems": list(problems)},
        status=status,
    )


@login_required
@require_GET
def my_plan(request):
    return _my_plan_page(request, _resident(request))


@login_required
@require_POST
def my_plan_agree(request, plan_id: int):
    user = _resident(request)
    # Only the resident's own plans exist for them: anyone else's plan is not found.
    plan = get_object_or_404(Plan, pk=plan_id, client_id=user.client_id)
    try:
        plan = plan_agree_client(
            user=user, plan=plan, via=VIA_ONLINE, edit_token=request.POST.get("edit_token", "")
        )
    except (StaleEditError, ExpiredEditError) as error:
        return _my_plan_page(request, user, problems=error.messages, status=_refusal_status(error))
    except ValidationError as error:
        messages_from(request, error)
    else:
        if plan.is_signed:
            messages.success(request, "Dank u. Uw plan is nu door u en uw consulent ondertekend.")
        else:
            messages.success(request, "Dank u. Uw akkoord is vastgelegd; uw consulent tekent het plan ook.")
    return redirect("casework:my_plan")
