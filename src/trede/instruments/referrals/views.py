"""Referral pages. The consultant's 'Verwijzen' from the client file and one referral with
the provider's reports (confirm or dispute the result, handle a no-show); the provider
portal's 'Deelnemers' (`/aanbieder/deelnemers/`: its own participants only, each listing
audited, another provider's referral a 404 audited as refused); the contract manager's
signals per provider (trajectory numbers, no clients)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import open_client, permission_required
from trede.audit import events, logevent
from trede.casework.policy.selectors import active_policy
from trede.utils.concurrency import new_submission_key, parse_submission_key

from ..models import Referral
from . import forms, selectors, services
from .rules import ReferralSettings


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _settings() -> tuple[ReferralSettings, dict]:
    config = active_policy().config
    return ReferralSettings.of(config), config


# --------------------------------------------------------------------------- consultant


@login_required
@permission_required(perms.REFERRAL_CREATE)
@require_http_methods(["GET", "POST"])
def referral_new(request, client_id: str):
    client = open_client(request.user, perms.REFERRAL_CREATE, client_id, purpose=events.REFERRALS)
    today = timezone.localdate()
    options = selectors.referral_options(today=today)
    status = 200
    if request.method == "POST":
        form = forms.ReferralForm(request.POST, options=options)
        if form.is_valid():
            instrument_code, _sep, provider_id = form.cleaned_data["aanbod"].partition("|")
            try:
                referral = services.referral_create(
                    user=request.user,
                    client=client,
                    instrument_code=instrument_code,
                    provider_id=provider_id,
                    goal=form.cleaned_data["goal"],
                    planned_end_date=form.cleaned_data["planned_end_date"],
                    note=form.cleaned_data["note"],
                    submission_key=parse_submission_key(form.cleaned_data["submission_key"]),
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
                status = getattr(error, "status_code", 400)
            else:
                trajectory = referral.trajectory
                messages.success(
                    request,
                    f"Verwezen naar {trajectory.instrument} bij {trajectory.provider} (traject {trajectory.pk}).",
                )
                for warning in services.ceiling_warnings(referral):
                    messages.warning(request, warning)
                return redirect("instruments:referral", pk=referral.pk)
        else:
            status = 400
    else:
        form = forms.ReferralForm(options=options, initial={"submission_key": new_submission_key()})
    return render(
        request,
        "instruments/referrals/referral_new.html",
        {"client": client, "form": form, "options": options},
        status=status,
    )


def _consultant_referral(request, pk: int) -> Referral:
    """The referral when the user may read its client's file for referrals (404 when it
    does not exist or its client is outside the user's work; both audited by open_client)."""
    referral = selectors.referral_with_reports(pk)
    if referral is None:
        logevent.access_denied(
            request.user, section="trajecten", purpose=events.REFERRALS, reason="verwijzing bestaat niet"
        )
        raise Http404("Deze verwijzing bestaat niet of valt buiten uw werk.")
    open_client(request.user, perms.REFERRAL_READ, referral.trajectory.client_id, purpose=events.REFERRALS)
    return referral


@login_required
@permission_required(perms.REFERRAL_READ)
@require_http_methods(["GET", "POST"])
def referral_detail(request, pk: int):
    referral = _consultant_referral(request, pk)
    status = 200
    if request.method == "POST":
        action = request.POST.get("actie")
        token = request.POST.get("edit_token", "")
        try:
            if action == "bevestigen":
                services.result_confirm(user=request.user, referral=referral, edit_token=token)
                messages.success(request, "Het resultaat is bevestigd en staat nu vast.")
            elif action == "betwisten":
                services.result_dispute(
                    user=request.user,
                    referral=referral,
                    reason=request.POST.get("reden", ""),
                    edit_token=token,
                )
                messages.success(request, "Het resultaat is betwist; de aanbieder stuurt een correctie.")
            elif action == "no_show_afhandelen":
                services.no_show_handle(user=request.user, referral=referral, edit_token=token)
                messages.success(request, "De no-show is afgehandeld en staat niet meer op de werklijst.")
            else:
                raise ValidationError("Onbekende handeling.")
        except ValidationError as error:
            messages.error(request, _error_text(error))
            status = getattr(error, "status_code", 400)
            referral = selectors.referral_with_reports(pk)
        else:
            return redirect("instruments:referral", pk=pk)
    settings, _config = _settings()
    state = selectors.referral_state(referral, today=timezone.localdate(), settings=settings)
    logevent.client_section_read(
        request.user, referral.trajectory.client_id, "trajecten", purpose=events.REFERRALS
    )
    client = referral.trajectory.client
    return render(
        request,
        "instruments/referrals/referral.html",
        {
            "state": state,
            "referral": referral,
            "client": client,
            "may_review": perms.allowed(request.user, perms.REFERRAL_REVIEW, client),
            "edit_token": services.referral_edit_token(referral),
            "settings": settings,
        },
        status=status,
    )


# --------------------------------------------------------------------------- provider portal


@login_required
@permission_required(perms.PARTICIPANTS_READ)
@require_GET
def participants(request):
    provider = request.user.provider
    settings, _config = _settings()
    states = (
        selectors.participants_of(provider, today=timezone.localdate(), settings=settings) if provider else []
    )
    if provider is not None:
        logevent.clients_listed(
            request.user,
            [s.trajectory.client_id for s in states],
            list_name="Deelnemers",
            purpose=events.REFERRALS,
            object_type="provider",
            object_id=provider.pk,
        )
    return render(
        request,
        "instruments/referrals/participants.html",
        {"provider": provider, "states": states, "today": timezone.localdate(), "settings": settings},
    )


def _provider_referral(request, pk: int) -> Referral:
    """One of the provider's own referrals; anything else (another provider's, a number that
    does not exist) is one 404, audited as refused."""
    referral = services.provider_referral(request.user, pk)
    if referral is None:
        other = Referral.objects.filter(pk=pk).values_list("trajectory__client_id", flat=True).first()
        logevent.access_denied(
            request.user,
            client_id=other or "",
            section="trajecten",
            purpose=events.REFERRALS,
            reason="verwijzing naar een andere aanbieder" if other else "verwijzing bestaat niet",
        )
        raise Http404("Deze deelnemer bestaat niet of is niet naar uw organisatie verwezen.")
    return referral


PROVIDER_FORMS = {
    "intake": forms.IntakeForm,
    "start": forms.StartForm,
    "no_show": forms.NoShowForm,
    "voortgang": forms.ProgressForm,
    "einde": forms.EndForm,
}


def _provider_forms(referral: Referral, bound: dict) -> dict:
    token = services.referral_edit_token(referral)
    key = new_submission_key()
    criterion = referral.trajectory.instrument.success_criterion if referral.trajectory.instrument_id else ""
    made = {}
    for name, form_class in PROVIDER_FORMS.items():
        kwargs = {"prefix": name}
        if name == "einde":
            kwargs["criterion"] = criterion
        if name in bound:
            made[name] = bound[name]
            continue
        initial = {}
        if "edit_token" in form_class.base_fields:
            initial["edit_token"] = token
        if "submission_key" in form_class.base_fields:
            initial["submission_key"] = key
        made[name] = form_class(initial=initial, **kwargs)
    return made


def _provider_action(request, referral: Referral, action: str, form, config: dict) -> str:
    data = form.cleaned_data
    user = request.user
    if action == "intake":
        services.intake_record(
            user=user, referral=referral, intake_date=data["intake_date"], edit_token=data["edit_token"]
        )
        return "De intakedatum is vastgelegd."
    if action == "start":
        services.start_record(
            user=user, referral=referral, start_date=data["start_date"], edit_token=data["edit_token"]
        )
        return "De start is vastgelegd."
    if action == "no_show":
        services.no_show_record(
            user=user,
            referral=referral,
            reason=data["reason"],
            note=data["note"],
            edit_token=data["edit_token"],
        )
        return "Vastgelegd dat de klant niet is gestart; de consulent ziet dit op de werklijst."
    if action == "voortgang":
        report = services.progress_report(
            user=user,
            referral=referral,
            text=data["text"],
            on_track=forms.yes_no(data["on_track"]),
            config=config,
            submission_key=parse_submission_key(data["submission_key"]),
        )
        return f"Voortgangsrapportage {report.number} is vastgelegd."
    services.end_report(
        user=user,
        referral=referral,
        end_date=data["end_date"],
        result=data["result"],
        criterion_met=forms.yes_no(data["criterion_met"]),
        note=data["note"],
        edit_token=data["edit_token"],
        submission_key=parse_submission_key(data["submission_key"]),
    )
    return "Het einde is gemeld; de consulent bevestigt of betwist het resultaat."


@login_required
@permission_required(perms.PARTICIPANTS_READ)
@require_http_methods(["GET", "POST"])
def participant(request, pk: int):
    referral = _provider_referral(request, pk)
    settings, config = _settings()
    status = 200
    bound = {}
    if request.method == "POST":
        action = request.POST.get("actie", "")
        form_class = PROVIDER_FORMS.get(action)
        if form_class is None:
            messages.error(request, "Onbekende handeling.")
            status = 400
        else:
            kwargs = {"prefix": action}
            if action == "einde" and referral.trajectory.instrument_id:
                kwargs["criterion"] = referral.trajectory.instrument.success_criterion
            form = form_class(request.POST, **kwargs)
            if form.is_valid():
                try:
                    done = _provider_action(request, referral, action, form, config)
                except ValidationError as error:
                    form.add_error(None, _error_text(error))
                    status = getattr(error, "status_code", 400)
                    bound[action] = form
                    referral = services.provider_referral(request.user, pk)
                else:
                    messages.success(request, done)
                    return redirect("instruments:participant", pk=pk)
            else:
                bound[action] = form
                status = 400
    referral = selectors.referral_with_reports(referral.pk)
    state = selectors.referral_state(referral, today=timezone.localdate(), settings=settings)
    logevent.client_section_read(
        request.user, referral.trajectory.client_id, "trajecten", purpose=events.REFERRALS
    )
    return render(
        request,
        "instruments/referrals/participant.html",
        {
            "state": state,
            "referral": referral,
            "forms": _provider_forms(referral, bound),
            "settings": settings,
            "failed": next(iter(bound), ""),
        },
        status=status,
    )


# --------------------------------------------------------------------------- contract manager


@login_required
@permission_required(perms.REFERRAL_SIGNALS)
@require_GET
def referral_signals(request):
    settings, _config = _settings()
    rows = selectors.provider_signals(today=timezone.localdate(), settings=settings)
    logevent.referral_signals_read(request.user, count=sum(len(r.signals) for r in rows))
    return render(
        request,
        "instruments/referrals/signals.html",
        {"rows": rows, "settings": settings, "today": timezone.localdate()},
    )
