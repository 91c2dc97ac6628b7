"""Authentication backends: the lockout (django-axes) and the demo guard."""

from __future__ import annotations

import logging

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from .demo import demo_logins_allowed, is_demo_login

log = logging.getLogger(__name__)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every login through a web request.

    Code without a request (a management command, a test calling `authenticate`) is not a
    login attempt from an address, so there is nothing to throttle: skip instead of raising.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class TredeModelBackend(ModelBackend):
    """Django's users and passwords, refusing demo logins outside a demo.

    A demo account (made by `trede demo`) or any account with the password "demo" may log
    in only when demo mode is on and the database is marked as a demo database; otherwise
    the login fails as a wrong password does (and counts towards the lockout).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        if is_demo_login(user, password):
            if not demo_logins_allowed():
                log.warning("Demo-login geweigerd buiten de demo: %s", user.get_username())
                return None
            # Remembered on the session at login (signals.py), so a demo session ends as
            # soon as demo mode is switched off.
            if request is not None:
                request.trede_demo_login = True
        return user
