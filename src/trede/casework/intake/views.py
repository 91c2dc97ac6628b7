"""Screens of the intake: melding, self-service questionnaire, intake, diagnosis and route.

Views stay thin: access through `accounts.access` (every shown section audited as a read),
writes through `services` (which check the right to change the client again).
The public questionnaire page needs no login and shows nothing of the client file.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trede.accounts import permissions as perms
from trede.accounts.access import can_view, require_section
from trede.accounts.permissions import open_client, permission_required
from trede.audit import events, logevent
from trede.audit.services import audit_read
from trede.clients.models import Client
from trede.utils.concurrency import ExpiredEditError, StaleEditError, new_submission_key, parse_submission_key

from ..common import client_file_url, object_in_scope
from ..constants import LADDER_STEPS, ApplicationStatus, Category, ClientGroup, Route
from ..policy.rules import classify
from ..policy.selectors import active_policy
from .forms import (
    ApplicationForm,
    NewApplicantForm,
    OverrideForm,
    RouteDecisionForm,
    questionnaire_form_class,
)
from .models import Application, Diagnosis
from .questionnaire import DISCUSS, LEEFGEBIEDEN, QUESTION_BY_ID, WERKPROFIEL, answer_rows, domain_statuses
from .selectors import (
    applications_for,
    diagnoses_of,
    may_do_intake,
    may_register,
    questionnaire_by_token,
    questionnaire_for,
    route_decisions_of,
)
from .services import (
    QuestionnaireLinkError,
    application_register,
    diagnosis_from_questionnaire,
    diagnosis_override,
    questionnaire_complete,
    questionnaire_link_check,
    questionnaire_send,
    questionnaire_start,
    questionnaire_submit_by_client,
    route_advice_for,
    route_decide,
    route_proposed,
)

STEPS = [
    (ApplicationStatus.NIEUW, "Melding geregistreerd"),
    (ApplicationStatus.VRAGENLIJST, "Vragenlijst uitgezet"),
    (ApplicationStatus.INTAKE, "Intakegesprek gevoerd"),
    (ApplicationStatus.DIAGNOSE, "Diagnose vastgesteld"),
    (ApplicationStatus.AFGEROND, "Route besloten"),
]


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _application(
    request, pk: int, *, section: str = "basis", purpose: str = events.INTAKE, also=()
) -> Application:
    """The application if the user may see this section of its client's file (404 otherwise)."""
    return object_in_scope(
        request,
        Application.objects.select_related("client", "client__consultant", "consultant"),
        pk,
        section=section,
        purpose=purpose,
        also=also,
    )


def _require_writer(request, client) -> None:
    perms.check(request.user, perms.INTAKE_WRITE, client, purpose=events.INTAKE)


def _no_store(response: HttpResponse) -> HttpResponse:
    """The public page: not cached, not indexed, and no Referer with the token to other sites.

    "same-origin" rather than "no-referrer": browsers then send "Origin: null" with the form,
    and Django's CSRF check refuses it.
    """
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@permission_required(perms.INTAKE_LIST)
@require_GET
def intake_list(request):
    user = request.user
    status = request.GET.get("status", "")
    applications = applications_for(user)
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    else:
        status = ""
    page = Paginator(applications, 50).get_page(request.GET.get("pagina"))
    logevent.clients_listed(
        user,
        [a.client_id for a in page.object_list],
        list_name="Meldingen en aanvragen",
        purpose=events.INTAKE,
        object_type="application",
    )
    return render(
        request,
        "casework/intake/list.html",
        {
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "may_register": may_register(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_new(request, client_id: str | None = None):
    user = request.user
    client = None
    if client_id is not None:
        client = open_client(
            user,
            perms.INTAKE_WRITE,
            client_id,
            queryset=Client.objects.select_related("consultant"),
            purpose=events.INTAKE,
        )
        audit_read(user=user, client_id=client.pk, section="basis", purpose=events.INTAKE)
    elif not may_register(user):
        perms.check(user, perms.INTAKE_REGISTER, purpose=events.INTAKE)
        raise PermissionDenied(
            "Alleen een werkconsulent met een eigen caseload kan een nieuwe melding registreren. "
            "Is uw account nog niet gekoppeld aan een consulent? Vraag het de beheerder."
        )
    form_class = ApplicationForm if client else NewApplicantForm
    form = form_class(request.POST or None, initial={"submission_key": new_submission_key()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_register(
                user=user,
                kind=data["kind"],
                received_on=data["received_on"],
                client=client,
                client_data=None if client else form.client_data(),
                note=data["note"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                f"De {application.get_kind_display()} is geregistreerd voor klant {application.client_id}.",
            )
            return redirect("casework:intake_detail", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "casework/intake/new.html", {"form": form, "client": client}, status=status)


@login_required
@require_GET
def intake_detail(request, pk: int):
    user = request.user
    # The application's free-text note is casework, like a contact report: only roles that
    # may read contact moments (the consultants), not the accountmanager or a provider.
    application = _application(request, pk, section="contacten")
    client = application.client
    audit_read(user=user, client_id=client.pk, section="contacten", purpose=events.INTAKE)
    questionnaire = questionnaire_for(application)
    is_writer = may_do_intake(user, client)
    link = None
    if questionnaire is not None and is_writer:
        try:
            questionnaire_link_check(questionnaire)
        except QuestionnaireLinkError:
            link = None
        else:
            link = request.build_absolute_uri(
                reverse("casework:questionnaire_public", kwargs={"token": questionnaire.token})
            )
    link_expired = bool(
        questionnaire is not None
        and questionnaire.token_valid_until is not None
        and questionnaire.submitted_by_client_at is None
        and questionnaire.completed_at is None
        and questionnaire.token_valid_until <= timezone.now()
    )
    # Which questions have an answer, per domain (not the answers): still only the domains
    # of the sections this user may read, and each such section read is audited.
    statuses = []
    if questionnaire is not None and questionnaire.answers:
        shown = [s for s in (WERKPROFIEL, LEEFGEBIEDEN) if can_view(user, client, s)]
        for section in shown:
            audit_read(user=user, client_id=client.pk, section=section, purpose=events.QUESTIONNAIRE)
        statuses = domain_statuses(questionnaire.answers, sensitivities=set(shown))
    diagnoses = None
    if can_view(user, client, "diagnose"):
        audit_read(user=user, client_id=client.pk, section="diagnose", purpose=events.INTAKE)
        diagnoses = list(diagnoses_of(client)[:20])
    reached = [s for s, _label in STEPS].index(application.status)
    return render(
        request,
        "casework/intake/detail.html",
        {
            "application": application,
            "client": client,
            "client_file_url": client_file_url(client.pk),
            "questionnaire": questionnaire,
            "link": link,
            "link_expired": link_expired,
            "statuses": statuses,
            "is_writer": is_writer,
            "diagnoses": diagnoses,
            "diagnose_key": new_submission_key(),
            "steps": [
                {"label": label, "done": i <= reached, "current": i == reached}
                for i, (_s, label) in enumerate(STEPS)
            ],
        },
    )


@login_required
@require_POST
def intake_send(request, pk: int):
    application = _application(request, pk, purpose=events.QUESTIONNAIRE)
    earlier = questionnaire_for(application)
    replaces = earlier is not None and earlier.token_valid_until is not None
    try:
        questionnaire_send(user=request.user, application=application)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            (
                "Er is een nieuwe link gemaakt. De vorige link werkt niet meer. "
                if replaces
                else "De link is klaar. "
            )
            + "Kopieer hem en geef hem aan de inwoner. Hij werkt 14 dagen.",
        )
    return redirect(reverse("casework:intake_detail", kwargs={"pk": application.pk}) + "#zelfinvullink")


@login_required
@require_http_methods(["GET", "POST"])
def intake_questionnaire(request, pk: int):
    """The consultant completes the questionnaire with the applicant."""
    user = request.user
    application = _application(
        request, pk, section="werkprofiel", purpose=events.QUESTIONNAIRE, also=(perms.INTAKE_WRITE,)
    )
    client = application.client
    require_section(user, client, "leefgebieden", purpose=events.QUESTIONNAIRE)
    _require_writer(request, client)
    questionnaire = questionnaire_for(application)
    form_class = questionnaire_form_class(for_applicant=False)
    earlier = dict(questionnaire.answers) if questionnaire else {}
    if earlier:
        for section in (WERKPROFIEL, LEEFGEBIEDEN):
            audit_read(user=user, client_id=client.pk, section=section, purpose=events.QUESTIONNAIRE)
    initial = {k: v for k, v in earlier.items() if v != DISCUSS.value}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = questionnaire_start(user=user, application=application)
            questionnaire = questionnaire_complete(
                user=user, questionnaire=questionnaire, answers=form.answers()
            )
            filled = questionnaire.profile_fill.message()
            if "diagnose" in request.POST:
                diagnosis = diagnosis_from_questionnaire(
                    user=user, questionnaire=questionnaire, submission_key=request.POST.get("submission_key")
                )
                messages.success(request, "De vragenlijst is afgerond en de diagnose is berekend.")
                if filled:
                    messages.info(request, filled)
                return redirect("casework:diagnosis_detail", diagnosis_id=diagnosis.pk)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "De vragenlijst is afgerond.")
            if filled:
                messages.info(request, filled)
            return redirect("casework:intake_detail", pk=application.pk)
    discuss = [QUESTION_BY_ID[k].label for k, v in earlier.items() if v == DISCUSS.value]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "casework/intake/questionnaire.html",
        {
            "application": application,
            "client": client,
            "form": form,
            "questionnaire": questionnaire,
            "discuss": discuss,
            # The opened page's key: sent twice, "Afronden en diagnose berekenen" makes one diagnosis.
            "diagnose_key": parse_submission_key(request.POST.get("submission_key")) or new_submission_key(),
        },
        status=status,
    )


@login_required
@require_POST
def intake_diagnose(request, pk: int):
    application = _application(request, pk, section="diagnose", purpose=events.DIAGNOSIS)
    questionnaire = questionnaire_for(application)
    if questionnaire is None:
        messages.error(request, "Er is nog geen vragenlijst. Vul die eerst in met de inwoner.")
        return redirect("casework:intake_detail", pk=application.pk)
    try:
        diagnosis = diagnosis_from_questionnaire(
            user=request.user, questionnaire=questionnaire, submission_key=request.POST.get("submission_key")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("casework:intake_detail", pk=application.pk)
    messages.success(request, "De diagnose is berekend.")
    return redirect("casework:diagnosis_detail", diagnosis_id=diagnosis.pk)


def _diagnosis(request, diagnosis_id: str) -> Diagnosis:
    return object_in_scope(
        request,
        Diagnosis.objects.select_related("client", "client__consultant", "created_by", "questionnaire"),
        diagnosis_id,
        section="diagnose",
        purpose=events.DIAGNOSIS,
    )


def _explanation(diagnosis: Diagnosis, *, show_leefgebieden: bool) -> dict:
    """The tool's contributions, biggest effect first; leefgebieden only for who may see them."""
    rows, hidden = [], 0
    for c in (diagnosis.tool_result or {}).get("contributions", []):
        question = QUESTION_BY_ID.get(c.get("question_id", ""))
        if question is not None and question.sensitivity == LEEFGEBIEDEN and not show_leefgebieden:
            hidden += 1
            continue
        rows.append(c)
    rows.sort(key=lambda c: (-c.get("months", 0), -c.get("wage_points", 0)))
    effective = [c for c in rows if c.get("months") or c.get("wage_points") or c.get("ladder")]
    without = [c for c in rows if c not in effective]
    return {"effective": effective, "without": without, "hidden": hidden}


FIELD_LABELS = {
    "months_to_work": "Afstand tot werk (maanden)",
    "ladder_step": "Trede nu",
    "ladder_target": "Doeltrede",
    "wage_value_pct": "Loonwaarde (%)",
    "category": "Categorie",
    "route": "Route",
    "client_group": "Klantgroep",
}


def _value_label(field: str, value) -> str:
    choices = {"category": Category, "route": Route, "client_group": ClientGroup}.get(field)
    if value in (None, ""):
        return "leeg"
    return _label(choices, value) if choices else str(value)


def _override_rows(override: dict | None) -> list[dict]:
    if not override:
        return []
    rows = []
    for kind, changes in (
        ("aangepast", override.get("fields", {})),
        ("volgt uit de nieuwe afstand of trede", override.get("derived", {})),
    ):
        for field, (old, new) in changes.items():
            rows.append(
                {
                    "field": FIELD_LABELS.get(field, field),
                    "old": _value_label(field, old),
                    "new": _value_label(field, new),
                    "kind": kind,
                }
            )
    return rows


def _label(choices, code) -> str:
    if code in (None, ""):
        return "–"
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def _diagnosis_page(request, diagnosis: Diagnosis, *, override_form=None, route_form=None, status=200):
    user = request.user
    client = diagnosis.client
    audit_read(user=user, client_id=client.pk, section="diagnose", purpose=events.DIAGNOSIS)
    show_leef = can_view(user, client, "leefgebieden")
    if show_leef and diagnosis.tool_result.get("contributions"):
        audit_read(user=user, client_id=client.pk, section="leefgebieden", purpose=events.DIAGNOSIS)
    policy = active_policy()
    now_rules = None
    if diagnosis.months_to_work is not None:
        c = classify(
            months_to_work=diagnosis.months_to_work,
            ladder_step=diagnosis.ladder_step,
            dgr=(diagnosis.tool_result or {}).get("indicated", client.dgr),
            config=policy.config,
        )
        now_rules = {
            "category": _label(Category, c.category),
            "route": _label(Route, c.route),
            "client_group": _label(ClientGroup, c.client_group),
            "differs": (c.category, c.route) != (diagnosis.category, diagnosis.route),
        }
    approach = policy.config.get("ladder_approach", {})
    history = list(diagnoses_of(client))
    is_newest = bool(history) and history[0].pk == diagnosis.pk
    is_writer = may_do_intake(user, client)
    advice, _classification = route_advice_for(diagnosis, config=policy.config)
    if route_form is None and is_writer:
        route_form = RouteDecisionForm(
            advised_route=advice.route if advice else "", proposed_route=route_proposed(diagnosis, advice)
        )
    computed = (diagnosis.tool_result or {}).get("computed", {})
    override = (diagnosis.tool_result or {}).get("override")
    answers = (diagnosis.tool_result or {}).get("answers")
    sensitivities = {WERKPROFIEL, LEEFGEBIEDEN} if show_leef else {WERKPROFIEL}
    return render(
        request,
        "casework/intake/diagnosis.html",
        {
            "diagnosis": diagnosis,
            "client": client,
            "client_file_url": client_file_url(client.pk),
            "application": diagnosis.questionnaire.application if diagnosis.questionnaire else None,
            "explanation": _explanation(diagnosis, show_leefgebieden=show_leef),
            "notes": (diagnosis.tool_result or {}).get("notes", []),
            "computed": computed,
            "override": override,
            "override_rows": _override_rows(override),
            "answer_rows": answer_rows(answers, sensitivities=sensitivities) if answers else [],
            "policy": policy,
            "now_rules": now_rules,
            "ladder_now_label": str(LADDER_STEPS.get(diagnosis.ladder_step, "")),
            "ladder_target_label": str(LADDER_STEPS.get(diagnosis.ladder_target, "")),
            "ladder_now_text": approach.get(str(diagnosis.ladder_step), "") if diagnosis.ladder_step else "",
            "ladder_target_text": approach.get(str(diagnosis.ladder_target), "")
            if diagnosis.ladder_target
            else "",
            "labels": {
                "category": _label(Category, diagnosis.category),
                "route": _label(Route, diagnosis.route),
                "client_group": _label(ClientGroup, diagnosis.client_group),
            },
            "history": history,
            "decisions": list(route_decisions_of(client)[:10]),
            "is_writer": is_writer,
            # Only the newest diagnosis is corrected: an override of an older one would
            # silently replace what followed it.
            "override_form": override_form
            or (OverrideForm.for_diagnosis(diagnosis) if is_writer and is_newest else None),
            "route_form": route_form,
            "route_advice": advice,
            "route_advice_label": _label(Route, advice.route) if advice else "",
        },
        status=status,
    )


@login_required
@require_GET
def diagnosis_detail(request, diagnosis_id: str):
    return _diagnosis_page(request, _diagnosis(request, diagnosis_id))


@login_required
@require_GET
def diagnosis_latest(request, client_id: str):
    """The client's latest diagnosis (for links from the client file)."""
    client = open_client(request.user, perms.SECTION_READ["diagnose"], client_id, purpose=events.DIAGNOSIS)
    latest = diagnoses_of(client).first()
    if latest is None:
        messages.info(request, "Deze klant heeft nog geen diagnose.")
        return redirect(client_file_url(client.pk))
    return redirect("casework:diagnosis_detail", diagnosis_id=latest.pk)


@login_required
@require_POST
def diagnosis_override_view(request, diagnosis_id: str):
    diagnosis = _diagnosis(request, diagnosis_id)
    _require_writer(request, diagnosis.client)
    form = OverrideForm.for_diagnosis(diagnosis, data=request.POST)
    if form.is_valid():
        try:
            new = diagnosis_override(
                user=request.user,
                diagnosis=diagnosis,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                edit_token=form.cleaned_data["edit_token"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except (StaleEditError, ExpiredEditError) as error:
            # Nothing was written; the page names the newer diagnosis the user should see.
            form.add_error(None, error)
            return _diagnosis_page(request, diagnosis, override_form=form, status=error.status_code)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, "Uw oordeel is vastgelegd als nieuwe diagnose. De eerdere diagnose blijft bewaard."
            )
            return redirect("casework:diagnosis_detail", diagnosis_id=new.pk)
    return _diagnosis_page(request, diagnosis, override_form=form, status=400)


@login_required
@require_POST
def route_decide_view(request, diagnosis_id: str):
    diagnosis = _diagnosis(request, diagnosis_id)
    _require_writer(request, diagnosis.client)
    advice, _classification = route_advice_for(diagnosis, config=active_policy().config)
    form = RouteDecisionForm(request.POST, advised_route=advice.route if advice else "")
    if form.is_valid():
        try:
            decision = route_decide(
                user=request.user,
                client=diagnosis.client,
                diagnosis=diagnosis,
                route=form.cleaned_data["route"],
                deviation_reason=form.cleaned_data["deviation_reason"],
                reason=form.cleaned_data["reason"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except StaleEditError as error:
            form.add_error(None, error)
            return _diagnosis_page(request, diagnosis, route_form=form, status=error.status_code)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            deviation = " (afwijkend van het advies)" if decision.deviates else ""
            messages.success(request, f"Routebesluit vastgelegd: {decision.get_route_display()}{deviation}.")
            return redirect(
                reverse("casework:diagnosis_detail", kwargs={"diagnosis_id": diagnosis.pk}) + "#route"
            )
    return _diagnosis_page(request, diagnosis, route_form=form, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def questionnaire_public(request, token: str):
    """The applicant's own questionnaire, reached with the link; no login, no client data shown."""
    questionnaire = questionnaire_by_token(token)
    try:
        questionnaire_link_check(questionnaire)
    except QuestionnaireLinkError as error:
        status = 404 if questionnaire is None or questionnaire.token_valid_until is None else 410
        return _no_store(
            render(request, "casework/intake/public_refused.html", {"message": str(error)}, status=status)
        )
    form = questionnaire_form_class(for_applicant=True)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire_submit_by_client(token=token, answers=form.answers())
        except QuestionnaireLinkError as error:
            return _no_store(
                render(request, "casework/intake/public_refused.html", {"message": str(error)}, status=410)
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return _no_store(redirect("casework:questionnaire_done"))
    status = 400 if request.method == "POST" else 200
    return _no_store(
        render(
            request,
            "casework/intake/public.html",
            {
                "form": form,
                "valid_until": questionnaire.token_valid_until,
            },
            status=status,
        )
    )


@never_cache
@require_GET
def questionnaire_done(request):
    return _no_store(render(request, "casework/intake/public_done.html", {}))
