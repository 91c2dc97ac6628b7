"""Consultants (who carry a caseload) and hand-overs between them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Consultant(models.Model):
    """A professional with a caseload (werkconsulent, klantmanager, participatiecoach ...)."""

    consultant_id = models.CharField(_("medewerkernummer"), max_length=64, primary_key=True)
    name = models.CharField(_("naam"), max_length=150, blank=True)
    team = models.CharField(_("team"), max_length=100, blank=True)
    role = models.CharField(_("functie"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultant",
        verbose_name=_("gebruiker"),
    )

    class Meta:
        verbose_name = _("consulent")
        verbose_name_plural = _("consulenten")
        ordering = ["name", "consultant_id"]

    def __str__(self) -> str:
        return self.name or self.consultant_id


class CaseloadTransfer(models.Model):
    """A client handed over from one consultant to another; the history stays with the client."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="transfers", verbose_name=_("klant")
    )
    from_consultant = models.ForeignKey(
        "casework.Consultant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("van"),
    )
    to_consultant = models.ForeignKey(
        "casework.Consultant", on_delete=models.PROTECT, related_name="+", verbose_name=_("naar")
    )
    reason = models.CharField(_("reden"), max_length=300)
    transferred_at = models.DateTimeField(_("overgedragen"), auto_now_add=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["-transferred_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="transfer_has_reason")]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.from_consultant_id} → {self.to_consultant_id}"
