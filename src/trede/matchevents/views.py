"""Matching event pages: the list, a new or changed event, one event with its vacancies,
candidates and indeling (the organiser adds vacancies, invites anonymised candidates,
makes the indeling and confirms or drops pairs; a consultant signs up own clients), the
anonymised candidates to invite, and the indeling as CSV or XLSX. Views parse, call a
service or selector and render; every candidate shown is an audit row in that client's
log (by label: `match_listed`; by name, a consultant's own client: `clients_listed`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trede.accounts import permissions as perms
from trede.accounts.permissions import open_client, permission_required
from trede.audit import events, logevent
from trede.clients.models import Client
from trede.employers.models import Vacancy
from trede.utils import export
from trede.utils.concurrency import new_submission_key, parse_submission_key
from trede.utils.forms import show_refusal

from . import forms, selectors, services
from .constants import PLACES_MAX, EventStatus
from .models import EventPair


def _event(request, pk):
    event = selectors.event_for(request.user, pk)
    if event is None:
        raise Http404("Deze bijeenkomst bestaat niet.")
    return event


def _organiser(request, event, perm=perms.MATCHEVENT_MANAGE):
    if not services.is_organiser(request.user, event) or not perms.role_may(request.user, perm):
        logevent.access_denied(
            request.user,
            section="",
            purpose=events.MATCHING,
            reason=f"bijeenkomst {event.pk} organiseert u niet",
        )
        raise perms.refuse(request.user, perm)


def _refused(request, error: ValidationError) -> int:
    messages.error(request, " ".join(error.messages))
    return getattr(error, "status_code", 400)


@login_required
@permission_required(perms.MATCHEVENT_VIEW)
@require_GET
def event_list(request):
    rows = list(selectors.events_for(request.user))
    return render(
        request,
        "matchevents/list.html",
        {"events": rows, "may_manage": perms.role_may(request.user, perms.MATCHEVENT_MANAGE)},
    )


def _event_input(data) -> services.EventInput:
    return services.EventInput(
        name=data["name"], date=data["date"], location=data["location"], kind=data["kind"]
    )


def _form_page(request, event=None):
    status = 200
    if request.method == "POST":
        form = forms.EventForm(request.POST)
        if form.is_valid():
            try:
                if event is None:
                    saved = services.matchevent_create(
                        user=request.user,
                        data=_event_input(form.cleaned_data),
                        submission_key=parse_submission_key(form.cleaned_data["submission_key"]),
                    )
                    messages.success(
                        request,
                        f"Bijeenkomst ‘{saved.name}’ is aangemaakt. Voeg vacatures en kandidaten toe.",
                    )
                else:
                    saved = services.matchevent_update(
                        user=request.user,
                        event=event,
                        data=_event_input(form.cleaned_data),
                        token=form.cleaned_data["edit_token"],
                    )
                    messages.success(request, "De wijziging is opgeslagen.")
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                return redirect("matchevents:detail", pk=saved.pk)
        else:
            status = 400
    elif event is None:
        form = forms.EventForm(initial={"submission_key": new_submission_key()})
    else:
        form = forms.EventForm(
            initial={
                "name": event.name,
                "kind": event.kind,
                "date": event.date,
                "location": event.location,
                "edit_token": services.event_edit_token(event),
            }
        )
    return render(request, "matchevents/form.html", {"form": form, "event": event}, status=status)


@login_required
@permission_required(perms.MATCHEVENT_MANAGE)
@require_http_methods(["GET", "POST"])
def event_new(request):
    return _form_page(request)


@login_required
@permission_required(perms.MATCHEVENT_MANAGE)
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = _event(request, pk)
    _organiser(request, event)
    return _form_page(request, event)


def _detail(request, event, *, status: int = 200):
    user = request.user
    event.refresh_from_db()
    own = selectors.own_client_ids(user)
    organiser = services.is_organiser(user, event)
    candidates = selectors.candidates_of(event, own=own)
    indeling = selectors.indeling_of(event, own=own)
    vacancies = selectors.vacancies_of(event)
    # Every candidate shown: by label with the engine's reasons (a matching read), and the
    # consultant's own clients by name as well.
    shown = [c.client_id for c in candidates] + [p.pair.client_id for p in indeling.pairs]
    if shown:
        logevent.match_listed(
            user,
            shown,
            what=f"matchingbijeenkomst {event.pk} (geanonimiseerd)",
            as_of=(indeling.as_of or timezone.localdate()).isoformat(),
        )
    named = [c.client_id for c in candidates if c.name]
    sign_up = selectors.clients_to_sign_up(user, event) if event.status != EventStatus.AFGESLOTEN else []
    if named or sign_up:
        logevent.clients_listed(
            user,
            named + [c.pk for c in sign_up],
            list_name=f"Mijn klanten bij matchingbijeenkomst {event.pk}",
            purpose=events.MATCHING,
            object_type="matchevent",
            object_id=event.pk,
        )
    is_open = event.status != EventStatus.AFGESLOTEN
    return render(
        request,
        "matchevents/detail.html",
        {
            "event": event,
            "organiser": organiser,
            "is_open": is_open,
            "vacancies": vacancies,
            "candidates": candidates,
            "indeling": indeling,
            "own_vacancies": selectors.own_vacancies_to_add(user, event) if organiser and is_open else [],
            "sign_up": sign_up,
            "may_confirm": organiser and perms.role_may(user, perms.MATCHEVENT_PAIR_CONFIRM) and is_open,
            "token": services.event_edit_token(event) if organiser else "",
            "submission_key": new_submission_key(),
            "places_max": PLACES_MAX,
        },
        status=status,
    )


@login_required
@permission_required(perms.MATCHEVENT_VIEW)
@require_GET
def event_detail(request, pk: int):
    return _detail(request, _event(request, pk))


@login_required
@permission_required(perms.MATCHEVENT_MANAGE)
@require_POST
def event_vacancies(request, pk: int):
    event = _event(request, pk)
    _organiser(request, event)
    action = request.POST.get("actie", "")
    try:
        if action == "toevoegen":
            vacancy = (
                Vacancy.objects.select_related("employer").filter(pk=request.POST.get("vacature", "")).first()
            )
            if vacancy is None:
                raise ValidationError("Kies een vacature uit de lijst.")
            services.matchevent_vacancy_set(
                user=request.user, event=event, vacancy=vacancy, places=request.POST.get("plaatsen")
            )
            messages.success(request, f"Vacature ‘{vacancy.title or vacancy.pk}’ doet mee.")
        elif action == "verwijderen":
            services.matchevent_vacancy_remove(
                user=request.user, event=event, vacancy_id=request.POST.get("vacature", "")
            )
            messages.success(request, "De vacature doet niet meer mee.")
        else:
            raise ValidationError("Onbekende handeling.")
    except ValidationError as error:
        return _detail(request, event, status=_refused(request, error))
    return redirect("matchevents:detail", pk=event.pk)


@login_required
@permission_required(perms.MATCHEVENT_MANAGE)
@require_http_methods(["GET", "POST"])
def event_invite(request, pk: int):
    """The engine's best candidates for the event's vacancies, by label: the organiser
    invites whom they choose (and never learns who it is)."""
    event = _event(request, pk)
    _organiser(request, event)
    today = timezone.localdate()
    pool = selectors.invite_pool(event, day=today)
    status = 200
    if request.method == "POST":
        labels = set(request.POST.getlist("kandidaat"))
        chosen = [c for c in pool if c.label in labels]
        if not chosen:
            messages.error(request, "Kies een of meer kandidaten uit de lijst (of bekijk de lijst opnieuw).")
            status = 400
        else:
            try:
                for c in chosen:
                    services.matchevent_candidate_invite(
                        user=request.user, event=event, client=Client.objects.get(pk=c.client_id)
                    )
            except ValidationError as error:
                status = _refused(request, error)
            else:
                messages.success(request, f"{len(chosen)} kandidaten uitgenodigd.")
                return redirect("matchevents:detail", pk=event.pk)
    logevent.match_listed(
        request.user,
        [c.client_id for c in pool],
        what=f"kandidaten voor matchingbijeenkomst {event.pk} (geanonimiseerd)",
        as_of=today.isoformat(),
    )
    return render(
        request, "matchevents/invite.html", {"event": event, "pool": pool, "today": today}, status=status
    )


@login_required
@permission_required(perms.MATCHEVENT_CLIENT_ADD)
@require_POST
def event_sign_up(request, pk: int):
    """A consultant signs up (or off) a client of the own caseload."""
    event = _event(request, pk)
    client = open_client(
        request.user, perms.MATCHEVENT_CLIENT_ADD, request.POST.get("klant", ""), purpose=events.MATCHING
    )
    try:
        if request.POST.get("actie") == "afmelden":
            services.matchevent_candidate_remove(user=request.user, event=event, client=client)
            messages.success(request, f"{client.name} is afgemeld.")
        else:
            services.matchevent_client_add(user=request.user, event=event, client=client)
            messages.success(request, f"{client.name} is aangemeld voor de bijeenkomst.")
    except ValidationError as error:
        return _detail(request, event, status=_refused(request, error))
    return redirect("matchevents:detail", pk=event.pk)


@login_required
@permission_required(perms.MATCHEVENT_MANAGE)
@require_POST
def event_indeling(request, pk: int):
    event = _event(request, pk)
    _organiser(request, event)
    action = request.POST.get("actie", "indelen")
    try:
        if action == "uitnodiging_intrekken":
            client = Client.objects.filter(pk__in=selectors.event_candidate_ids(event))
            label = request.POST.get("kandidaat", "")
            found = next((c for c in client if services.event_label(event.pk, c.pk) == label), None)
            if found is None:
                raise ValidationError("Deze kandidaat staat niet (meer) op de bijeenkomst.")
            services.matchevent_candidate_remove(user=request.user, event=event, client=found)
            messages.success(request, f"De uitnodiging van {label} is ingetrokken.")
        else:
            made = services.indeling_make(
                user=request.user,
                event=event,
                token=request.POST.get("edit_token", ""),
                submission_key=parse_submission_key(request.POST.get("submission_key")),
            )
            messages.success(
                request,
                f"De indeling is gemaakt: {made.pairs} nieuwe koppels. Bevestig een koppel om de kandidaat voor te dragen.",
            )
    except ValidationError as error:
        return _detail(request, event, status=_refused(request, error))
    return redirect(reverse("matchevents:detail", args=[event.pk]) + "#indeling")


@login_required
@permission_required(perms.MATCHEVENT_MANAGE)
@require_POST
def event_close(request, pk: int):
    event = _event(request, pk)
    _organiser(request, event)
    try:
        services.matchevent_close(user=request.user, event=event, token=request.POST.get("edit_token", ""))
    except ValidationError as error:
        return _detail(request, event, status=_refused(request, error))
    messages.success(request, "De bijeenkomst is afgesloten.")
    return redirect("matchevents:detail", pk=event.pk)


@login_required
@permission_required(perms.MATCHEVENT_PAIR_CONFIRM)
@require_POST
def pair_decide(request, pair_pk: int):
    pair = EventPair.objects.select_related("event", "voordracht").filter(pk=pair_pk).first()
    if pair is None:
        raise Http404("Dit koppel bestaat niet (meer): een nieuwe indeling heeft het vervangen.")
    event = pair.event
    _organiser(request, event, perms.MATCHEVENT_PAIR_CONFIRM)
    label = services.event_label(event.pk, pair.client_id)
    try:
        if request.POST.get("actie") == "bevestigen":
            services.pair_confirm(
                user=request.user,
                pair=pair,
                submission_key=parse_submission_key(request.POST.get("submission_key")),
            )
            messages.success(
                request,
                f"{label} is voorgedragen voor ‘{pair.vacancy}’. De consulent vraagt de klant om toestemming; "
                "tot dan ziet de werkgever niets van deze kandidaat.",
            )
        elif request.POST.get("actie") == "laten_vallen":
            services.pair_drop(user=request.user, pair=pair)
            messages.success(
                request, f"Het koppel van {label} is losgelaten; een nieuwe indeling biedt het niet meer aan."
            )
        else:
            raise ValidationError("Onbekende handeling.")
    except ValidationError as error:
        return _detail(request, event, status=_refused(request, error))
    return redirect("matchevents:detail", pk=event.pk)


@login_required
@permission_required(perms.MATCHEVENT_MANAGE)
@require_GET
def event_export(request, pk: int):
    """The indeling through the one export helper (CSV or XLSX), by label, audited."""
    event = _event(request, pk)
    _organiser(request, event)
    fmt = export.requested_format(request)
    rows = selectors.export_rows(event)
    logevent.export_made(
        request.user,
        what=f"Indeling van matchingbijeenkomst {event.pk} (geanonimiseerd)",
        count=len(rows),
        purpose=events.MATCHING,
        fmt=fmt.upper(),
        object_type="matchevent",
        object_id=event.pk,
    )
    return export.table_response(
        request,
        filename=f"indeling-bijeenkomst-{event.pk}",
        header=selectors.EXPORT_HEADER,
        rows=rows,
        sheet="Indeling",
        fmt=fmt,
    )
