from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.clients.constants import DutchLanguage
from trede.utils.concurrency import LockVersioned
from trede.utils.models import choice_constraint, ends_after_start

from .constants import Funding, InstrumentType, ProviderKind, SuccessKind, TrajectoryResult


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


class Instrument(LockVersioned, models.Model):
    """A re-integration instrument from the municipality's catalogue (the participatiekaart).

    The interchange format fills code, name, type, funding and price; the catalogue fields
    below are kept in Trede by the contract manager (`instruments.catalogue.services`).
    """

    instrument_code = models.CharField(_("code"), max_length=64, primary_key=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    type = models.CharField(_("soort"), max_length=24, choices=InstrumentType.choices, blank=True)
    funding = models.CharField(_("financiering"), max_length=24, choices=Funding.choices, blank=True)
    price_eur = models.DecimalField(_("prijs (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)

    # ---- the catalogue (participatiekaart)
    goal = models.TextField(_("doel"), blank=True, max_length=2000)
    target_routes = models.JSONField(
        _("past bij de routes"), default=list, blank=True, help_text=_("Leeg: bij elke route.")
    )
    target_groups = models.JSONField(
        _("past bij de klantgroepen"), default=list, blank=True, help_text=_("Leeg: bij elke klantgroep.")
    )
    min_dutch_language = models.CharField(
        _("minimaal taalniveau Nederlands"), max_length=12, choices=DutchLanguage.choices, blank=True
    )
    min_hours_per_week = models.DecimalField(
        _("minimaal beschikbaar (uur per week)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    conditions = models.TextField(_("voorwaarden"), blank=True, max_length=2000)
    max_duration_months = models.PositiveSmallIntegerField(
        _("maximale duur (maanden)"), null=True, blank=True
    )
    success_kind = models.CharField(
        _("soort succescriterium"), max_length=16, choices=SuccessKind.choices, blank=True
    )
    success_hours_per_week = models.DecimalField(
        _("succes: minstens uur per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    success_months = models.PositiveSmallIntegerField(_("succes: gedurende maanden"), null=True, blank=True)
    success_language_level = models.CharField(
        _("succes: taalniveau"), max_length=12, choices=DutchLanguage.choices, blank=True
    )
    success_text = models.CharField(_("succes: omschrijving"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capaciteit (plaatsen)"), null=True, blank=True)
    waiting_weeks = models.PositiveSmallIntegerField(_("wachttijd (weken)"), null=True, blank=True)
    active = models.BooleanField(_("in de catalogus"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instrumenten")
        ordering = ["name", "instrument_code"]
        constraints = [
            choice_constraint("type", InstrumentType, name="instrument_type_code"),
            choice_constraint("funding", Funding, name="instrument_funding_code"),
            choice_constraint("success_kind", SuccessKind, name="instrument_success_kind_code"),
            choice_constraint("min_dutch_language", DutchLanguage, name="instrument_min_language_code"),
            choice_constraint(
                "success_language_level", DutchLanguage, name="instrument_success_language_code"
            ),
            # A criterion of a kind carries what it needs to be judged.
            models.CheckConstraint(
                condition=~models.Q(success_kind=SuccessKind.WORK_HOURS)
                | (models.Q(success_hours_per_week__gt=0) & models.Q(success_months__gt=0)),
                name="instrument_success_work_hours_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(success_kind=SuccessKind.LANGUAGE_LEVEL)
                | ~models.Q(success_language_level=""),
                name="instrument_success_language_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(success_kind=SuccessKind.FREE_TEXT) | ~models.Q(success_text=""),
                name="instrument_success_text_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.instrument_code

    @property
    def success_criterion(self) -> str:
        """The success criterion in Dutch ('' when none is set)."""
        from .catalogue.rules import success_criterion_text

        return success_criterion_text(self)

    @property
    def suits(self) -> str:
        """For whom it is meant, in Dutch."""
        from .catalogue.rules import suits_text

        return suits_text(self)


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


# Models of the subdomain packages, re-exported so that Django finds them under `instruments`.
from .claims.models import Claim, ClaimLine  # noqa: E402
from .contracts.models import Contract  # noqa: E402
from .referrals.models import EndReport, ProgressReport, Referral  # noqa: E402

__all__ = [
    "Claim",
    "ClaimLine",
    "Contract",
    "EndReport",
    "Instrument",
    "ProgressReport",
    "Provider",
    "Referral",
    "Trajectory",
]
