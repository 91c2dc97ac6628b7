"""Session login for the API: the same login (and two-factor step) as the pages.

DRF's own class answers a missing login with 403, because it offers no WWW-Authenticate
challenge; an API client must be able to tell "log in" (401) from "not allowed" (403).
"""

from __future__ import annotations

from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate_header(self, request) -> str:
        return 'Session realm="Trede"'

    def enforce_csrf(self, request):
        from rest_framework import exceptions

        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            # DRF's message is English and names Django internals.
            raise exceptions.PermissionDenied(
                "Geweigerd: het CSRF-token ontbreekt of klopt niet. Stuur bij een sessie de "
                "cookie csrftoken mee en dezelfde waarde in de header X-CSRFToken."
            ) from None
