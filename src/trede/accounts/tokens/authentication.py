"""DRF authentication with an application token: `Authorization: Token <secret>` (or
`Bearer <secret>`). Answers `(token.user, token)`, so `request.user` is the system account
(role, `client_scope`, audit rows as for a person) and `request.auth` the token, whose
`allows(permission)` the API's permission class asks besides the role.

An unknown, expired or revoked token is a 401 and an audit row (`token_refused`); a
request without the header is left to the next authentication class."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions

from trede.audit import logevent

from .models import ApplicationToken, secret_hash
from .services import prefix_of, token_used

KEYWORDS = ("token", "bearer")


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            self._refuse(request, reason="kopregel zonder geheim of met spaties")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            self._refuse(request, reason="ongeldige tekens")
        return self.authenticate_secret(request, secret)

    def authenticate_secret(self, request, secret: str):
        token = (
            ApplicationToken.objects.select_related("user").filter(secret_hash=secret_hash(secret)).first()
        )
        if token is None:
            self._refuse(request, prefix=prefix_of(secret), reason="onbekend token")
        now = timezone.now()
        status = token.status(now)
        if status != "actief":
            self._refuse(request, token=token, reason=f"token {status}")
        if not token.user.is_active:
            self._refuse(request, token=token, reason="systeemaccount uitgeschakeld")
        token_used(token, now=now)
        return token.user, token

    def _refuse(self, request, *, token=None, prefix: str = "", reason: str):
        logevent.token_refused(request, token=token, prefix=prefix, reason=reason)
        raise exceptions.AuthenticationFailed("Ongeldig, verlopen of ingetrokken applicatietoken.")

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with this challenge) rather than 403 when this class is first.
        return self.keyword


from . import openapi  # noqa: E402, F401  (registers the schema extension with drf-spectacular)
