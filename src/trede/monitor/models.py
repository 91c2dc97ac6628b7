"""What the monitor stores itself: the stock forecast's scenarios (everything else it reads)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from trede.utils.concurrency import LockVersioned, SubmissionKeyed

# A multiplier outside this range is no scenario but a typing error (decision 62).
MULTIPLIER_MIN = Decimal("0.10")
MULTIPLIER_MAX = Decimal("5.00")


class ForecastScenario(LockVersioned, SubmissionKeyed, models.Model):
    """A scenario of the stock forecast: multipliers on the inflow and the outflow rates.

    `basis` (both 1) is the method itself and is not stored; the three scenarios of
    Steenwijkerland's appendix (seed 002) are created by a migration, and policy advisors
    add and edit their own (decision 62).
    """

    code = models.SlugField(
        "code", max_length=40, unique=True, help_text="Naam voor --scenario, bv. zwak_herstel."
    )
    name = models.CharField("naam", max_length=100)
    description = models.TextField("toelichting", blank=True)
    inflow_multiplier = models.DecimalField(
        "factor op de instroom",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(MULTIPLIER_MIN), MaxValueValidator(MULTIPLIER_MAX)],
    )
    outflow_multiplier = models.DecimalField(
        "factor op de uitstroomkans",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(MULTIPLIER_MIN), MaxValueValidator(MULTIPLIER_MAX)],
    )
    updated_at = models.DateTimeField("bijgewerkt", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bijgewerkt door",
    )

    class Meta:
        verbose_name = "scenario van de prognose"
        verbose_name_plural = "scenario's van de prognose"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inflow_multiplier__gte=MULTIPLIER_MIN)
                & models.Q(inflow_multiplier__lte=MULTIPLIER_MAX)
                & models.Q(outflow_multiplier__gte=MULTIPLIER_MIN)
                & models.Q(outflow_multiplier__lte=MULTIPLIER_MAX),
                name="forecast_scenario_multipliers_in_range",
            ),
            models.CheckConstraint(condition=~models.Q(code="basis"), name="forecast_scenario_not_basis"),
        ]

    def __str__(self) -> str:
        return self.name
