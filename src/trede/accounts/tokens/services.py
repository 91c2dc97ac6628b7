"""Writes on application tokens: create one (with its system account), revoke one, and
note that one was used. Each create and revoke is audited in the same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.accounts.models import Role, User
from trede.audit import logevent
from trede.utils.concurrency import create_once

from . import scopes as scope_rules
from .models import SECRET_PREFIX, ApplicationToken, secret_hash

# Roles a system account may have. Not inwoner (a person's own file) and not aanbieder (a
# provider's staff are bound to their organisation, which a token form does not set).
SYSTEM_ROLES = tuple(r for r in Role.values if r not in (Role.INWONER, Role.AANBIEDER))
# A token's last use is written at most this often: a write per request would cost more
# than many API reads themselves (decision 111).
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApplicationToken
    secret: str  # shown once, never stored; "" when the form was sent twice (see token_create)


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{SECRET_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def prefix_of(secret: str) -> str:
    """The recognisable part of a presented secret ('' when it has not Trede's shape)."""
    if not secret.startswith(SECRET_PREFIX):
        return ""
    prefix, _sep, rest = secret[len(SECRET_PREFIX) :].partition("_")
    return prefix[:16] if rest and prefix.isalnum() else ""


def _system_account(*, actor, username: str, role: str, team: str) -> User:
    username = username.strip()
    if not username:
        raise ValidationError({"username": "Geef het systeemaccount een naam."})
    if role not in SYSTEM_ROLES:
        raise ValidationError({"role": "Deze rol kan geen systeemaccount hebben."})
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, team=team.strip(), system_account=True, last_name=username)
        user.set_unusable_password()
        user._audit_actor = actor  # the audit row of the new account's role names the beheerder
        user.full_clean(exclude=["password"])
        user.save()
        return user
    if not user.system_account:
        raise ValidationError(
            {"username": "Er bestaat al een persoonlijk account met deze naam; kies een andere naam."}
        )
    if user.role != role or user.team != team.strip():
        raise ValidationError(
            {
                "role": f"Systeemaccount {username} bestaat al met rol {Role(user.role).label}"
                f"{' en team ' + user.team if user.team else ''}; kies die rol en dat team, of een andere naam."
            }
        )
    if not user.is_active:
        raise ValidationError({"username": "Dit systeemaccount is uitgeschakeld."})
    return user


def token_create(
    *,
    actor,
    name: str,
    username: str,
    role: str,
    team: str = "",
    scopes,
    expires_at=None,
    submission_key=None,
) -> NewToken:
    """A new token for the system account `username` (made when it does not exist yet,
    with this role and team). Refused: a scope of which the role may do nothing, an expiry
    in the past, no scopes. The same form sent twice (`submission_key`) makes one token;
    the second answer has no secret (it was shown once, on the first)."""
    perms.check(actor, perms.TOKENS_MANAGE)
    name = (name or "").strip()
    scopes = sorted(set(scopes))
    errors = {}
    if not name:
        errors["name"] = "Geef de naam van de applicatie of koppeling."
    unknown = [s for s in scopes if s not in scope_rules.SCOPES]
    if unknown:
        errors["scopes"] = f"Onbekende scope: {', '.join(unknown)}."
    elif not scopes:
        errors["scopes"] = "Kies ten minste één scope."
    elif role in Role.values and (useless := scope_rules.useless_for_role(scopes, role)):
        errors["scopes"] = (
            f"De rol {Role(role).label} mag niets van wat deze scope geeft: {', '.join(useless)}. "
            "Een token krijgt nooit meer dan de rol van het systeemaccount."
        )
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "De verloopdatum ligt in het verleden."
    if errors:
        raise ValidationError(errors)
    prefix, secret = _new_secret()

    def create(key):
        user = _system_account(actor=actor, username=username, role=role, team=team)
        token = ApplicationToken.objects.create(
            name=name[:100],
            user=user,
            scopes=scopes,
            prefix=prefix,
            secret_hash=secret_hash(secret),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=expires_at,
            submission_key=key,
        )
        logevent.token_created(actor, token)
        return token

    token, created = create_once(ApplicationToken, submission_key, create)
    return NewToken(token=token, secret=secret if created else "")


def token_revoke(*, actor, token: ApplicationToken) -> ApplicationToken:
    """Revoke for good (a revoked token is never valid again; make a new one instead)."""
    perms.check(actor, perms.TOKENS_MANAGE)
    with transaction.atomic():
        token = ApplicationToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError("Dit token is al ingetrokken.")
        token.revoked_at = timezone.now()
        token.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        token.save(update_fields=["revoked_at", "revoked_by"])
        logevent.token_revoked(actor, token)
    return token


def token_used(token: ApplicationToken, *, now=None) -> None:
    """Note the use, at most once per LAST_USED_RESOLUTION (one conditional UPDATE, so
    parallel requests of one system write it once)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApplicationToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_RESOLUTION).update(
        last_used_at=now
    )
    token.last_used_at = now
