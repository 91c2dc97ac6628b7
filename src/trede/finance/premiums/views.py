"""The premiums page ("Premies"): who has earned a part of a premium, to propose for
payment; the proposed parts to check; the checked parts to approve (by someone else); and
the latest paid. One page, the steps as buttons; views stay thin (services and selectors
do the work). It names people (name and client number) within the user's own caseload,
team or waarneming, and every person it names is audited."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope
from trede.accounts.permissions import permission_required, role_may
from trede.audit import logevent

from . import selectors, services
from .models import PremiumPart, PremiumStatus

# How many earned parts the page lists at once (oldest first): a page a person reads, and
# each name shown is an audit row; the rest follow once these are proposed.
LIST_LIMIT = 50
PAID_SHOWN = 20


def _scope(user):
    return client_scope(user, relations=perms.PREMIUM_READ.relations)


def _post(request) -> str:
    """Carry out one step; returns the message of success (raises ValidationError)."""
    user = request.user
    action = request.POST.get("actie", "")
    if action == "voorstellen":
        client_id, _sep, rest = request.POST.get("deel", "").partition("|")
        scheme, _sep, rest = rest.partition("|")
        number, _sep, month = rest.partition("|")
        client = _scope(user).filter(pk=client_id).first()
        try:
            period = date.fromisoformat(month) if month else None
        except ValueError:
            period = client = None
        if client is None or not number.isdigit():
            raise ValidationError("Kies een verdiend premiedeel uit de lijst.")
        part = services.premium_propose(
            user=user,
            client=client,
            scheme=scheme,
            part=int(number),
            period=period,
        )
        return f"{part.scheme_name} {part.part_label} van {client.name} is voorgesteld ({part.number}). Een collega kan het controleren."
    part = PremiumPart.objects.filter(
        pk=request.POST.get("premiedeel") or 0, client__in=_scope(user).values("pk")
    ).first()
    if part is None:
        raise ValidationError("Dit premiedeel bestaat niet of valt buiten uw werk.")
    if action == "controleren":
        services.premium_check(user=user, part=part)
        return f"{part.number} is gecontroleerd. Een collega keurt het goed."
    if action == "goedkeuren":
        part = services.premium_approve(user=user, part=part)
        return f"{part.number} is goedgekeurd en betaald ({part.payment_id})."
    if action == "afwijzen":
        services.premium_reject(user=user, part=part, reason=request.POST.get("reden", ""))
        return f"{part.number} is afgewezen; het deel kan later opnieuw worden voorgesteld."
    raise ValidationError("Onbekende handeling.")


@login_required
@permission_required(perms.PREMIUM_READ)
@require_http_methods(["GET", "POST"])
def premium_list(request):
    user = request.user
    status = 200
    if request.method == "POST":
        try:
            done = _post(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = getattr(error, "status_code", 400)
        else:
            messages.success(request, done)
            return redirect("premiums:list")
    scope = _scope(user)
    today = timezone.localdate()
    eligible = selectors.eligible(scope, as_of=today)
    shown = eligible[:LIST_LIMIT]
    to_check = selectors.parts_in(PremiumStatus.VOORGESTELD, scope)
    to_approve = selectors.parts_in(PremiumStatus.GECONTROLEERD, scope)
    paid = selectors.parts_in(PremiumStatus.BETAALD, scope, limit=PAID_SHOWN)
    may_approve = role_may(user, perms.PREMIUM_APPROVE)
    approve_rows = [
        (p, may_approve and p.checked_by_id != user.pk and p.proposed_by_id != user.pk) for p in to_approve
    ]
    logevent.premiums_listed(
        user, [e.client_id for e in shown] + [p.client_id for p in (*to_check, *to_approve, *paid)]
    )
    return render(
        request,
        "premiums/list.html",
        {
            "today": today,
            "schemes": [(s, selectors.type_labels(s)) for s in selectors.active_schemes()],
            "eligible": shown,
            "eligible_total": len(eligible),
            "eligible_more": max(0, len(eligible) - len(shown)),
            "to_check": to_check,
            "approve_rows": approve_rows,
            "paid": paid,
            "may_propose": role_may(user, perms.PREMIUM_PROPOSE),
            "may_check": role_may(user, perms.PREMIUM_CHECK),
            "user_pk": user.pk,
        },
        status=status,
    )
