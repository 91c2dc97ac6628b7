"""The privacy officer's screens: who read or changed a client file, and refused attempts.

Only the privacy officer may open them (perms.AUDIT_REVIEW, perms.SECTION_READ["audit"]); looking at the log and exporting it
are themselves logged (events.AUDIT_REVIEW; the export as action "export").
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.access import SECTION_LABELS
from trede.accounts.models import Role, Waarneming
from trede.accounts.permissions import role_may
from trede.utils.export import requested_format, table_response

from . import events, logevent
from .models import Action, AuditEvent
from .rendering import describe, who
from .selectors import AUDIT_CSV_COLUMNS, audit_events_for_client, audit_rows

PAGE_SIZE = 100
CLIENT_ID_RE = re.compile(r"^[\w.-]{1,64}$")
ROLE_LABELS = {value: str(label) for value, label in Role.choices}


def _denied(request) -> HttpResponse:
    return render(
        request,
        "audit/denied.html",
        {"message": "Het auditlog is alleen voor de privacyfunctionaris."},
        status=403,
    )


def _may(user, perm) -> bool:
    """The role check of the declared permission; a refusal is written to the audit log."""
    if role_may(user, perm):
        return True
    perms.refuse(user, perm)
    return False


def _rows(events_page):
    for e in events_page:
        yield {
            "event": e,
            "role_label": ROLE_LABELS.get(e.role, e.role),
            "section_label": SECTION_LABELS.get(e.section, e.section),
            "who": who(e),
            "details": describe(e),
        }


@login_required
def index(request):
    if not _may(request.user, perms.AUDIT_REVIEW):
        return _denied(request)
    from trede.clients.selectors import client_search

    query = " ".join(request.GET.get("q", "").split())[:100]
    results = client_search(user=request.user, query=query) if query else []
    if query:
        # The hits are names: each hit's own log shows this search.
        logevent.client_search_results(
            request.user, query, [c.client_id for c in results], purpose=events.AUDIT_REVIEW
        )
    denied = list(AuditEvent.objects.filter(action=Action.DENIED).order_by("-at", "-id")[:50])
    logevent.audit_denied_list_read(request.user, count=len(denied))
    return render(
        request,
        "audit/index.html",
        {
            "query": query,
            "results": results,
            "denied": list(_rows(denied)),
            "lookup_url": reverse("audit:client", args=[query]) if CLIENT_ID_RE.match(query) else "",
        },
    )


def _client_events(request, client_id: str):
    events_qs = audit_events_for_client(client_id=client_id)
    action = request.GET.get("handeling", "")
    if action in Action.values:
        events_qs = events_qs.filter(action=action)
    else:
        action = ""
    return events_qs, action


@login_required
def client_log(request, client_id: str):
    # Any client number, also of a client that no longer exists: the log outlives the file.
    if not _may(request.user, perms.SECTION_READ["audit"]):
        return _denied(request)
    from trede.clients.models import Client

    # The review is itself logged first, so it shows at the top of the list.
    logevent.audit_log_read(request.user, client_id)
    events_qs, action = _client_events(request, client_id)
    page = Paginator(events_qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    waarnemingen = (
        Waarneming.objects.filter(client_id=client_id).select_related("user").order_by("-granted_at")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "audit/client.html",
        {
            "client_id": client_id,
            "client": Client.objects.filter(pk=client_id).first(),
            "page": page,
            "rows": list(_rows(page.object_list)),
            "actions": Action.choices,
            "action": action,
            "query": query.urlencode(),
            "waarnemingen": waarnemingen,
            "now": timezone.now(),
            "role_labels": ROLE_LABELS,
        },
    )


@login_required
def client_log_csv(request, client_id: str):
    if not _may(request.user, perms.SECTION_READ["audit"]):
        return _denied(request)
    events_qs, action = _client_events(request, client_id)
    events_list = list(events_qs)
    logevent.export_made(
        request.user,
        what="Auditlog van deze klant",
        count=len(events_list),
        purpose=events.AUDIT_REVIEW,
        fmt=requested_format(request).upper(),
        client_id=client_id,
    )
    safe_id = re.sub(r"[^\w.-]", "_", client_id)
    return table_response(
        request,
        filename=f"auditlog-{safe_id}-{timezone.localdate():%Y-%m-%d}",
        header=AUDIT_CSV_COLUMNS,
        rows=audit_rows(events_list),
        sheet="auditlog",
    )
