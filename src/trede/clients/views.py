"""The consultant's hub: search, "Mijn klanten", the client file with its timeline, waarneming.

Access is checked on the server for every request, by the permissions declared in
accounts.permissions (`permission_required`, `open_client`):
- a role without the permission (beleid, beheerder: client files) gets 403, audited;
- a client outside the user's relationships gets 404, whether or not the client exists, so
  that a guessed client number confirms nothing; the attempt is logged as a DENIED row;
- a role that may ask for a waarneming (consultants, teamleiders, inkomen) gets 403 with the
  waarneming form instead (again whether or not the client exists): after giving a reason
  (recorded and audited) they get the file, or 404 when there is no such client;
- a section the role may not see (accountmanager → leefgebieden) gets 403 and a DENIED row.
Every section a page shows is logged with one audit READ row.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views import defaults
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.access import SECTION_LABELS, relations_of, relationship, sections_for, team_of
from trede.accounts.permissions import (
    ClientNotFound,
    Relation,
    WaarnemingRequired,
    allowed,
    open_client,
    permission_required,
    role_may,
)
from trede.audit import events, logevent
from trede.utils.export import requested_format, table_response

from . import selectors
from .forms import CaseloadFilterForm, SearchForm, WaarnemingForm
from .models import Client
from .services import access_denied_record, file_sections_read, waarneming_request

# --------------------------------------------------------------------------- helpers


def permission_denied(request, exception=None):
    """The project's 403 page (handler403): the waarneming form when that is the way in."""
    if isinstance(exception, WaarnemingRequired):
        return _waarneming_page(request, exception.client_id, WaarnemingForm(), status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    """The project's 404 page (handler404): a client file says so in its own words."""
    if isinstance(exception, ClientNotFound):
        return render(request, "clients/not_found.html", {}, status=404)
    return defaults.page_not_found(request, exception)


def _open_client(request, client_id: str, *, section: str = "basis") -> tuple[Client, frozenset[str]]:
    """The client if this user may read this section of the file, with the sections they
    may see (refusals raise, are audited, and give 403, 404 or the waarneming form)."""
    perm = perms.SECTION_READ[section]
    client = open_client(
        request.user,
        perm,
        client_id,
        queryset=Client.objects.select_related("consultant"),
        purpose=events.CLIENT_FILE,
    )
    return client, sections_for(request.user, client)


def _waarneming_page(request, client_id: str, form, *, status: int = 200) -> HttpResponse:
    context = {"client_id": client_id, "form": form, "team": team_of(request.user)}
    return render(request, "clients/waarneming.html", context, status=status)


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


# Actions from the client file, each shown when the user may do it (for this client).
FILE_LINKS = (
    ("Mijn plan van aanpak", "casework:my_plan", perms.OWN_PLAN_READ, False),
    ("Mijn voordrachten", "employers:my_voordrachten", perms.VOORDRACHT_CONSENT, False),
    ("Plan van aanpak openen", "casework:plan_detail", perms.PLAN_VERSIONS_READ, True),
    ("Contactmoment vastleggen", "casework:contact_new", perms.CONTACT_WRITE, True),
    ("Diagnose openen", "casework:diagnosis_latest", perms.SECTION_READ["diagnose"], True),
    ("Nieuwe melding of aanvraag", "casework:intake_new_for_client", perms.INTAKE_WRITE, True),
    ("Wat werkt voor deze klant?", "evaluations:client", perms.EFFECTS_CLIENT_ADVICE, True),
    ("Instrumenten die passen", "instruments:catalogue_for_client", perms.CATALOGUE_FOR_CLIENT, True),
    ("Verwijzen naar een instrument", "instruments:referral_new", perms.REFERRAL_CREATE, True),
    ("Vacatures voor deze klant", "employers:client_vacancies", perms.CLIENT_VACANCIES, True),
    ("Rechtmatigheidsonderzoek", "onderzoek:client", perms.ONDERZOEK_READ, True),
    ("Handhavingszaken", "handhaving:client", perms.HANDHAVING_READ, True),
    ("Brieven en beschikkingen", "letters:client", perms.LETTER_LIST, True),
    ("Auditlog van deze klant", "audit:client", perms.SECTION_READ["audit"], True),
)


def _file_links(user, client: Client, sections) -> list[dict]:
    links = []
    for label, name, perm, for_client in FILE_LINKS:
        if allowed(user, perm, client if perm.about_client else None):
            links.append({"label": label, "url": reverse(name, args=[client.pk] if for_client else [])})
    return links


# --------------------------------------------------------------------------- search

CLIENT_ID_RE = re.compile(r"^[\w.-]{1,64}$")


def _waarneming_link(user, query: str) -> str:
    """For a consultant who typed a whole client number that is not theirs: the way to ask
    for a waarneming (whether the number exists is only said after giving a reason)."""
    if not role_may(user, perms.WAARNEMING_REQUEST) or not CLIENT_ID_RE.match(query):
        return ""
    return reverse("clients:waarneming", args=[query])


@permission_required(perms.CLIENT_SEARCH)
def search(request):
    user = request.user
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.client_search(user=user, query=query) if query else []
    if query:
        # Each hit's own log shows this search; the query (a name or a BSN) is not kept.
        logevent.client_search_results(user, query, [c.client_id for c in results])
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


def _team_wide(user) -> bool:
    """Whether "Mijn klanten" is a team's caseload (then with a column for the consultant)."""
    return Relation.EIGEN_TEAM in relations_of(user)


@permission_required(perms.CASELOAD_READ)
def caseload(request):
    user = request.user
    form, filters, rows = _caseload(request)
    logevent.clients_listed(
        user,
        [r.client_id for r in rows],
        list_name="Mijn klanten",
        purpose=events.CASELOAD,
        object_type="caseload",
    )
    query = request.GET.copy()
    query.pop("sorteer", None)
    team_wide = _team_wide(user)
    context = {
        "form": form,
        "count": len(rows),
        "tbody": _caseload_tbody(rows, with_consultant=team_wide),
        "columns": _caseload_columns(request, filters["sort"], with_consultant=team_wide),
        "with_consultant": team_wide,
        # A choice of the user (not the default view of current clients).
        "filtered": bool(filters["route"] or filters["client_group"])
        or filters["benefit"] not in ("actueel", "alle"),
        "show_all": bool(filters["route"] or filters["client_group"]) or filters["benefit"] != "alle",
        "benefit_label": selectors.BENEFIT_FILTERS.get(filters["benefit"], ""),
        "csv_query": request.GET.urlencode(),
        "worklist_url": reverse("casework:worklist") if role_may(user, perms.WORKLIST_READ) else "",
    }
    return render(request, "clients/caseload.html", context)


@permission_required(perms.CASELOAD_READ)
def caseload_csv(request):
    user = request.user
    _form, _filters, rows = _caseload(request)
    fmt = requested_format(request)
    logevent.export_made(
        user,
        what="Mijn klanten",
        count=len(rows),
        purpose=events.CASELOAD,
        fmt=fmt.upper(),
        object_type="caseload",
    )
    logevent.clients_listed(
        user,
        [r.client_id for r in rows],
        list_name=f"Mijn klanten ({fmt.upper()}-download)",
        purpose=events.CASELOAD,
        object_type="caseload",
    )
    return table_response(
        request,
        filename=f"mijn-klanten-{timezone.localdate().isoformat()}",
        header=selectors.CASELOAD_CSV_COLUMNS,
        rows=selectors.caseload_csv_rows(rows),
        sheet="mijn klanten",
    )


# --------------------------------------------------------------------------- client file


@permission_required(perms.SECTION_READ["basis"])
def client_file(request, client_id: str):
    client, sections = _open_client(request, client_id)
    context = _section_context(request, client, sections)
    context["timeline"] = selectors.client_timeline(
        user=request.user, client=client, sections=sections, file=context["file"]
    )
    file_sections_read(user=request.user, client_id=client.pk, sections=context["file"].sections)
    return render(request, "clients/file.html", context)


def client_section(request, client_id: str, section: str):
    """One section of a file (for htmx, and a direct link); 403 when the role may not see it
    (before the client is looked up, so it says nothing about the client)."""
    if section not in selectors.SECTION_ORDER:
        raise Http404("Dit onderdeel bestaat niet.")
    return permission_required(perms.SECTION_READ[section])(_client_section)(
        request, client_id=client_id, section=section
    )


def _client_section(request, client_id: str, section: str):
    client, sections = _open_client(request, client_id, section=section)
    context = _section_context(request, client, sections, only=section)
    logevent.client_section_read(request.user, client.pk, section)
    context["section"] = section
    if request.htmx:
        return render(request, f"clients/sections/{section}.html", context)
    return render(request, "clients/section_page.html", context)


@permission_required(perms.WAARNEMING_REQUEST)
@require_http_methods(["GET", "POST"])
def waarneming(request, client_id: str):
    user = request.user
    client = Client.objects.filter(pk=client_id).first()
    if client is not None and relationship(user, client):
        # Already the own caseload, team or an active waarneming: straight to the file.
        return redirect("clients:file", client_id=client.pk)
    form = WaarnemingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if client is None:
            access_denied_record(
                user=user, client_id=client_id, purpose=events.WAARNEMING, reason="bestaat niet"
            )
            raise ClientNotFound("Deze klant bestaat niet.")
        try:
            waarneming_request(
                user=user, client=client, reason=form.cleaned_data["reden"], days=form.cleaned_data["dagen"]
            )
        except ValidationError as error:
            form.add_error("reden", error)
        else:
            return redirect("clients:file", client_id=client.pk)
    return _waarneming_page(request, client_id, form)
