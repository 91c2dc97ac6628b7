"""What the monitor stores itself: the stock forecast's scenarios and the reference figures
of other municipalities (everything else it reads)."""

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


# ---- peers (vergelijkingsgemeenten, trede.monitor.peers; decisions 78-79)

PEER_YEAR_MIN = 1990
PEER_YEAR_MAX = 2100
PEER_POPULATION_MAX = 10_000_000


class PeerImport(SubmissionKeyed, models.Model):
    """One import of a file of reference figures (the page's form or
    `trede monitor peers import`): where the figures come from. A double submit of the
    page's form is one import (the submission key)."""

    source = models.CharField(
        "bron en omschrijving",
        max_length=300,
        help_text="Bijvoorbeeld: CBS, bewerking BEA (seed 003, bijlage IV).",
    )
    filename = models.CharField("bestand", max_length=255, blank=True)
    municipalities = models.PositiveIntegerField("gemeenten", default=0)
    figures = models.PositiveIntegerField("jaarcijfers", default=0)
    imported_at = models.DateTimeField("ingelezen", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ingelezen door",
    )

    class Meta:
        verbose_name = "import van referentiecijfers"
        verbose_name_plural = "imports van referentiecijfers"
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.filename})" if self.filename else self.source


class PeerMunicipality(models.Model):
    """A municipality to compare with, by name (as the files name it)."""

    name = models.CharField("gemeente", max_length=100, unique=True)

    class Meta:
        verbose_name = "vergelijkingsgemeente"
        verbose_name_plural = "vergelijkingsgemeenten"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PeerFigure(models.Model):
    """The figures of one municipality in one year, as a file gave them.

    A file gives the benefits per 1,000 inhabitants itself (`per_1000`, as seed 003's G10
    table), or the inhabitants and the benefit count it follows from, or all three (then
    they must agree); the outflow to work needs the benefit count or the inhabitants
    beside the rate per 1,000 (its rate is outflow / benefits)."""

    municipality = models.ForeignKey(
        PeerMunicipality, on_delete=models.CASCADE, related_name="figures", verbose_name="gemeente"
    )
    year = models.PositiveSmallIntegerField("jaar")
    population = models.PositiveIntegerField("inwoners", null=True, blank=True)
    benefits = models.PositiveIntegerField("uitkeringen", null=True, blank=True)
    per_1000 = models.DecimalField(
        "uitkeringen per 1.000 inwoners", max_digits=6, decimal_places=2, null=True, blank=True
    )
    outflow_to_work = models.PositiveIntegerField("uitstroom naar werk", null=True, blank=True)
    source_import = models.ForeignKey(
        PeerImport, on_delete=models.PROTECT, related_name="figure_rows", verbose_name="import"
    )

    class Meta:
        verbose_name = "jaarcijfer van een vergelijkingsgemeente"
        verbose_name_plural = "jaarcijfers van vergelijkingsgemeenten"
        ordering = ["municipality__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="peer_figure_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=PEER_YEAR_MIN) & models.Q(year__lte=PEER_YEAR_MAX),
                name="peer_figure_year_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(population__isnull=True)
                | (models.Q(population__gte=1) & models.Q(population__lte=PEER_POPULATION_MAX)),
                name="peer_figure_population_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(per_1000__isnull=True)
                | (models.Q(per_1000__gte=0) & models.Q(per_1000__lte=1000)),
                name="peer_figure_per_1000_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(per_1000__isnull=False)
                | (models.Q(population__isnull=False) & models.Q(benefits__isnull=False)),
                name="peer_figure_has_a_rate",
            ),
            models.CheckConstraint(
                condition=models.Q(outflow_to_work__isnull=True)
                | models.Q(benefits__isnull=False)
                | models.Q(population__isnull=False),
                name="peer_figure_outflow_has_a_base",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"
