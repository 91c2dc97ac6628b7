"""The start of a single sign-on login and the provider's callback, with refusals in
Dutch on the login page (and in the audit log) instead of a bare 400."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from trede.audit import logevent
from trede.security.middleware import SSO_VERIFIED_SESSION_KEY

from .backends import REFUSAL
from .discovery import oidc_setting

MESSAGE = "Inloggen met uw gemeente-account is niet gelukt: {reden}. Neem contact op met de beheerder als dit zo blijft."


def _require_configured():
    if not getattr(settings, "TREDE_OIDC", False):
        raise Http404("Inloggen met een gemeente-account is niet ingesteld.")


class TredeOIDCAuthenticationRequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def dispatch(self, request, *args, **kwargs):
        _require_configured()
        return super().dispatch(request, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        # The endpoints are looked up when the view answers (discovery may be needed), not
        # when the URL configuration is loaded.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = oidc_setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


class TredeOIDCCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def dispatch(self, request, *args, **kwargs):
        _require_configured()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            response = super().get(request)
        except SuspiciousOperation:
            # A state that is not this browser's: a forged or replayed callback.
            return self._refused(request, "de aanvraag hoort niet bij deze browser (state); begin opnieuw")
        if request.user.is_authenticated and getattr(self, "user", None) == request.user:
            return response
        refusal = getattr(request, REFUSAL, None)
        if refusal is not None:
            return self._refused(request, refusal.reason, username=refusal.username)
        if request.GET.get("error"):
            return self._refused(request, f"de identity provider meldt '{request.GET['error'][:100]}'")
        if getattr(self, "user", None) is not None and not self.user.is_active:
            return self._refused(
                request, "dit account is uitgeschakeld in Trede", username=self.user.username
            )
        return self._refused(request, "de aanvraag is verlopen of onvolledig; begin opnieuw")

    def login_success(self):
        response = super().login_success()
        self.request.session[SSO_VERIFIED_SESSION_KEY] = bool(getattr(self.user, "trede_sso_mfa", False))
        return response

    def _refused(self, request, reason: str, *, username: str = ""):
        logevent.sso_login_refused(request, username=username, reason=reason)
        messages.error(request, MESSAGE.format(reden=reason))
        return redirect("login")
