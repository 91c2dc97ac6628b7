"""Audit events that no view has to remember: logins (also failed ones), logouts, role
and rights changes of a user (through any path: admin, shell, a service), and a
waarneming that is deleted (also by cascade).

Connected in `AuditConfig.ready`.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save

from . import logevent

RIGHTS_FIELDS = ("is_staff", "is_superuser", "is_active")
WATCHED = ("role", *RIGHTS_FIELDS)


def current_actor(instance=None):
    """Who is making this change: set explicitly by the caller (`instance._audit_actor`,
    the admin does), else the logged-in user of the current request (simple_history's
    middleware keeps it), else nobody (a command on the server)."""
    actor = getattr(instance, "_audit_actor", None)
    if actor is not None:
        return actor
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


SSO_BACKEND = "trede.security.oidc.backends.TredeOIDCBackend"


def _logged_in(sender, request, user, **kwargs):
    if getattr(user, "backend", "") == SSO_BACKEND:
        logevent.sso_login_succeeded(user, request)
    else:
        logevent.login_succeeded(user, request)


def _login_failed(sender, credentials, request=None, **kwargs):
    if "username" not in credentials:
        # A single sign-on callback (code and state, no username): its refusal has its own
        # row with the reason (`sso_login_refused`, written by the callback view).
        return
    logevent.login_failed(credentials.get("username", ""), request)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        logevent.logged_out(user, request)


def _user_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED):
        instance._audit_before = None  # e.g. last_login on every login: no extra query
        return
    instance._audit_before = sender.objects.filter(pk=instance.pk).values(*WATCHED).first()


def _user_after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    actor = current_actor(instance)
    if created:
        if instance.role:
            logevent.role_changed(actor, instance, "", instance.role)
        granted = {f: [False, True] for f in ("is_staff", "is_superuser") if getattr(instance, f)}
        if granted:
            logevent.account_rights_changed(actor, instance, granted)
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if not before:
        return
    if before["role"] != instance.role:
        logevent.role_changed(actor, instance, before["role"], instance.role)
    changes = {
        f: [before[f], getattr(instance, f)] for f in RIGHTS_FIELDS if before[f] != getattr(instance, f)
    }
    if changes:
        logevent.account_rights_changed(actor, instance, changes)


def _waarneming_deleted(sender, instance, **kwargs):
    logevent.waarneming_deleted(current_actor(instance), instance)


def connect() -> None:
    from trede.accounts.models import User, Waarneming

    user_logged_in.connect(_logged_in, dispatch_uid="trede-audit-login")
    user_login_failed.connect(_login_failed, dispatch_uid="trede-audit-login-failed")
    user_logged_out.connect(_logged_out, dispatch_uid="trede-audit-logout")
    pre_save.connect(_user_before_save, sender=User, dispatch_uid="trede-audit-user-before")
    post_save.connect(_user_after_save, sender=User, dispatch_uid="trede-audit-user-after")
    post_delete.connect(_waarneming_deleted, sender=Waarneming, dispatch_uid="trede-audit-waarneming-delete")
