"""The consultant's hub: search, "Mijn klanten", the client file with its timeline, waarneming.

Access (accounts.access) is checked on the server for every request:
- a role without client files (beleid, beheerder) gets 403 on every page here;
- a client outside the user's scope gets 404, whether or not the client exists, so that a
  guessed client number confirms nothing; the attempt is logged as a DENIED audit row;
- a consultant or teamleider opening a client outside their caseload or team gets 403 with
  the waarneming form (again whether or not the client exists): after giving a reason
  (recorded and audited) they get the file, or 404 when there is no such client;
- a section the role may not see (accountmanager → leefgebieden) gets 403 and a DENIED row.
Every section a page shows is logged with one audit READ row.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from trede.accounts.access import (
    CLIENT_FILE_ROLES,
    SECTION_LABELS,
    client_scope,
    colleague_may_request_waarneming,
    relationship,
    require_section,
    sections_for,
)
from trede.accounts.models import Role
from trede.audit import events
from trede.audit.models import Action
from trede.audit.services import audit_read, audit_record
from trede.utils.export import table_response

from . import selectors
from .forms import CaseloadFilterForm, SearchForm, WaarnemingForm
from .models import Client
from .navigation import CASELOAD_ROLES, SEARCH_ROLES
from .services import access_denied_record, file_sections_read, waarneming_request

# --------------------------------------------------------------------------- helpers


def _denied(request, message: str, *, status: int = 403, logged: bool = False) -> HttpResponse:
    template = "clients/not_found.html" if status == 404 else "clients/denied.html"
    return render(request, template, {"message": message, "logged": logged}, status=status)


class _Refused(Exception):
    def __init__(self, response: HttpResponse):
        self.response = response


def _open_client(request, client_id: str, *, section: str = "") -> tuple[Client, frozenset[str]]:
    """The client if this user may open the file, with the sections they may see.

    Raises _Refused with the response to send (and the DENIED audit row written) otherwise.
    """
    user = request.user
    if user.role not in CLIENT_FILE_ROLES:
        access_denied_record(
            user=user, client_id=client_id, section=section, reason="rol zonder klantdossiers"
        )
        raise _Refused(_denied(request, "Uw rol werkt niet met klantdossiers.", logged=True))
    client = client_scope(user).filter(pk=client_id).select_related("consultant").first()
    if client is not None:
        sections = sections_for(user, client)
        if sections:
            return client, sections
    if colleague_may_request_waarneming(user):
        # Whether this client exists is only said after a reason is given (and logged).
        access_denied_record(user=user, client_id=client_id, section=section, reason="geen relatie")
        raise _Refused(_waarneming_page(request, client_id, WaarnemingForm(), status=403))
    access_denied_record(user=user, client_id=client_id, section=section, reason="buiten bereik")
    raise _Refused(_denied(request, "", status=404))


def _waarneming_page(request, client_id: str, form, *, status: int = 200) -> HttpResponse:
    return render(request, "clients/waarneming.html", {"client_id": client_id, "form": form}, status=status)


def _section_context(request, client: Client, sections, *, only: str | None = None) -> dict:
    shown = (only,) if only else sections
    file = selectors.client_file(user=request.user, client=client, sections=shown)
    return {
        "client": client,
        "file": file,
        "relationship": relationship(request.user, client),
        "shown_sections": [(key, SECTION_LABELS[key]) for key in file.sections],
        "available_labels": [SECTION_LABELS[s] for s in selectors.SECTION_ORDER if s in sections],
        "links": _file_links(request.user, client, sections),
    }


def _file_links(user, client: Client, sections) -> list[dict]:
    """Actions on the casework pages (by URL name), shown only when the page exists and the
    role may see the section it belongs to."""
    if user.role == Role.INWONER:
        candidates = [("plan", "Mijn plan van aanpak", "casework:my_plan", ())]
    else:
        candidates = [
            ("plan", "Plan van aanpak openen", "casework:plan_detail", (client.pk,)),
            ("contacten", "Contactmoment vastleggen", "casework:contact_new", (client.pk,)),
            ("diagnose", "Diagnose openen", "casework:diagnosis_latest", (client.pk,)),
            ("diagnose", "Nieuwe melding of aanvraag", "casework:intake_new_for_client", (client.pk,)),
            ("diagnose", "Wat werkt voor deze klant?", "evaluations:client", (client.pk,)),
        ]
    links = []
    for section, label, name, args in candidates:
        if section in sections:
            links.append({"label": label, "url": reverse(name, args=args)})
    if user.role == Role.PRIVACY:
        links.append({"label": "Auditlog van deze klant", "url": reverse("audit:client", args=[client.pk])})
    return links


# --------------------------------------------------------------------------- search

CLIENT_ID_RE = re.compile(r"^[\w.-]{1,64}$")


def _waarneming_link(user, query: str) -> str:
    """For a consultant who typed a whole client number that is not theirs: the way to ask
    for a waarneming (whether the number exists is only said after giving a reason)."""
    if not colleague_may_request_waarneming(user) or not CLIENT_ID_RE.match(query):
        return ""
    return reverse("clients:waarneming", args=[query])


@login_required
def search(request):
    user = request.user
    if user.role not in SEARCH_ROLES:
        return _denied(request, "Zoeken in klantdossiers hoort niet bij uw rol.")
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.client_search(user=user, query=query) if query else []
    if query:
        # The query itself may be a name or a BSN: only its length is logged.
        audit_record(
            user=user,
            action=Action.SEARCH,
            purpose=events.CLIENT_SEARCH,
            details={"lengte": len(query), "aantal": len(results)},
        )
    context = {
        "form": form,
        "query": query,
        "results": results,
        "limit": selectors.SEARCH_LIMIT,
        "bsn_allowed": selectors.may_search_bsn(user),
        "waarneming_url": _waarneming_link(user, query) if query and not results else "",
    }
    if request.htmx:
        return render(request, "clients/_search_results.html", context)
    return render(request, "clients/search.html", context)


# --------------------------------------------------------------------------- caseload

CASELOAD_COLUMNS = (
    ("naam", "Naam"),
    ("klantnummer", "Klantnummer"),
    ("leeftijd", "Leeftijd"),
    ("route", "Route"),
    ("klantgroep", "Klantgroep"),
    ("trede", "Trede"),
    ("contact", "Laatste contact"),
    ("uitkering", "Uitkering"),
    ("plan", "Plan van aanpak"),
)


def _caseload_columns(request, current: str, *, with_consultant: bool) -> list[dict]:
    columns = list(CASELOAD_COLUMNS)
    if with_consultant:
        columns.insert(2, ("consulent", "Consulent"))
    result = []
    for key, label in columns:
        query = request.GET.copy()
        ascending = current != key
        query["sorteer"] = key if ascending else f"-{key}"
        sort = "none"
        if current == key:
            sort = "ascending"
        elif current == f"-{key}":
            sort = "descending"
        result.append({"key": key, "label": label, "url": f"?{query.urlencode()}", "aria_sort": sort})
    return result


def _caseload_tbody(rows, *, with_consultant: bool) -> str:
    """The table body of "Mijn klanten", built in Python with every value escaped.

    The template language needs ~40 ms of CPU for 120 rows of ten cells; this takes about one,
    and the page has a response-time target (p95 < 150 ms, `trede bench_caseload`).
    """
    file_url = reverse("clients:file", args=["__klant__"])
    plan_class = {"ondertekend": "status-ok", "concept": "status-warn"}
    parts = []
    for r in rows:
        contact = (
            f'<time datetime="{r.last_contact.isoformat()}">{r.last_contact:%d-%m-%Y}</time>'
            if r.last_contact
            else "nog geen contact"
        )
        category = f' <span class="hint">({escape(r.category)})</span>' if r.category else ""
        derived = (
            ' <span class="hint" title="Afgeleid uit de laatste diagnose, nog geen routebesluit">(afgeleid)</span>'
            if r.derived
            else ""
        )
        benefit_class = "status-ok" if r.benefit_status == "lopend" else "status-none"
        parts.append(
            "<tr>"
            f'<th scope="row"><a href="{escape(file_url.replace("__klant__", quote(r.client_id)))}">'
            f"{escape(r.name)}</a></th>"
            f"<td>{escape(r.client_id)}</td>"
            + (f"<td>{escape(r.consultant or '–')}</td>" if with_consultant else "")
            + f'<td class="num">{"–" if r.age is None else r.age}</td>'
            f"<td>{escape(r.route_label or '–')}{category}{derived}</td>"
            f"<td>{escape(r.client_group_label or '–')}{derived}</td>"
            f'<td class="num">{"–" if r.ladder_step is None else r.ladder_step}</td>'
            f"<td>{contact}</td>"
            f'<td><span class="status {benefit_class}">{escape(r.benefit_status_label.capitalize())}</span> '
            f'<span class="hint">{escape(r.benefit_label)}</span></td>'
            f'<td><span class="status {plan_class.get(r.plan_status, "status-none")}">{escape(r.plan_label)}</span></td>'
            "</tr>"
        )
    return mark_safe("\n".join(parts))  # every value above is escaped


def _caseload(request):
    form = CaseloadFilterForm(request.GET or None)
    filters = form.filters() if request.GET else CaseloadFilterForm().filters()
    rows = selectors.caseload_rows(user=request.user, **filters)
    return form, filters, rows


@login_required
def caseload(request):
    user = request.user
    if user.role not in CASELOAD_ROLES:
        return _denied(request, "Een eigen caseload hoort niet bij uw rol.")
    form, filters, rows = _caseload(request)
    audit_record(
        user=user,
        action=Action.READ,
        object_type="caseload",
        purpose=events.CASELOAD,
        details={"aantal": len(rows)},
    )
    query = request.GET.copy()
    query.pop("sorteer", None)
    context = {
        "form": form,
        "count": len(rows),
        "tbody": _caseload_tbody(rows, with_consultant=user.role == Role.TEAMLEIDER),
        "columns": _caseload_columns(request, filters["sort"], with_consultant=user.role == Role.TEAMLEIDER),
        "with_consultant": user.role == Role.TEAMLEIDER,
        # A choice of the user (not the default view of current clients).
        "filtered": bool(filters["route"] or filters["client_group"])
        or filters["benefit"] not in ("actueel", "alle"),
        "show_all": bool(filters["route"] or filters["client_group"]) or filters["benefit"] != "alle",
        "benefit_label": selectors.BENEFIT_FILTERS.get(filters["benefit"], ""),
        "csv_query": request.GET.urlencode(),
        "worklist_url": reverse("casework:worklist"),
    }
    return render(request, "clients/caseload.html", context)


@login_required
def caseload_csv(request):
    user = request.user
    if user.role not in CASELOAD_ROLES:
        return _denied(request, "Een eigen caseload hoort niet bij uw rol.")
    _form, _filters, rows = _caseload(request)
    audit_record(
        user=user,
        action=Action.EXPORT,
        object_type="caseload",
        purpose=events.CASELOAD,
        details={"aantal": len(rows)},
    )
    return table_response(
        request,
        filename=f"mijn-klanten-{timezone.localdate().isoformat()}",
        header=selectors.CASELOAD_CSV_COLUMNS,
        rows=selectors.caseload_csv_rows(rows),
        sheet="mijn klanten",
    )


# --------------------------------------------------------------------------- client file


@login_required
def client_file(request, client_id: str):
    try:
        client, sections = _open_client(request, client_id)
    except _Refused as refused:
        return refused.response
    context = _section_context(request, client, sections)
    context["timeline"] = selectors.client_timeline(user=request.user, client=client, sections=sections)
    file_sections_read(user=request.user, client_id=client.pk, sections=context["file"].sections)
    return render(request, "clients/file.html", context)


@login_required
def client_section(request, client_id: str, section: str):
    """One section of a file (for htmx, and a direct link); 403 when the role may not see it."""
    if section not in selectors.SECTION_ORDER:
        return _denied(request, "", status=404)
    try:
        client, sections = _open_client(request, client_id, section=section)
    except _Refused as refused:
        return refused.response
    try:
        require_section(request.user, client, section, purpose=events.CLIENT_FILE)
    except PermissionDenied:
        return _denied(request, "Dit onderdeel van het dossier is niet beschikbaar voor uw rol.", logged=True)
    context = _section_context(request, client, sections, only=section)
    audit_read(user=request.user, client_id=client.pk, section=section, purpose=events.CLIENT_FILE)
    context["section"] = section
    if request.htmx:
        return render(request, f"clients/sections/{section}.html", context)
    return render(request, "clients/section_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def waarneming(request, client_id: str):
    user = request.user
    if not colleague_may_request_waarneming(user):
        access_denied_record(user=user, client_id=client_id, purpose=events.WAARNEMING, reason="rol")
        return _denied(request, "Waarnemen kan alleen voor consulenten en teamleiders.", logged=True)
    client = Client.objects.filter(pk=client_id).first()
    if client is not None and sections_for(user, client):
        # Already the own caseload, team or an active waarneming: straight to the file.
        return redirect("clients:file", client_id=client.pk)
    form = WaarnemingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if client is None:
            access_denied_record(
                user=user, client_id=client_id, purpose=events.WAARNEMING, reason="bestaat niet"
            )
            return _denied(request, "", status=404)
        try:
            waarneming_request(
                user=user, client=client, reason=form.cleaned_data["reden"], days=form.cleaned_data["dagen"]
            )
        except ValidationError as error:
            form.add_error("reden", error)
        else:
            return redirect("clients:file", client_id=client.pk)
    return _waarneming_page(request, client_id, form)
