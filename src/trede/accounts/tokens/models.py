"""`ApplicationToken`: one system's key to the API, of a system account with a role."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trede.utils.concurrency import SubmissionKeyed

from . import scopes as scope_rules

# The secret is shown once as `trede_<prefix>_<random>`: the prefix lets the beheerder and
# the log name a token without the secret, the random part carries 256 bits.
SECRET_PREFIX = "trede_"


def secret_hash(secret: str) -> str:
    """SHA-256 of the whole secret. A slow password hash is not needed: the secret is 256
    random bits, not something a person chose, so it cannot be guessed from its hash."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApplicationTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApplicationToken(SubmissionKeyed):
    name = models.CharField(_("naam of applicatie"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="application_tokens",
        verbose_name=_("systeemaccount"),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("herkenning"), max_length=16, unique=True)
    secret_hash = models.CharField(_("hash van het geheim"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    objects = ApplicationTokenQuerySet.as_manager()

    class Meta(SubmissionKeyed.Meta):
        abstract = False
        app_label = "accounts"
        verbose_name = _("applicatietoken")
        verbose_name_plural = _("applicatietokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="applicationtoken_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "ingetrokken"
        if self.expires_at is not None and self.expires_at <= now:
            return "verlopen"
        return "actief"

    def is_usable(self, now=None) -> bool:
        return self.status(now) == "actief"

    def allows(self, permission) -> bool:
        """Whether this token's scopes grant the permission (the role decides as well:
        the API asks `role_may` or `check` with `token.user` besides)."""
        return scope_rules.allows(self.scopes, permission)
