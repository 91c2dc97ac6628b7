"""Screens of the contact regime: "Werklijst", registering a contact moment, and its
history, correction and withdrawal."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.access import relations_of
from trede.accounts.permissions import Relation, permission_required
from trede.audit import events, logevent
from trede.utils.concurrency import new_submission_key

from ..common import casework_client, client_file_url, object_in_scope
from ..constants import ContactOutcome
from ..policy.selectors import active_policy
from . import selectors, services
from .forms import ContactCorrectionForm, ContactForm, ContactWithdrawForm
from .models import Contact
from .selectors import contacts_with_actions, worklist_consultants_for, worklist_for, worklist_grouped
from .services import contact_edit_token, contact_register


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
        urls = _WorklistUrls()
        for group in groups:
            group["tbody"] = _worklist_tbody(group["items"], today, urls)
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


class _WorklistUrls:
    """The links of a worklist row, reversed once per page (a worklist has hundreds of rows,
    each with two links) and filled in per client."""

    PLACEHOLDER = "__klant__"

    def __init__(self):
        kwargs = {"client_id": self.PLACEHOLDER}
        self.file = client_file_url(self.PLACEHOLDER)
        self.contact = reverse("casework:contact_new", kwargs=kwargs)
        self.plan = reverse("casework:plan_detail", kwargs=kwargs)
        self.plan_new = reverse("casework:plan_new", kwargs=kwargs)
        self.referral = reverse("instruments:referral", kwargs={"pk": 0})
        self.vacancies = reverse("employers:client_vacancies", kwargs=kwargs)
        self.placement = reverse("employers:placement", kwargs={"placement_id": self.PLACEHOLDER})

    def of(self, url: str, client_id: str) -> str:
        return url.replace(self.PLACEHOLDER, quote(client_id))


def _action(item, urls: _WorklistUrls) -> tuple[str, str]:
    """(url, label) of what to do about an item; ("", "") when it is opening the file."""
    if item.action == "contact":
        return urls.of(urls.contact, item.client_id), "Contact vastleggen"
    if item.action == "placement":
        label = "Afloop vastleggen" if item.kind == "proefplaatsing" else "Nazorg vastleggen"
        return urls.of(urls.placement, str(item.object_id)), label
    if item.action == "vacatures":
        return urls.of(urls.vacancies, item.client_id), "Vacatures en voordrachten"
    if item.action == "referral":
        return urls.referral.replace("/0/", f"/{int(item.object_id)}/"), "Verwijzing openen"
    if item.action == "plan":
        if item.kind == "plan_missing":
            return urls.of(urls.plan_new, item.client_id), "Plan opstellen"
        label = "Naar het plan" if item.kind == "plan_unsigned" else "Plan opstellen"
        return urls.of(urls.plan, item.client_id), label
    return "", ""


def _worklist_tbody(items, today, urls: _WorklistUrls) -> str:
    """The rows of one group of the worklist, built in Python with every value escaped.

    The template language needed about half of the page's CPU for a worklist of ~300 rows
    (120 clients); the page has a CPU target per request (`trede bench_caseload`).
    """
    parts = []
    for item in items:
        name = escape(item.client_name)
        file_url = escape(urls.of(urls.file, item.client_id))
        days_late = item.days_late(today)
        late = (
            f' <span class="late">{days_late} dag{"en" if days_late != 1 else ""} te laat</span>'
            if days_late
            else ""
        )
        action_url, action_label = _action(item, urls)
        if action_url:
            action = (
                f'<a href="{escape(action_url)}">{escape(action_label)}'
                f'<span class="visually-hidden"> voor {name}</span></a>'
            )
        else:
            action = (
                f'<a href="{file_url}">Dossier openen<span class="visually-hidden"> van {name}</span></a>'
            )
        due = item.due
        parts.append(
            "<tr>"
            f'<th scope="row"><a href="{file_url}">{name}</a> <span class="meta">{escape(item.client_id)}</span></th>'
            f"<td>{escape(item.detail)}</td>"
            f"<td>{due.day}-{due.month}-{due.year}{late}</td>"
            f"<td>{action}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(parts))  # every value above is escaped


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: redirect() would take "-3177" or "home" for a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
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
    recent = contacts_with_actions(
        request.user, client, Contact.objects.filter(client=client).order_by("-date", "-contact_id")[:5]
    )
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


def _contact(request, contact_id: str, permission=None) -> Contact:
    """The contact moment behind a URL: 403 for a role that may not do this (before any
    lookup), the same 404 for a missing number and one outside the user's work, and 403
    when the relationship or the author rule of `permission` does not allow it."""
    also = (permission,) if permission is not None else ()
    contact = object_in_scope(
        request,
        Contact.objects.select_related("client", "client__consultant", "created_by", "withdrawn_by"),
        contact_id,
        section="contacten",
        purpose=events.CONTACT,
        also=also,
    )
    if permission is not None and not perms.allowed(request.user, permission, contact.client, record=contact):
        raise perms.refuse(request.user, permission, client_id=contact.client_id, purpose=events.CONTACT)
    return contact


def _context(request, contact: Contact, **extra) -> dict:
    logevent.client_section_read(request.user, contact.client_id, "contacten", purpose=events.CONTACT)
    return {
        "contact": contact,
        "client": contact.client,
        "client_file_url": client_file_url(contact.client_id),
        "history_url": reverse("casework:contact_history", kwargs={"contact_id": contact.pk}),
        **extra,
    }


@login_required
@require_GET
def contact_history(request, contact_id: str):
    contact = _contact(request, contact_id)
    contacts_with_actions(request.user, contact.client, [contact])  # sets may_correct, may_withdraw
    return render(
        request,
        "casework/worklist/contact_history.html",
        _context(request, contact, versions=selectors.contact_history(contact)),
    )


def _edit_refused(form, error: ValidationError) -> int:
    """Put a refused edit's message on the form; the HTTP status that goes with it."""
    form.add_error(None, error)
    return getattr(error, "status_code", 200)


@login_required
@require_http_methods(["GET", "POST"])
def contact_correct(request, contact_id: str):
    contact = _contact(request, contact_id, perms.CONTACT_CORRECT)
    # A POST goes to the service even then: withdrawn after the form was opened is a stale
    # edit (409, saying so), not a silent redirect.
    if contact.is_withdrawn and request.method == "GET":
        messages.error(request, "Een ingetrokken contactmoment kan niet meer worden gecorrigeerd.")
        return redirect("casework:contact_history", contact_id=contact.pk)
    status = 200
    if request.method == "POST":
        form = ContactCorrectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contact_correct(
                    user=request.user,
                    contact=contact,
                    token=data["token"],
                    date=data["date"],
                    kind=data["kind"],
                    outcome=data["outcome"],
                    note=data["note"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                status = _edit_refused(form, error)
            else:
                messages.success(request, f"Het contactmoment {contact.pk} is gecorrigeerd.")
                return redirect("casework:contact_history", contact_id=contact.pk)
    else:
        form = ContactCorrectionForm(
            initial={
                "date": contact.date,
                "kind": contact.kind,
                "outcome": contact.outcome,
                "note": contact.note,
                "token": contact_edit_token(contact),
            }
        )
    return render(
        request,
        "casework/worklist/contact_correct.html",
        _context(request, contact, form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_withdraw(request, contact_id: str):
    contact = _contact(request, contact_id, perms.CONTACT_WITHDRAW)
    if contact.is_withdrawn and request.method == "GET":
        messages.info(request, "Dit contactmoment is al ingetrokken.")
        return redirect("casework:contact_history", contact_id=contact.pk)
    status = 200
    if request.method == "POST":
        form = ContactWithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.contact_withdraw(
                    user=request.user,
                    contact=contact,
                    token=form.cleaned_data["token"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                status = _edit_refused(form, error)
            else:
                messages.success(
                    request, f"Het contactmoment {contact.pk} is ingetrokken; het telt niet meer als contact."
                )
                return redirect("casework:contact_history", contact_id=contact.pk)
    else:
        form = ContactWithdrawForm(initial={"token": contact_edit_token(contact)})
    return render(
        request,
        "casework/worklist/contact_withdraw.html",
        _context(request, contact, form=form),
        status=status,
    )
