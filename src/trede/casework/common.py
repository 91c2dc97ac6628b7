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
