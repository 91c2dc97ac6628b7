"""Helpers shared by the casework screens: the client a caseworker works with, the link
to the client file, ValidationError messages and the date widget.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from trede.accounts import permissions as perms
from trede.accounts.permissions import open_client
from trede.audit import events
from trede.clients.models import Client


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def client_file_url(client_id: str) -> str:
    """The client file (the clients app's screen)."""
    return reverse("clients:file", kwargs={"client_id": client_id})


def messages_from(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def casework_client(
    request, client_id: str, permission=perms.PLAN_VERSIONS_READ, *, purpose: str = events.PLAN
):
    """The client, if this user may do this for them (`perms.open_client`: 403 for other
    roles, 404 or the waarneming form outside the user's relationships; audited)."""
    return open_client(
        request.user,
        permission,
        client_id,
        queryset=Client.objects.select_related("consultant"),
        purpose=purpose,
    )


def object_in_scope(
    request, queryset, pk, *, section: str, purpose: str, client_attr: str = "client", also=()
):
    """The diagnosis, application or plan behind an id in a URL, when the user may see this
    section of its client's file.

    A role that may not read this section (or do the permissions in `also`) is refused
    with 403 before anything is looked up, whether or not the id exists. A missing id and an existing one outside the user's work (or a section this role may
    not see) give the same 404 page, so a guessed id confirms nothing; both refusals are
    written to the audit log.
    """
    from django.http import Http404

    from trede.accounts.access import can_view
    from trede.audit import logevent

    for perm in (perms.SECTION_READ.get(section), *also):
        if perm is not None and not perms.role_may(request.user, perm):
            raise perms.refuse(request.user, perm, purpose=purpose)
    obj = queryset.filter(pk=pk).first() if str(pk).strip() else None
    client = None
    if obj is not None:
        client = obj
        for part in client_attr.split("__"):
            client = getattr(client, part)
    if obj is None or not can_view(request.user, client, section):
        logevent.access_denied(
            request.user,
            client_id=getattr(client, "pk", "") or "",
            section=section,
            purpose=purpose,
            reason="bestaat niet of buiten bereik",
        )
        raise Http404("Dit dossier bestaat niet of valt buiten uw werk.")
    return obj
