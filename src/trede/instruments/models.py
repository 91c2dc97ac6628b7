from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.models import choice_constraint, ends_after_start

from .constants import Funding, InstrumentType, ProviderKind, TrajectoryResult


class Provider(models.Model):
    """An organisation that runs trajectories (aanbieder)."""

    provider_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    kind = models.CharField(_("soort"), max_length=24, choices=ProviderKind.choices, blank=True)

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name", "provider_id"]
        constraints = [choice_constraint("kind", ProviderKind, name="provider_kind_code")]

    def __str__(self) -> str:
        return self.name or self.provider_id


class Instrument(models.Model):
    """A re-integration instrument from the municipality's catalogue."""

    instrument_code = models.CharField(_("code"), max_length=64, primary_key=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    type = models.CharField(_("soort"), max_length=24, choices=InstrumentType.choices, blank=True)
    funding = models.CharField(_("financiering"), max_length=24, choices=Funding.choices, blank=True)
    price_eur = models.DecimalField(_("prijs (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instrumenten")
        ordering = ["name", "instrument_code"]
        constraints = [
            choice_constraint("type", InstrumentType, name="instrument_type_code"),
            choice_constraint("funding", Funding, name="instrument_funding_code"),
        ]

    def __str__(self) -> str:
        return self.name or self.instrument_code


class Trajectory(models.Model):
    """A referral of a client to an instrument at a provider, and how it went.

    An empty `start_date` means the client never started (a no-show).
    """

    trajectory_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="trajectories", verbose_name=_("klant")
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("instrument"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("aanbieder"),
    )
    referral_date = models.DateField(_("verwijsdatum"))
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    planned_end_date = models.DateField(_("geplande einddatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    result = models.CharField(_("resultaat"), max_length=20, choices=TrajectoryResult.choices, blank=True)
    cost_eur = models.DecimalField(_("kosten (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["client_id", "referral_date", "trajectory_id"]
        indexes = [
            models.Index(fields=["instrument", "start_date"], name="trajectory_instr_start_idx"),
            models.Index(fields=["client", "start_date"], name="trajectory_client_start_idx"),
            models.Index(fields=["provider", "referral_date"], name="trajectory_provider_idx"),
        ]
        constraints = [
            choice_constraint("result", TrajectoryResult, name="trajectory_result_code"),
            ends_after_start("start_date", "end_date", name="trajectory_end_after_start"),
            ends_after_start("start_date", "planned_end_date", name="trajectory_planned_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id or 'traject'} {self.trajectory_id}"
