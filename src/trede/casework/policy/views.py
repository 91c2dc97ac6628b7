"""Screens of the policy presets ("Beleidsinstellingen", beheerder).

Views stay thin: reads and writes go through the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trede.accounts import permissions as perms
from trede.utils.concurrency import ExpiredEditError, StaleEditError

from ..common import messages_from
from .forms import PresetForm
from .models import PolicyPreset
from .services import PURPOSE as PRESET_PURPOSE
from .services import preset_activate, preset_edit_token, preset_update


def _beheerder(request):
    perms.check(request.user, perms.PRESET_EDIT, purpose=PRESET_PURPOSE)


@login_required
@require_GET
def preset_list(request):
    _beheerder(request)
    presets = list(PolicyPreset.objects.select_related("updated_by").order_by("-active", "name"))
    return render(request, "casework/presets/list.html", {"presets": presets})


@login_required
@require_http_methods(["GET", "POST"])
def preset_edit(request, key: str):
    _beheerder(request)
    preset = get_object_or_404(PolicyPreset, key=key)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = PresetForm(request.POST, preset=preset)
        if form.is_valid():
            try:
                preset_update(
                    user=request.user,
                    preset=preset,
                    config=form.config(),
                    edit_token=form.cleaned_data["edit_token"],
                )
            except StaleEditError as error:
                # The beheerder's values stay on the page beside the message of what a
                # colleague changed; saving again is then a choice made knowing it.
                status, problems = error.status_code, list(error.messages)
                preset.refresh_from_db()
                data = request.POST.copy()
                data["edit_token"] = preset_edit_token(preset)
                form = PresetForm(data, preset=preset)
            except ExpiredEditError as error:
                status, problems = 400, list(error.messages)
            except ValidationError as error:
                problems = list(error.messages)
            else:
                messages.success(request, f"De instellingen van {preset.name} zijn opgeslagen.")
                return redirect("casework:preset_list")
    else:
        form = PresetForm(preset=preset, edit_token=preset_edit_token(preset))
    return render(
        request,
        "casework/presets/edit.html",
        {"preset": preset, "form": form, "problems": problems},
        status=status,
    )


@login_required
@require_POST
def preset_make_active(request, key: str):
    _beheerder(request)
    preset = get_object_or_404(PolicyPreset, key=key)
    try:
        preset_activate(user=request.user, preset=preset)
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, f"{preset.name} is nu het beleid in gebruik.")
    return redirect("casework:preset_list")
