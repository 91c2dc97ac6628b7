"""Screens of the contact regime: "Werklijst" and registering a contact moment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.access import relations_of
from trede.accounts.permissions import Relation, permission_required
from trede.audit import events, logevent
from trede.utils.concurrency import new_submission_key

from ..common import casework_client, client_file_url
from ..constants import ContactOutcome
from ..policy.selectors import active_policy
from .forms import ContactForm
from .models import Contact
from .selectors import worklist_consultants_for, worklist_for, worklist_grouped
from .services import contact_register


@permission_required(perms.WORKLIST_READ)
@require_GET
def worklist(request):
    user = request.user
    consultants = worklist_consultants_for(user)
    team_wide = Relation.EIGEN_TEAM in relations_of(user)
    chosen = None
    if not team_wide:
        chosen = consultants[0] if consultants else None
    else:
        wanted = request.GET.get("consulent", "")
        if wanted:
            chosen = next((c for c in consultants if c.pk == wanted), None)
            if chosen is None:
                raise PermissionDenied("Deze consulent hoort niet bij uw team.")
    today = timezone.localdate()
    groups, count = [], 0
    if chosen is not None:
        items = worklist_for(consultant=chosen, today=today)
        count = len(items)
        client_ids = sorted({i.client_id for i in items})
        logevent.clients_listed(
            user,
            client_ids,
            list_name="Werklijst",
            purpose=events.WORKLIST,
            object_type="worklist",
            object_id=chosen.pk,
        )
        groups = worklist_grouped(items)
        for group in groups:
            group["rows"] = [_row(item, today) for item in group["items"]]
    preset = active_policy()
    return render(
        request,
        "casework/worklist/worklist.html",
        {
            "consultants": consultants,
            "chosen": chosen,
            "groups": groups,
            "count": count,
            "today": today,
            "preset": preset,
            "is_teamleider": team_wide,
        },
    )


def _row(item, today) -> dict:
    if item.action == "contact":
        action_url = reverse("casework:contact_new", kwargs={"client_id": item.client_id})
        action_label = "Contact vastleggen"
    elif item.action == "plan":
        action_url = reverse("casework:plan_detail", kwargs={"client_id": item.client_id})
        action_label = "Naar het plan" if item.kind == "plan_unsigned" else "Plan opstellen"
        if item.kind == "plan_missing":
            action_url = reverse("casework:plan_new", kwargs={"client_id": item.client_id})
    else:
        action_url, action_label = "", ""
    return {
        "item": item,
        "days_late": item.days_late(today),
        "client_url": client_file_url(item.client_id),
        "action_url": action_url,
        "action_label": action_label,
    }


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request, client_id: str):
    client = casework_client(request, client_id, perms.CONTACT_WRITE, purpose=events.CONTACT)
    back = _safe_next(request, reverse("casework:worklist"))
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact_register(user=request.user, client=client, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except (IntegrityError, OperationalError):
                # Many saves at the same moment (a number taken, the database busy): nothing
                # was stored; the form keeps what was typed so saving again is one click.
                form.add_error(
                    None,
                    "Het contactmoment is niet opgeslagen: er werd op hetzelfde moment veel "
                    "vastgelegd. Probeer het opnieuw.",
                )
                status = 409
            else:
                messages.success(request, f"Het contactmoment met {client.name} is vastgelegd.")
                return redirect(back)
    else:
        form = ContactForm(
            initial={
                "date": timezone.localdate(),
                "outcome": ContactOutcome.GEHOUDEN,
                "submission_key": new_submission_key(),
            }
        )
    recent = list(Contact.objects.filter(client=client).order_by("-date", "-contact_id")[:5])
    logevent.client_section_read(request.user, client.pk, "contacten", purpose=events.CONTACT)
    return render(
        request,
        "casework/worklist/contact_form.html",
        {
            "client": client,
            "form": form,
            "recent": recent,
            "back": back,
            "client_file_url": client_file_url(client.pk),
            "may_see_plan": perms.allowed(request.user, perms.PLAN_VERSIONS_READ, client),
        },
        status=status,
    )
