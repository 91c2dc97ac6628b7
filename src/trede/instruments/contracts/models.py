"""Contracts with providers: which instruments, for how long, at what price and within which ceilings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint, ends_after_start

from ..constants import Funding, PriceModel, Repayment


def _money(label: str, **kwargs):
    return models.DecimalField(label, max_digits=12, decimal_places=2, null=True, blank=True, **kwargs)


class Contract(LockVersioned, SubmissionKeyed, models.Model):
    """A contract of the municipality with one provider for one or more instruments.

    Its terms decide which invoice lines a trajectory earns (`claims.billing.invoice_lines`):
    a trajectory fee at the start, an instalment per started month up to a number of
    instalments, a result fee when the result is reached, and a repayment when it is not.
    """

    reference = models.CharField(_("contractnummer"), max_length=64, unique=True)
    provider = models.ForeignKey(
        "instruments.Provider",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("aanbieder"),
    )
    instruments = models.ManyToManyField(
        "instruments.Instrument", related_name="contracts", verbose_name=_("instrumenten")
    )
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True, help_text=_("Leeg: onbepaalde tijd."))
    price_model = models.CharField(_("prijsmodel"), max_length=16, choices=PriceModel.choices)
    trajectory_fee_eur = _money(_("trajectprijs bij de start (EUR)"))
    instalment_eur = _money(_("termijn per maand (EUR)"))
    instalments = models.PositiveSmallIntegerField(_("aantal maandtermijnen"), null=True, blank=True)
    result_fee_eur = _money(_("resultaatbonus (EUR)"))
    repayment = models.CharField(
        _("terugbetaling als het resultaat niet gehaald wordt"),
        max_length=10,
        choices=Repayment.choices,
        default=Repayment.GEEN,
    )
    repayment_eur = _money(_("terug te betalen bedrag (EUR)"))
    repayment_pct = models.DecimalField(
        _("terug te betalen deel van wat betaald is (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    funding = models.CharField(_("financiering"), max_length=24, choices=Funding.choices)
    budget_line = models.CharField(
        _("begrotingsregel"), max_length=100, help_text=_("Bijvoorbeeld 'trajecten' of 'jobcoaching'.")
    )
    volume_ceiling = models.PositiveIntegerField(_("plafond (aantal trajecten)"), null=True, blank=True)
    money_ceiling_eur = _money(_("plafond (EUR)"))
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        ordering = ["provider_id", "-start_date", "reference"]
        constraints = [
            choice_constraint("price_model", PriceModel, name="contract_price_model_code", blank=False),
            choice_constraint("repayment", Repayment, name="contract_repayment_code", blank=False),
            choice_constraint("funding", Funding, name="contract_funding_code", blank=False),
            ends_after_start("start_date", "end_date", name="contract_end_after_start"),
            models.CheckConstraint(
                condition=Q(repayment_pct__isnull=True) | Q(repayment_pct__gte=0, repayment_pct__lte=100),
                name="contract_repayment_pct_range",
            ),
            models.CheckConstraint(
                condition=(Q(trajectory_fee_eur__isnull=True) | Q(trajectory_fee_eur__gte=0))
                & (Q(instalment_eur__isnull=True) | Q(instalment_eur__gte=0))
                & (Q(result_fee_eur__isnull=True) | Q(result_fee_eur__gte=0))
                & (Q(repayment_eur__isnull=True) | Q(repayment_eur__gte=0))
                & (Q(money_ceiling_eur__isnull=True) | Q(money_ceiling_eur__gte=0)),
                name="contract_amounts_not_negative",
            ),
            # Instalments come with their number; a repayment with its amount or share.
            models.CheckConstraint(
                condition=Q(instalment_eur__isnull=True) | Q(instalments__gte=1),
                name="contract_instalments_counted",
            ),
            models.CheckConstraint(
                condition=~Q(repayment=Repayment.BEDRAG) | Q(repayment_eur__isnull=False),
                name="contract_repayment_amount_set",
            ),
            models.CheckConstraint(
                condition=~Q(repayment=Repayment.AANDEEL) | Q(repayment_pct__isnull=False),
                name="contract_repayment_share_set",
            ),
        ]
        indexes = [models.Index(fields=["provider", "start_date"], name="contract_provider_start_idx")]

    def __str__(self) -> str:
        return self.reference

    def runs_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)
