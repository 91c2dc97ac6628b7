"""The municipal policy preset (its rules: `rules.py`, its shipped values: `presets.py`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trede.utils.concurrency import LockVersioned


class PolicyPreset(LockVersioned, models.Model):
    """A municipality's policy: categories, routes, client groups and service levels.

    The rules live in `config` (edited by the beheerder through a form) and are applied by
    `trede.casework.policy.rules`; the three presets of the seeds are created by a migration.
    """

    key = models.SlugField(_("sleutel"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("toelichting"), blank=True)
    config = models.JSONField(_("instellingen"), default=dict)
    active = models.BooleanField(_("in gebruik"), default=False)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijgewerkt door"),
    )

    class Meta:
        verbose_name = _("beleidsinstelling")
        verbose_name_plural = _("beleidsinstellingen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_policy_preset"
            ),
        ]

    def __str__(self) -> str:
        return self.name
