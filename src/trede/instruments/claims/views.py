"""Claim pages. The provider portal's 'Declaraties' (`/aanbieder/declaraties/`: its due
lines, a claim for them, the status of its claims) and the municipality's side: claims to
check and to approve, one claim with its four-eyes steps, and per provider what was
invoiced, approved, paid and is to be recovered. Lines name the trajectory number only,
never the client."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required, role_may
from trede.finance import selectors as finance_selectors
from trede.finance import services as finance
from trede.utils.concurrency import new_submission_key, parse_submission_key

from ..constants import ClaimStatus
from ..models import Claim, Provider
from . import selectors, services


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@permission_required(perms.CLAIM_SUBMIT)
@require_http_methods(["GET", "POST"])
def provider_claims(request):
    provider = request.user.provider
    status = 200
    if request.method == "POST":
        try:
            claim = services.claim_submit(
                user=request.user,
                keys=request.POST.getlist("regel"),
                submission_key=parse_submission_key(request.POST.get("submission_key")),
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            status = getattr(error, "status_code", 400)
        else:
            messages.success(request, f"Declaratie {claim.number} is ingediend.")
            return redirect("instruments:provider_claims")
    due = selectors.due_lines([provider.pk], as_of=timezone.localdate()) if provider else []
    claims = list(selectors.claims_of_provider(provider)) if provider else []
    return render(
        request,
        "instruments/provider_claims.html",
        {
            "provider": provider,
            "due": due,
            "due_total": sum((d.line.amount for d in due), selectors.ZERO),
            "claims": claims,
            "submission_key": new_submission_key(),
        },
        status=status,
    )


@login_required
@permission_required(perms.CLAIM_CHECK)
@require_http_methods(["GET", "POST"])
def claims(request):
    if request.method == "POST" and role_may(request.user, perms.RECOVERY_CREATE):
        provider = Provider.objects.filter(pk=request.POST.get("provider", "")).first()
        if provider is None:
            messages.error(request, "Kies een aanbieder.")
        else:
            claim = services.recoveries_create(
                user=request.user,
                provider=provider,
                submission_key=parse_submission_key(request.POST.get("submission_key")),
            )
            if claim is None:
                messages.success(request, f"Er is niets terug te vorderen van {provider}.")
            else:
                messages.success(
                    request, f"Terugvordering {claim.number} is aangemaakt; een collega controleert haar."
                )
        return redirect("instruments:claims")
    return render(
        request,
        "instruments/claims.html",
        {
            # The contract manager's signal: contracts and lines past 90 % and 100 %.
            "signals": (
                finance_selectors.ceiling_signals(as_of=finance_selectors.as_of_through(timezone.localdate()))
                if role_may(request.user, perms.BUDGET_READ)
                else None
            ),
            "thresholds": finance_selectors.finance_policy()[0],
            "to_check": selectors.claims_in(ClaimStatus.INGEDIEND),
            "to_approve": selectors.claims_in(ClaimStatus.GECONTROLEERD),
            "done": selectors.claims_done(),
            "may_recover": role_may(request.user, perms.RECOVERY_CREATE),
            "recover_from": [
                row for row in selectors.provider_money(as_of=timezone.localdate()) if row.to_recover > 0
            ],
            "submission_key": new_submission_key(),
        },
    )


def _claim(pk: int) -> Claim:
    claim = (
        Claim.objects.select_related("provider", "submitted_by", "checked_by", "approved_by", "rejected_by")
        .filter(pk=pk)
        .first()
    )
    if claim is None:
        raise Http404("Deze declaratie bestaat niet.")
    return claim


@login_required
@permission_required(perms.CLAIM_CHECK)
@require_http_methods(["GET", "POST"])
def claim_detail(request, pk: int):
    claim = _claim(pk)
    status = 200
    if request.method == "POST":
        action = request.POST.get("actie")
        try:
            if action == "controleren":
                services.claim_check(user=request.user, claim=claim)
                messages.success(request, f"{claim.number} is gecontroleerd. Een collega keurt haar goed.")
            elif action == "goedkeuren":
                services.claim_approve(
                    user=request.user, claim=claim, override_reason=request.POST.get("plafondreden") or None
                )
                messages.success(request, f"{claim.number} is goedgekeurd en telt als betaald.")
            elif action == "afwijzen":
                services.claim_reject(user=request.user, claim=claim, reason=request.POST.get("reden", ""))
                messages.success(
                    request, f"{claim.number} is afgewezen; de regels kunnen opnieuw worden gedeclareerd."
                )
            else:
                raise ValidationError("Onbekende handeling.")
        except ValidationError as error:
            messages.error(request, _error_text(error))
            status = getattr(error, "status_code", 400)
            claim = _claim(pk)
        else:
            return redirect("instruments:claim", pk=claim.pk)
    user = request.user
    is_checker = claim.checked_by_id == user.pk
    is_creator = claim.submitted_by_id == user.pk
    # The contracts' money ceilings now and were this claim approved (finance.ceilings).
    ceiling_figures = (
        finance.claim_ceiling_figures(claim, as_of=timezone.localdate())
        if claim.status == ClaimStatus.GECONTROLEERD
        else []
    )
    return render(
        request,
        "instruments/claim.html",
        {
            "claim": claim,
            "lines": claim.lines.select_related("contract").order_by(
                "trajectory_id", "due_date", "kind", "seq"
            ),
            "may_check": claim.status == ClaimStatus.INGEDIEND and not is_creator,
            "may_approve": (
                claim.status == ClaimStatus.GECONTROLEERD
                and role_may(user, perms.CLAIM_APPROVE)
                and not is_checker
                and not is_creator
            ),
            "own_check": claim.status == ClaimStatus.GECONTROLEERD and is_checker,
            "may_reject": claim.status in (ClaimStatus.INGEDIEND, ClaimStatus.GECONTROLEERD),
            "ceiling_figures": ceiling_figures,
            "ceiling_blocked": any(f.blocked for f in ceiling_figures),
            "may_override": role_may(user, perms.CEILING_OVERRIDE),
            "override_min": finance.OVERRIDE_REASON_MIN,
        },
        status=status,
    )


@login_required
@permission_required(perms.CLAIM_OVERVIEW)
def provider_money(request):
    rows = selectors.provider_money(as_of=timezone.localdate())
    return render(request, "instruments/provider_money.html", {"rows": rows})
