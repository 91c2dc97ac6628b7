from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trede.utils.models import choice_constraint

from ..constants import Category, ClientGroup, Route


class PolicyPreset(models.Model):
    """A municipality's policy: categories, routes, client groups and service levels.

    The rules live in `config` (edited by the beheerder through a form) and are applied by
    `trede.casework.policy`; the three presets of the seeds are created by a migration.
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


class RouteDecision(models.Model):
    """A dated, reasoned decision on a client's route, category and client group.

    Decisions are never overwritten: the current route is the latest decision.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="route_decisions", verbose_name=_("klant")
    )
    decided_on = models.DateField(_("ingangsdatum"))
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    category = models.CharField(_("categorie"), max_length=2, choices=Category.choices, blank=True)
    client_group = models.CharField(_("klantgroep"), max_length=24, choices=ClientGroup.choices, blank=True)
    ladder_step = models.PositiveSmallIntegerField(_("trede"), null=True, blank=True)
    ladder_target = models.PositiveSmallIntegerField(_("doeltrede"), null=True, blank=True)
    diagnosis = models.ForeignKey(
        "casework.Diagnosis",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="route_decisions",
        verbose_name=_("diagnose"),
    )
    preset_key = models.CharField(_("beleid"), max_length=40, blank=True)
    reason = models.TextField(_("reden"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("routebesluit")
        verbose_name_plural = _("routebesluiten")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["client", "decided_on"], name="route_client_date_idx")]
        constraints = [
            choice_constraint("route", Route, name="route_decision_route_code", blank=False),
            choice_constraint("category", Category, name="route_decision_category_code"),
            choice_constraint("client_group", ClientGroup, name="route_decision_group_code"),
            models.CheckConstraint(condition=~Q(reason=""), name="route_decision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.get_route_display()} vanaf {self.decided_on}"
