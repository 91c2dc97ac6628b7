"""Login with an optional second step (TOTP), enrolment, and the lockout page.

Thin subclasses of django-two-factor-auth's views: Dutch templates, "Trede" as the name
in the authenticator app, and no switching off of two-factor login where it is required.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from two_factor.utils import get_otpauth_url, totp_digits
from two_factor.views import (
    BackupTokensView,
    DisableView,
    LoginView,
    ProfileView,
    QRGeneratorView,
    SetupCompleteView,
    SetupView,
)

from .middleware import two_factor_required

ISSUER = "Trede"


class TredeLoginView(LoginView):
    template_name = "registration/login.html"

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        # Single sign-on when configured; the local account with its code stays beside it.
        context["sso_enabled"] = bool(getattr(settings, "TREDE_OIDC", False))
        return context


class TredeSetupView(SetupView):
    template_name = "two_factor/core/setup.html"

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if self.steps.current == "generator":
            key = self.get_key("generator")
            secret = b32encode(unhexlify(key.encode("ascii"))).decode("ascii")
            context["issuer"] = ISSUER
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(), secret, ISSUER, totp_digits()
            )
            # Grouped in fours, easier to type over into an app.
            context["secret_groups"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context


class TredeQRGeneratorView(QRGeneratorView):
    def get_issuer(self):
        return ISSUER


class TredeSetupCompleteView(SetupCompleteView):
    template_name = "two_factor/core/setup_complete.html"


class TredeProfileView(ProfileView):
    template_name = "two_factor/profile/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = two_factor_required(self.request.user)
        return context


class TredeBackupTokensView(BackupTokensView):
    template_name = "two_factor/core/backup_tokens.html"
    success_url = "two_factor:backup_tokens"


class TredeDisableView(DisableView):
    template_name = "two_factor/profile/disable.html"

    def dispatch(self, request, *args, **kwargs):
        if two_factor_required(request.user):
            messages.error(
                request, "Voor uw rol is inloggen met een code verplicht; u kunt het niet uitzetten."
            )
            return redirect("two_factor:profile")
        return super().dispatch(request, *args, **kwargs)


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE), in Dutch."""
    from django.shortcuts import render

    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, "security/lockout.html", context, status=429)
