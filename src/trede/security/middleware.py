"""Response headers and session rules that hold for every page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from .signals import DEMO_SESSION_KEY


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response Trede itself renders.

    Pages, CSVs and fragments may carry personal data, and a shared or back-button cache
    must not keep them. Static files are served by WhiteNoise before this middleware is
    reached, so they stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class DemoSessionMiddleware:
    """A session that began as a demo login ends when demo mode is off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(DEMO_SESSION_KEY) and not getattr(settings, "DEMO_MODE", False):
            logout(request)
        return self.get_response(request)


def two_factor_required_for_role(role: str) -> bool:
    return bool(getattr(settings, "TREDE_2FA_REQUIRED", False)) and role in set(
        getattr(settings, "TREDE_2FA_ROLES", ())
    )


def two_factor_required(user) -> bool:
    if not user.is_authenticated:
        return False
    return two_factor_required_for_role(getattr(user, "role", None))


# A session begun with single sign-on whose provider did the second step (or is trusted
# to): it counts as verified (decision 113). Set by the callback view after login.
SSO_VERIFIED_SESSION_KEY = "trede_sso_verified"


class TwoFactorRequiredMiddleware:
    """Staff in a role that requires two-factor login use Trede only with a verified code.

    Without a TOTP device yet they are sent to enrolment; with one (a session that was not
    verified, e.g. from before the policy) they log in again with a code.
    """

    # Reachable while not yet verified: enrolment itself, logging out.
    ALLOWED = ("two_factor:setup", "two_factor:qr", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            two_factor_required(user)
            and not user.is_verified()
            and not request.session.get(SSO_VERIFIED_SESSION_KEY)
        ):
            allowed = {reverse(name) for name in self.ALLOWED}
            from trede.api.problems import is_api, problem_response

            if is_api(request):
                # An API client cannot follow a redirect to a form: the session is not enough.
                return problem_response(
                    request,
                    403,
                    "Deze sessie is ingelogd zonder de tweede stap. Log op de schermen in met uw "
                    "code, of gebruik een applicatietoken.",
                )
            if request.path not in allowed:
                from django_otp import devices_for_user

                if any(True for _ in devices_for_user(user, confirmed=True)):
                    logout(request)
                    return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
                return redirect("two_factor:setup")
        return self.get_response(request)


class RefuseNulBytesMiddleware:
    """A NUL byte in the address or a query parameter: a Dutch 400 before any view runs.

    No address or query value of Trede's can hold one, and PostgreSQL refuses NUL in text
    (an error deep in a view, a 500), while SQLite silently finds nothing. Posted forms are
    left to their fields, which refuse NUL with a message at the field.
    """

    REASON = "Ongeldig teken in het adres: het bevat een nul-teken. Controleer het adres."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            from django.template.response import TemplateResponse

            from trede.api.problems import is_api, problem_response

            if is_api(request):
                where = "adres" if "\x00" in request.path else "query"
                return problem_response(
                    request,
                    400,
                    self.REASON,
                    invalid_params=[{"name": where, "code": "null_character", "reason": self.REASON}],
                )
            response = TemplateResponse(request, "400.html", {"reason": self.REASON}, status=400)
            return response.render()
        return self.get_response(request)
