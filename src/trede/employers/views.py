"""Employer pages. The accountmanager's 'Werkgevers' (own accounts; all for whom the
declaration allows it), an employer with its vacancies and placements, a vacancy entered
or changed (the occupation chosen by typing a job title), the vacancy's anonymised
candidates and its voordrachten; the consultant's 'Vacatures voor deze klant'; the
inwoner's 'Mijn voordrachten' with consent. Views parse, call a service or selector and
render; every list of people is audited, every view of one a read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trede.accounts import permissions as perms
from trede.accounts.permissions import open_client, permission_required
from trede.audit import events, logevent
from trede.utils.concurrency import new_submission_key, parse_submission_key
from trede.utils.forms import show_refusal

from . import forms, selectors, services
from .constants import CONSENTED, VoordrachtStatus
from .matching.rules import occupation_name
from .models import Placement, Voordracht
from .placements import selectors as placement_selectors
from .relations import selectors as relation_selectors
from .relations import services as relation_services


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _employer(request, employer_id: str):
    employer = selectors.employer_for(request.user, employer_id)
    if employer is None:
        raise Http404("Deze werkgever bestaat niet of is niet een van uw accounts.")
    return employer


def _vacancy(request, vacancy_id: str):
    vacancy = selectors.vacancy_for(request.user, vacancy_id)
    if vacancy is None:
        raise Http404("Deze vacature bestaat niet of hoort niet bij een van uw accounts.")
    return vacancy


@login_required
@permission_required(perms.EMPLOYER_ACCOUNTS)
@require_GET
def employer_list(request):
    rows = list(selectors.employers_for(request.user))
    signals = selectors.consultant_proposals_for(request.user)
    for entry in signals:
        entry.label = services.candidate_label(entry.vacancy_id, entry.client_id)
    if signals:
        logevent.clients_listed(
            request.user,
            [e.client_id for e in signals],
            list_name="Voordrachten van consulenten bij mijn werkgevers",
            purpose=events.MATCHING,
        )
    placed = placement_selectors.signals_for(request.user)
    for entry in placed:
        entry.label = services.candidate_label(entry.employer_id, entry.client_id)
    if placed:
        logevent.clients_listed(
            request.user,
            [p.client_id for p in placed],
            list_name="Plaatsingen van consulenten bij mijn werkgevers",
            purpose=events.PLACEMENTS,
        )
    return render(
        request,
        "employers/list.html",
        {
            "employers": rows,
            "all_accounts": perms.role_may(request.user, perms.EMPLOYERS_ALL),
            "signals": signals,
            "placed": placed,
        },
    )


@login_required
@permission_required(perms.EMPLOYER_ACCOUNTS)
@require_GET
def employer_detail(request, employer_id: str):
    employer = _employer(request, employer_id)
    return render(
        request,
        "employers/employer.html",
        {
            "employer": employer,
            "vacancies": selectors.vacancies_of(employer),
            "placements": selectors.placements_of(employer),
            "may_edit": services.may_edit_employer(request.user, employer),
            "relation": relation_selectors.relation_of(employer),
            "may_edit_relation": relation_services.may_edit_relation(request.user, employer),
            "may_export_relation": perms.role_may(request.user, perms.EMPLOYER_RELATION_EXPORT),
        },
    )


def _vacancy_input(data: dict) -> services.VacancyInput:
    return services.VacancyInput(
        title=data["title"],
        occupation_code=data["occupation"],
        kind=data["kind"],
        skills=services.parse_skills(data["skills"]),
        hours_per_week=data["hours_per_week"],
        postcode4=data["postcode4"],
        start_date=data["start_date"],
        positions=data["positions"],
        status=data["status"],
    )


def _vacancy_form_page(request, *, employer, vacancy=None):
    """New and edit share one page: 'Beroep zoeken' shows the occupations the typed title
    may mean, 'Opslaan' saves (an exact title is recognised without the search step)."""
    current = vacancy.occupation_code if vacancy is not None else ""
    status = 200
    if request.method == "POST":
        searching = request.POST.get("actie") == "zoeken"
        form = forms.VacancyForm(request.POST, current_occupation=current)
        if searching:
            # Show the choices without complaining about fields not filled in yet.
            form = forms.VacancyForm(initial=request.POST.dict(), current_occupation=current)
        elif form.is_valid():
            try:
                data = _vacancy_input(form.cleaned_data)
                if vacancy is None:
                    saved = services.vacancy_create(
                        user=request.user,
                        employer=employer,
                        data=data,
                        submission_key=parse_submission_key(form.cleaned_data["submission_key"]),
                    )
                    messages.success(request, f"Vacature ‘{saved.title}’ is opgeslagen.")
                else:
                    saved = services.vacancy_update(
                        user=request.user, vacancy=vacancy, data=data, token=form.cleaned_data["edit_token"]
                    )
                    messages.success(request, "De wijziging is opgeslagen.")
            except ValidationError as error:
                status = show_refusal(form, error)
            else:
                return redirect("employers:vacancy", vacancy_id=saved.pk)
        else:
            status = 400
    elif vacancy is None:
        form = forms.VacancyForm(initial={"submission_key": new_submission_key()})
    else:
        form = forms.VacancyForm(
            initial={
                "title": vacancy.title,
                "occupation": f"{current}|" if current else "",
                "kind": vacancy.kind,
                "skills": "\n".join(vacancy.skills or []),
                "hours_per_week": vacancy.hours_per_week,
                "postcode4": vacancy.postcode4,
                "start_date": vacancy.start_date,
                "positions": vacancy.positions,
                "status": vacancy.status,
                "edit_token": services.vacancy_edit_token(vacancy),
            },
            current_occupation=current,
        )
    return render(
        request,
        "employers/vacancy_form.html",
        {"employer": employer, "vacancy": vacancy, "form": form},
        status=status,
    )


@login_required
@permission_required(perms.VACANCY_EDIT)
@require_http_methods(["GET", "POST"])
def vacancy_new(request, employer_id: str):
    employer = _employer(request, employer_id)
    if not services.may_edit_employer(request.user, employer):
        raise perms.refuse(request.user, perms.VACANCY_EDIT)
    return _vacancy_form_page(request, employer=employer)


@login_required
@permission_required(perms.VACANCY_EDIT)
@require_http_methods(["GET", "POST"])
def vacancy_edit(request, vacancy_id: str):
    vacancy = _vacancy(request, vacancy_id)
    if not services.may_edit_employer(request.user, vacancy.employer):
        raise perms.refuse(request.user, perms.VACANCY_EDIT)
    return _vacancy_form_page(request, employer=vacancy.employer, vacancy=vacancy)


@login_required
@permission_required(perms.EMPLOYER_ACCOUNTS)
@require_GET
def vacancy_detail(request, vacancy_id: str):
    vacancy = _vacancy(request, vacancy_id)
    entries = selectors.voordrachten_of(vacancy)
    for entry in entries:
        entry.label = services.candidate_label(vacancy.pk, entry.client_id)
        entry.consented = entry.status in CONSENTED
    if entries:
        logevent.clients_listed(
            request.user,
            [e.client_id for e in entries],
            list_name=f"Voordrachten bij vacature {vacancy.pk}",
            purpose=events.MATCHING,
            object_type="vacancy",
            object_id=vacancy.pk,
        )
    return render(
        request,
        "employers/vacancy.html",
        {
            "vacancy": vacancy,
            "employer": vacancy.employer,
            "occupation": occupation_name(vacancy.occupation_code) if vacancy.occupation_code else "",
            "entries": entries,
            "may_edit": services.may_edit_employer(request.user, vacancy.employer),
            "may_candidates": perms.role_may(request.user, perms.VACANCY_CANDIDATES)
            and services.may_edit_employer(request.user, vacancy.employer),
        },
    )


@login_required
@permission_required(perms.VACANCY_CANDIDATES)
@require_http_methods(["GET", "POST"])
def vacancy_candidates(request, vacancy_id: str):
    vacancy = _vacancy(request, vacancy_id)
    if vacancy.employer.account_manager_id != request.user.pk:
        raise perms.refuse(request.user, perms.VACANCY_CANDIDATES)
    today = timezone.localdate()
    candidates = selectors.vacancy_candidates(vacancy, day=today)
    status = 200
    if request.method == "POST":
        label = request.POST.get("kandidaat", "")
        chosen = next((c for c in candidates if c.label == label), None)
        if chosen is None:
            messages.error(request, "Deze kandidaat staat niet (meer) op de lijst; bekijk de lijst opnieuw.")
            status = 400
        else:
            from trede.clients.models import Client

            try:
                services.voordracht_from_vacancy(
                    user=request.user,
                    vacancy=vacancy,
                    client=Client.objects.get(pk=chosen.client_id),
                    score=chosen.score,
                    submission_key=parse_submission_key(request.POST.get("submission_key")),
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
                status = getattr(error, "status_code", 400)
            else:
                messages.success(
                    request,
                    f"{chosen.label} is voorgedragen. De consulent vraagt de klant om toestemming; "
                    "tot dan ziet de werkgever niets van deze kandidaat.",
                )
                return redirect("employers:candidates", vacancy_id=vacancy.pk)
        candidates = selectors.vacancy_candidates(vacancy, day=today)
    logevent.match_listed(
        request.user,
        [c.client_id for c in candidates],
        what=f"kandidaten voor vacature {vacancy.pk} (geanonimiseerd)",
        as_of=today.isoformat(),
    )
    return render(
        request,
        "employers/candidates.html",
        {
            "vacancy": vacancy,
            "employer": vacancy.employer,
            "occupation": occupation_name(vacancy.occupation_code) if vacancy.occupation_code else "",
            "candidates": candidates,
            "submission_key": new_submission_key(),
            "today": today,
        },
        status=status,
    )


@login_required
@permission_required(perms.VOORDRACHT_OUTCOME)
@require_POST
def voordracht_step(request, pk: int):
    entry = Voordracht.objects.select_related("vacancy", "vacancy__employer").filter(pk=pk).first()
    if (
        entry is None
        or entry.vacancy.employer is None
        or entry.vacancy.employer.account_manager_id != request.user.pk
    ):
        logevent.access_denied(
            request.user,
            section="werkprofiel",
            purpose=events.MATCHING,
            reason="voordracht niet van uw account",
        )
        raise Http404("Deze voordracht bestaat niet of hoort niet bij een van uw accounts.")
    action = request.POST.get("actie", "")
    try:
        if action == "voorstellen":
            services.voordracht_present(user=request.user, voordracht=entry)
            messages.success(request, "Vastgelegd dat de kandidaat aan de werkgever is voorgesteld.")
        elif action in ("aangenomen", "afgewezen"):
            services.voordracht_outcome(
                user=request.user,
                voordracht=entry,
                hired=action == "aangenomen",
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "De uitkomst is vastgelegd.")
        else:
            raise ValidationError("Onbekende handeling.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("employers:vacancy", vacancy_id=entry.vacancy_id)


@login_required
@permission_required(perms.VOORDRACHT_OUTCOME)
@require_GET
def voordracht_profile(request, pk: int):
    """The anonymised profile the accountmanager introduces to the employer: only after the
    client's consent (before it the accountmanager has no relationship: 404, audited)."""
    entry = Voordracht.objects.select_related("vacancy", "vacancy__employer").filter(pk=pk).first()
    owned = (
        entry is not None
        and entry.vacancy.employer_id
        and entry.vacancy.employer.account_manager_id == request.user.pk
    )
    if not owned or entry.status not in CONSENTED:
        logevent.access_denied(
            request.user,
            client_id=entry.client_id if entry is not None else "",
            section="werkprofiel",
            purpose=events.MATCHING,
            reason="voordracht zonder toestemming of niet van uw account",
        )
        raise Http404("Dit profiel is er (nog) niet: de klant heeft geen toestemming gegeven.")
    client = open_client(request.user, perms.VOORDRACHT_OUTCOME, entry.client_id, purpose=events.MATCHING)
    profile = selectors.introduction_profile(entry, client, day=timezone.localdate())
    logevent.client_section_read(request.user, client.pk, "werkprofiel", purpose=events.MATCHING)
    return render(
        request,
        "employers/profile.html",
        {
            "entry": entry,
            "vacancy": entry.vacancy,
            "label": services.candidate_label(entry.vacancy_id, entry.client_id),
            "profile": profile,
        },
    )


# --------------------------------------------------------------------------- consultant


@login_required
@permission_required(perms.CLIENT_VACANCIES)
@require_http_methods(["GET", "POST"])
def client_vacancies(request, client_id: str):
    client = open_client(request.user, perms.CLIENT_VACANCIES, client_id, purpose=events.MATCHING)
    today = timezone.localdate()
    status = 200
    if request.method == "POST":
        fits = {f.vacancy.pk: f for f in selectors.client_vacancies(client, day=today)}
        fit = fits.get(request.POST.get("vacature", ""))
        if fit is None:
            messages.error(request, "Deze vacature staat niet (meer) op de lijst; bekijk de lijst opnieuw.")
            status = 400
        else:
            try:
                services.voordracht_for_client(
                    user=request.user,
                    vacancy=fit.vacancy,
                    client=client,
                    score=fit.score,
                    submission_key=parse_submission_key(request.POST.get("submission_key")),
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
                status = getattr(error, "status_code", 400)
            else:
                messages.success(
                    request,
                    f"{client.name} is voorgedragen voor ‘{fit.vacancy.title}’. De klant geeft in het eigen "
                    "dossier toestemming voordat de werkgever iets ziet.",
                )
                return redirect("employers:client_vacancies", client_id=client.pk)
    fits = selectors.client_vacancies(client, day=today)
    shown = {f.vacancy.pk for f in fits}
    # Voordrachten for vacancies not on the list (proposed by the accountmanager, or closed).
    others = [e for e in selectors.own_voordrachten(client) if e.vacancy_id not in shown]
    placed = dict(
        Placement.objects.filter(voordracht__in=others).values_list("voordracht_id", "placement_id")
    )
    for entry in others:
        entry.placement_pk = placed.get(entry.pk, "")
    logevent.client_section_read(request.user, client.pk, "werkprofiel", purpose=events.MATCHING)
    return render(
        request,
        "employers/client_vacancies.html",
        {
            "client": client,
            "fits": fits,
            "others": others,
            "candidate": selectors.is_candidate(client.pk, today),
            "may_propose": perms.allowed(request.user, perms.VOORDRACHT_FOR_CLIENT, client),
            "may_place": perms.allowed(request.user, perms.PLACEMENT_RECORD, client),
            "submission_key": new_submission_key(),
            "today": today,
        },
        status=status,
    )


# --------------------------------------------------------------------------- inwoner


@login_required
@permission_required(perms.VOORDRACHT_CONSENT)
@require_http_methods(["GET", "POST"])
def my_voordrachten(request):
    client = open_client(
        request.user, perms.VOORDRACHT_CONSENT, request.user.client_id or "", purpose=events.MATCHING
    )
    status = 200
    if request.method == "POST":
        entry = Voordracht.objects.filter(pk=request.POST.get("voordracht") or 0, client=client).first()
        answer = request.POST.get("antwoord", "")
        if entry is None or answer not in ("ja", "nee", "intrekken"):
            messages.error(request, "Deze voordracht bestaat niet (meer).")
            status = 400
        else:
            try:
                if answer == "intrekken":
                    services.voordracht_consent_withdraw(user=request.user, voordracht=entry)
                else:
                    services.voordracht_consent(user=request.user, voordracht=entry, given=answer == "ja")
            except ValidationError as error:
                messages.error(request, _error_text(error))
                status = getattr(error, "status_code", 400)
            else:
                messages.success(
                    request,
                    {
                        "ja": "Dank u. U heeft toestemming gegeven: de werkgever hoort van u.",
                        "nee": "Dank u. U heeft geen toestemming gegeven: de werkgever hoort niets van u.",
                        "intrekken": "U heeft uw toestemming ingetrokken: de gemeente stelt u niet meer voor "
                        "bij deze werkgever en geeft de werkgever geen gegevens meer over u.",
                    }[answer],
                )
                return redirect("employers:my_voordrachten")
    entries = selectors.own_voordrachten(client)
    for entry in entries:
        entry.occupation = (
            occupation_name(entry.vacancy.occupation_code) if entry.vacancy.occupation_code else ""
        )
        entry.open = entry.status == VoordrachtStatus.VOORGESTELD
        entry.withdrawable = entry.status in services.WITHDRAWABLE
    logevent.client_section_read(request.user, client.pk, "werkprofiel", purpose=events.MATCHING)
    return render(
        request, "employers/my_voordrachten.html", {"client": client, "entries": entries}, status=status
    )
