"""Django messages in the base template: styled, and announced to screen readers."""

import re
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def rendered_with(*pairs):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    for level, text in pairs:
        messages.add_message(request, level, text)
    return render_to_string("base.html", {}, request=request)


def test_a_confirmation_is_a_status_and_an_error_an_alert():
    html = rendered_with((messages.SUCCESS, "Het plan is opgeslagen."), (messages.ERROR, "Dat lukte niet."))
    assert re.search(r'<p class="message message-success" role="status">Het plan is opgeslagen\.</p>', html)
    assert re.search(r'<p class="message message-error" role="alert">Dat lukte niet\.</p>', html)


def test_the_message_styles_exist():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("portal/trede.css")).read_text(encoding="utf-8")
    for kind in ("success", "error", "warning"):
        assert f".message-{kind}" in css
