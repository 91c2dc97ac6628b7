"""A rechtmatigheidsonderzoek held for a client: when, with what outcome, by whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint


class Outcome(models.TextChoices):
    ONGEWIJZIGD = "ongewijzigd", _("recht ongewijzigd")
    GEWIJZIGD = "gewijzigd", _("recht gewijzigd (hoogte of voorwaarden)")
    BEEINDIGD = "beeindigd", _("recht beëindigd")
    SIGNAAL = "signaal", _("signaal voor handhaving")


class Rechtmatigheidsonderzoek(LockVersioned, SubmissionKeyed, models.Model):
    """One onderzoek held. A correction changes this row with a reason (its history keeps
    what was recorded first); a mistaken one is withdrawn, never deleted, and then no
    longer counts for the next due date."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="rechtmatigheidsonderzoeken",
        verbose_name=_("klant"),
    )
    held_on = models.DateField(_("datum van het onderzoek"))
    outcome = models.CharField(_("uitkomst"), max_length=12, choices=Outcome.choices)
    note = models.CharField(
        _("toelichting"),
        max_length=500,
        blank=True,
        help_text=_("Kort en zakelijk: wat is nagegaan. Geen gegevens die het onderzoek niet nodig heeft."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    correction_reason = models.CharField(_("reden van de laatste correctie"), max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reden van het intrekken"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rechtmatigheidsonderzoek")
        verbose_name_plural = _("rechtmatigheidsonderzoeken")
        ordering = ["client_id", "-held_on", "-id"]
        indexes = [models.Index(fields=["client", "held_on"], name="onderzoek_client_date_idx")]
        constraints = [choice_constraint("outcome", Outcome, name="onderzoek_outcome_code", blank=False)]

    def __str__(self) -> str:
        return f"Rechtmatigheidsonderzoek {self.pk} ({self.held_on})"

    @property
    def number(self) -> str:
        return f"RO-{self.pk}"
