"""Stored effect estimates ("wat werkt voor wie"), so that pages and a future instrument
catalogue show the same figures without re-running the engine.

One EffectRun per run of `trede.effects.estimate_instruments`; one EffectEstimate per
instrument overall (dimension '') and per segment (age band, duration band, ladder step,
client group, statushouder). Estimates are differences in probability (0.05 = five
percentage points). No client ids are stored: only aggregates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EffectRun(models.Model):
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    horizon_months = models.PositiveSmallIntegerField(_("horizon (maanden)"))
    outcome = models.CharField(_("uitkomst"), max_length=20, default="werk")
    first_start_month = models.CharField(_("eerste startmaand"), max_length=7)
    last_start_month = models.CharField(_("laatste startmaand"), max_length=7)
    data_until = models.DateField(_("gegevens tot"))
    method = models.CharField(_("methode"), max_length=20)
    n_instruments = models.PositiveIntegerField(_("aantal instrumenten"))
    duration_seconds = models.FloatField(_("rekentijd (s)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("effectschatting")
        verbose_name_plural = _("effectschattingen")

    def __str__(self) -> str:
        return f"Effecten H={self.horizon_months} ({self.created_at:%Y-%m-%d %H:%M})"


class EffectEstimate(models.Model):
    run = models.ForeignKey(EffectRun, on_delete=models.CASCADE, related_name="estimates")
    instrument = models.ForeignKey(
        "instruments.Instrument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="effect_estimates",
        verbose_name=_("instrument"),
    )
    instrument_code = models.CharField(_("instrumentcode"), max_length=64, db_index=True)
    dimension = models.CharField(
        _("uitsplitsing"), max_length=24, blank=True, help_text=_("leeg: alle klanten")
    )
    level = models.CharField(_("groep"), max_length=64, blank=True)
    estimate = models.FloatField(_("effect"), null=True, blank=True)
    ci_low = models.FloatField(_("ondergrens 95 %"), null=True, blank=True)
    ci_high = models.FloatField(_("bovengrens 95 %"), null=True, blank=True)
    std_error = models.FloatField(_("standaardfout"), null=True, blank=True)
    n_treated = models.PositiveIntegerField(_("starts"), default=0)
    n_control = models.PositiveIntegerField(_("controles"), default=0)
    small_n = models.BooleanField(_("weinig starts"), default=False)
    poor_overlap = models.BooleanField(_("slechte overlap"), default=False)
    diagnostics = models.JSONField(_("diagnostiek"), default=dict, blank=True)

    class Meta:
        ordering = ["instrument_code", "dimension", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "instrument_code", "dimension", "level"], name="effect_estimate_unique_cell"
            )
        ]
        verbose_name = _("effect per instrument")
        verbose_name_plural = _("effecten per instrument")

    def __str__(self) -> str:
        where = f" {self.dimension}={self.level}" if self.dimension else ""
        return f"{self.instrument_code}{where}: {self.estimate}"
