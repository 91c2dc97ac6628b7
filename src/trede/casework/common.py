"""Helpers shared by the casework screens: the client a caseworker works with, the link
to the client file, ValidationError messages and the date widget.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse

from trede.accounts.access import client_scope, require_section
from trede.audit import events
from trede.audit.models import Action
from trede.audit.services import audit_record

from .plans.services import (
    PLAN_WRITER_ROLES,
)


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


def casework_client(request, client_id: str, *, section: str = "plan", purpose: str = events.PLAN):
    """The client, if this user works with their plan; 403 for other roles, 404 outside scope."""
    user = request.user
    if user.role not in PLAN_WRITER_ROLES:
        audit_record(user=user, action=Action.DENIED, client_id=client_id, section=section, purpose=purpose)
        raise PermissionDenied("Dit scherm is er voor consulenten en teamleiders.")
    client = get_object_or_404(client_scope(user).select_related("consultant"), pk=client_id)
    require_section(user, client, section, purpose=purpose)
    return client
