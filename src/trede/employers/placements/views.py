"""Placement pages: record one from the client file (or from a hired voordracht, prefilled),
one placement with its nazorg schedule and the form for the contact asked for, the
correction with a reason; and the accountmanager's 'gezien' of a consultant's placement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trede.accounts import permissions as perms
from trede.accounts.permissions import open_client, permission_required
from trede.audit import events, logevent
from trede.casework.common import client_file_url, object_in_scope
from trede.utils.concurrency import new_submission_key, parse_submission_key
from trede.utils.forms import show_refusal

from ..constants import Subsidy
from ..models import Placement, Voordracht
from . import forms, selectors, services


def _input(data: dict, *, vacancy=None) -> services.PlacementInput:
    return services.PlacementInput(
        employer=data["employer"],
        vacancy=vacancy,
        start_date=data["start_date"],
        end_date=data["end_date"],
        contract=data["contract"],
        hours_per_week=data["hours_per_week"],
        subsidy=data["subsidy"] or Subsidy.GEEN,
        wage_value_pct=data["wage_value_pct"],
        supplementary_benefit=data["supplementary_benefit"],
        jobcoach=data["jobcoach"],
        jobcoach_name=data["jobcoach_name"],
    )


def _warn(request, saved: services.Saved) -> None:
    for warning in saved.warnings:
        messages.warning(request, warning)


def _placement(request, placement_id: str, permission) -> Placement:
    """403 for a role that may not do this, the same 404 for a missing number and one
    outside the user's work, 403 when the relationship does not qualify (audited)."""
    placement = object_in_scope(
        request,
        Placement.objects.select_related("client", "client__consultant", "employer", "vacancy", "jobcoach"),
        placement_id,
        section="werkprofiel",
        purpose=events.PLACEMENTS,
        also=(permission,),
    )
    if not perms.allowed(request.user, permission, placement.client):
        raise perms.refuse(request.user, permission, client_id=placement.client_id, purpose=events.PLACEMENTS)
    return placement


@login_required
@permission_required(perms.PLACEMENT_RECORD)
@require_http_methods(["GET", "POST"])
def placement_new(request, client_id: str):
    client = open_client(request.user, perms.PLACEMENT_RECORD, client_id, purpose=events.PLACEMENTS)
    source = request.POST.get("voordracht") if request.method == "POST" else request.GET.get("voordracht")
    voordracht = None
    if source and str(source).isdigit():
        voordracht = services.hired_voordracht(
            Voordracht.objects.select_related("vacancy", "vacancy__employer").filter(pk=int(source)).first(),
            client,
        )
        if voordracht is None:
            raise Http404("Deze voordracht bestaat niet of is niet aangenomen.")
    status = 200
    if request.method == "POST":
        form = forms.PlacementForm(request.POST)
        if form.is_valid():
            try:
                saved = services.placement_record(
                    user=request.user,
                    client=client,
                    data=_input(form.cleaned_data, vacancy=voordracht.vacancy if voordracht else None),
                    voordracht=voordracht,
                    submission_key=parse_submission_key(form.cleaned_data["submission_key"]),
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(
                    request, f"De plaatsing van {client.name} bij {saved.placement.employer} is vastgelegd."
                )
                _warn(request, saved)
                return redirect("employers:placement", placement_id=saved.placement.pk)
        else:
            status = 400
    else:
        initial = {"submission_key": new_submission_key(), "subsidy": Subsidy.GEEN}
        if voordracht is not None:
            vacancy = voordracht.vacancy
            initial |= {
                "employer": vacancy.employer_id,
                "start_date": vacancy.start_date or voordracht.outcome_on,
                "hours_per_week": vacancy.hours_per_week,
                "voordracht": voordracht.pk,
            }
        form = forms.PlacementForm(initial=initial)
    logevent.client_section_read(request.user, client.pk, "werkprofiel", purpose=events.PLACEMENTS)
    return render(
        request,
        "employers/placements/form.html",
        {
            "client": client,
            "form": form,
            "voordracht": voordracht,
            "client_file_url": client_file_url(client.pk),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_detail(request, placement_id: str):
    placement = _placement(request, placement_id, perms.PLACEMENT_READ)
    today = timezone.localdate()
    may_register = perms.allowed(request.user, perms.NAZORG_REGISTER, placement.client)
    moments = selectors.schedule(placement, today=today)
    choices = [
        (m.months, f"{m.label} (gepland {m.due:%d-%m-%Y})")
        for m in selectors.registrable(moments, today=today)
    ]
    status = 200
    form = None
    if request.method == "POST":
        if not may_register:
            raise perms.refuse(request.user, perms.NAZORG_REGISTER, client_id=placement.client_id)
        form = forms.NazorgForm(request.POST, moments=choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contact = services.nazorg_register(
                    user=request.user,
                    placement=placement,
                    moment_months=data["moment_months"],
                    contact_date=data["contact_date"],
                    still_at_work=data["still_at_work"],
                    remarks=data["remarks"],
                    submission_key=parse_submission_key(data["submission_key"]),
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(
                    request,
                    f"Het nazorgcontact ({services.moment_label(contact.moment_months)}) is vastgelegd.",
                )
                return redirect("employers:placement", placement_id=placement.pk)
        else:
            status = 400
    elif may_register and choices:
        asked = next((m.months for m in moments if m.asked), choices[-1][0])
        form = forms.NazorgForm(
            initial={"moment_months": asked, "contact_date": today, "submission_key": new_submission_key()},
            moments=choices,
        )
    logevent.client_section_read(request.user, placement.client_id, "werkprofiel", purpose=events.PLACEMENTS)
    return render(
        request,
        "employers/placements/detail.html",
        {
            "placement": placement,
            "client": placement.client,
            "client_file_url": client_file_url(placement.client_id),
            "moments": moments,
            "form": form,
            "warnings": services.jobcoach_warnings(placement, day=today),
            "followed": selectors.proef_followed(placement) if placement.is_proefplaatsing else None,
            "may_correct": perms.allowed(request.user, perms.PLACEMENT_CORRECT, placement.client),
            "versions": selectors.history(placement),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_correct(request, placement_id: str):
    placement = _placement(request, placement_id, perms.PLACEMENT_CORRECT)
    status = 200
    if request.method == "POST":
        form = forms.PlacementCorrectForm(request.POST)
        if form.is_valid():
            try:
                saved = services.placement_correct(
                    user=request.user,
                    placement=placement,
                    data=_input(form.cleaned_data, vacancy=placement.vacancy),
                    token=form.cleaned_data["edit_token"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                messages.success(request, "De correctie is opgeslagen; de vorige versie blijft bewaard.")
                _warn(request, saved)
                return redirect("employers:placement", placement_id=placement.pk)
        else:
            status = 400
    else:
        form = forms.PlacementCorrectForm(
            initial={
                "employer": placement.employer_id,
                "start_date": placement.start_date,
                "end_date": placement.end_date,
                "contract": placement.contract,
                "hours_per_week": placement.hours_per_week,
                "subsidy": placement.subsidy or Subsidy.GEEN,
                "wage_value_pct": placement.wage_value_pct,
                "supplementary_benefit": placement.supplementary_benefit,
                "jobcoach": placement.jobcoach_id,
                "jobcoach_name": placement.jobcoach_name,
                "edit_token": services.placement_edit_token(placement),
            }
        )
    logevent.client_section_read(request.user, placement.client_id, "werkprofiel", purpose=events.PLACEMENTS)
    return render(
        request,
        "employers/placements/correct.html",
        {
            "placement": placement,
            "client": placement.client,
            "form": form,
            "client_file_url": client_file_url(placement.client_id),
        },
        status=status,
    )


@login_required
@permission_required(perms.PLACEMENT_SIGNAL_SEEN)
@require_POST
def placement_signal_seen(request, placement_id: str):
    placement = Placement.objects.select_related("employer").filter(pk=placement_id).first()
    if (
        placement is None
        or placement.employer is None
        or placement.employer.account_manager_id != request.user.pk
    ):
        logevent.access_denied(
            request.user, section="", purpose=events.PLACEMENTS, reason="plaatsing niet bij uw account"
        )
        raise Http404("Deze plaatsing bestaat niet of is niet bij een van uw werkgeversaccounts.")
    services.placement_signal_seen(user=request.user, placement=placement)
    messages.success(request, "Gemarkeerd als gezien.")
    return redirect("employers:list")
