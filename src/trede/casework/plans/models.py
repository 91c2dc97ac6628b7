"""The plan van aanpak and its agreed actions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint

from ..constants import ActionOwner, PlanStatus


class Plan(LockVersioned, SubmissionKeyed, models.Model):
    """A plan van aanpak. A revision is a new version; earlier versions are kept.

    Two counters, not to be confused: `version` is the plan's revision number (v1, v2 ...;
    every revision is a new row, shown to consultant and client, kept forever);
    `lock_version` (from LockVersioned) is the optimistic lock of this one row, raised by
    every saved change of it (an agreement, an action done, becoming `vervallen`), so that
    a form opened on an older state is refused instead of overwriting a colleague's change.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="plans", verbose_name=_("klant")
    )
    version = models.PositiveSmallIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.CONCEPT
    )
    goals = models.TextField(_("doelen"))
    consultant_agreed_at = models.DateTimeField(_("akkoord consulent"), null=True, blank=True)
    consultant_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consulent"),
    )
    client_agreed_at = models.DateTimeField(_("akkoord klant"), null=True, blank=True)
    client_agreed_via = models.CharField(
        _("akkoord klant via"),
        max_length=20,
        blank=True,
        help_text=_("online (door de inwoner zelf) of in gesprek (vastgelegd door de consulent)"),
    )
    created_at = models.DateTimeField(_("opgesteld"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgesteld door"),
    )

    class Meta:
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")
        ordering = ["client_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="plan_version_unique"),
            choice_constraint("status", PlanStatus, name="plan_status_code", blank=False),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.ONDERTEKEND)
                | Q(consultant_agreed_at__isnull=False, client_agreed_at__isnull=False),
                name="plan_signed_by_both",
            ),
        ]

    def __str__(self) -> str:
        return f"plan van aanpak {self.client_id} v{self.version}"

    @property
    def is_signed(self) -> bool:
        return self.status == PlanStatus.ONDERTEKEND


class PlanAction(models.Model):
    """An agreed action in a plan, with an owner and a deadline."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    description = models.CharField(_("afspraak"), max_length=300)
    owner = models.CharField(_("wie"), max_length=10, choices=ActionOwner.choices)
    deadline = models.DateField(_("uiterlijk"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["plan", "position", "deadline"]
        constraints = [choice_constraint("owner", ActionOwner, name="plan_action_owner_code", blank=False)]

    def __str__(self) -> str:
        return self.description
