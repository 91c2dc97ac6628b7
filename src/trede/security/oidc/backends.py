"""The authentication backend of single sign-on: the provider's claims to a Trede user.

On every login the role and team are taken from the claims (the provider is the source:
someone who moved team or left a group has the new role at the next login; a role change
is audited by the user signal). A login is refused, with a Dutch reason on the login page
and an audit row (`sso_login_refused`), when the claims map to no Trede role or to more
than one, the id_token is not for Trede, the account is a system account or a local
account that is not linked, or the role requires two-factor login and the provider did
not report a second step. Never a default role.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from trede.security.middleware import two_factor_required_for_role

from . import config
from .discovery import oidc_setting

log = logging.getLogger(__name__)

# Set on the request when a login was refused, for the callback view's message and row.
REFUSAL = "trede_sso_refusal"


class Refused(SuspiciousOperation):
    def __init__(self, reason: str, *, username: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.username = username


class TredeOIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except Refused as refused:
            self._refuse(request, refused)
        except SuspiciousOperation as problem:
            # A token that is not for us, a bad signature, a nonce that does not match.
            self._refuse(request, Refused(f"het antwoord van de identity provider klopt niet ({problem})"))
        return None

    def _refuse(self, request, refused: Refused) -> None:
        if request is not None:
            setattr(request, REFUSAL, refused)

    def get_or_create_user(self, access_token, id_token, payload):
        # The base class turns a SuspiciousOperation from here into a silent None: the
        # reason is kept on the request for the callback view first.
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
            self.verify_claims(claims)
            return self._user_for(claims)
        except Refused as refused:
            self._refuse(self.request, refused)
            raise

    def get_user(self, user_id):
        # mozilla-django-oidc's own answers a deactivated user too; Django's ModelBackend does
        # not. A beheerder who switches an account off ends its SSO sessions at once.
        user = super().get_user(user_id)
        if user is None or not user.is_active or user.system_account:
            return None
        return user

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc does not check the audience; an id_token for another
        # application of the same provider must not log in to Trede.
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise Refused("het id_token is niet voor Trede uitgegeven (aud)")
        issuer = oidc_setting("TREDE_OIDC_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise Refused("het id_token komt van een andere uitgever (iss)")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        info = super().get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload.get("sub"):
            raise Refused("de gebruikersgegevens horen bij een ander account (sub)")
        # The id_token's own statements about the login (amr, acr) stay the id_token's.
        return {**payload, **info, **{k: payload[k] for k in ("amr", "acr") if k in payload}}

    def verify_claims(self, claims):
        username = self._username(claims)
        if not claims.get("sub"):
            raise Refused("de identity provider gaf geen kenmerk (sub)", username=username)
        if not username:
            raise Refused(
                f"de identity provider gaf geen gebruikersnaam (claim '{settings.TREDE_OIDC_USERNAME_CLAIM}')"
            )
        role, reason = config.role_of(
            claims, claim=settings.TREDE_OIDC_ROLE_CLAIM, mapping=settings.TREDE_OIDC_ROLE_MAP
        )
        if not role:
            raise Refused(reason, username=username)
        if (
            two_factor_required_for_role(role)
            and not settings.TREDE_OIDC_TRUST_MFA
            and not config.mfa_done(claims, amr=settings.TREDE_OIDC_MFA_AMR, acr=settings.TREDE_OIDC_MFA_ACR)
        ):
            raise Refused(
                "voor uw rol is inloggen met een tweede stap verplicht, en de identity provider meldt geen "
                "tweede stap (amr/acr)",
                username=username,
            )
        claims["trede_role"] = role
        claims["trede_mfa"] = settings.TREDE_OIDC_TRUST_MFA or config.mfa_done(
            claims, amr=settings.TREDE_OIDC_MFA_AMR, acr=settings.TREDE_OIDC_MFA_ACR
        )
        return True

    def _username(self, claims) -> str:
        values = config.claim_values(claims, settings.TREDE_OIDC_USERNAME_CLAIM)
        return values[0][:150] if values else ""

    def _user_for(self, claims):
        username = self._username(claims)
        subject = str(claims["sub"])[:255]
        user = self.UserModel.objects.filter(sso_subject=subject).first()
        if user is None:
            same_name = self.UserModel.objects.filter(username=username).first()
            if same_name is not None:
                if same_name.system_account:
                    raise Refused("dit is een systeemaccount; dat logt nooit in", username=username)
                if same_name.sso_subject or not settings.TREDE_OIDC_LINK_EXISTING:
                    raise Refused(
                        "er bestaat al een lokaal account met deze gebruikersnaam, dat niet aan het "
                        "gemeente-account gekoppeld is; de beheerder kan koppelen toestaan (TREDE_OIDC_LINK_EXISTING)",
                        username=username,
                    )
                user = same_name
            else:
                user = self.UserModel(username=username)
                user.set_unusable_password()
        if user.system_account:
            raise Refused("dit is een systeemaccount; dat logt nooit in", username=username)
        if not user.is_active:
            raise Refused("dit account is uitgeschakeld in Trede", username=username)
        user.sso_subject = subject
        user.role = claims["trede_role"]
        team_values = config.claim_values(claims, settings.TREDE_OIDC_TEAM_CLAIM)
        if settings.TREDE_OIDC_TEAM_CLAIM:
            user.team = team_values[0][:100] if team_values else ""
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.email = str(claims.get("email") or user.email)[:254]
        user.save()
        user.trede_sso_mfa = claims["trede_mfa"]  # for the session (the callback view)
        return user
