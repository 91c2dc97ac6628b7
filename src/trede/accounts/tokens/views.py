"""The beheerder's page of application tokens (/toegang/applicaties/): the list, a new
token (its secret shown once, on the answer to the form), revocation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from trede.accounts import permissions as perms
from trede.utils.concurrency import new_submission_key
from trede.utils.forms import show_refusal

from . import scopes as scope_rules
from . import services
from .forms import TokenCreateForm
from .models import ApplicationToken


def _page(request, form, *, new=None, status=200):
    tokens = ApplicationToken.objects.select_related("user", "created_by", "revoked_by")
    context = {
        "form": form,
        "tokens": [(t, t.status()) for t in tokens],
        "new": new,
        "scopes": list(scope_rules.SCOPES.values()),
    }
    return render(request, "accounts/tokens/index.html", context, status=status)


def _new_form() -> TokenCreateForm:
    return TokenCreateForm(initial={"submission_key": new_submission_key()})


@perms.permission_required(perms.TOKENS_MANAGE)
def tokens(request):
    if request.method != "POST":
        return _page(request, _new_form())
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        new = services.token_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            username=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
            team=form.cleaned_data["team"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
            submission_key=form.cleaned_data["submission_key"],
        )
    except ValidationError as error:
        if "expires_at" in getattr(error, "error_dict", {}):
            error.error_dict["expires_on"] = error.error_dict.pop("expires_at")
        status = show_refusal(form, error)
        return _page(request, form, status=status)
    # Rendered, not redirected: the secret is in this answer only (never in a session or URL).
    return _page(request, _new_form(), new=new)


@require_POST
@perms.permission_required(perms.TOKENS_MANAGE)
def token_revoke(request, pk: int):
    token = get_object_or_404(ApplicationToken, pk=pk)
    try:
        services.token_revoke(actor=request.user, token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Token {token.prefix} ({token.name}) is ingetrokken; het werkt niet meer.")
    return redirect("accounts:tokens")
