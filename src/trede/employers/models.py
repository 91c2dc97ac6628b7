from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.models import PeriodQuerySet, choice_constraint, ends_after_start, range_constraint

from .constants import Contract, Sector, SizeClass, Subsidy


class Employer(models.Model):
    employer_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    sector = models.CharField(_("sector (SBI)"), max_length=1, choices=Sector.choices, blank=True)
    size_class = models.CharField(_("grootteklasse"), max_length=8, choices=SizeClass.choices, blank=True)
    postcode4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, blank=True)
    # The accountmanager who owns this employer account: they see its candidates (not part
    # of the interchange format; assigned in Trede).
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer_accounts",
        verbose_name=_("accountmanager"),
    )

    class Meta:
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")
        ordering = ["name", "employer_id"]
        constraints = [
            choice_constraint("sector", Sector, name="employer_sector_code"),
            choice_constraint("size_class", SizeClass, name="employer_size_class_code"),
        ]

    def __str__(self) -> str:
        return self.name or self.employer_id


class Vacancy(models.Model):
    vacancy_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="vacancies",
        verbose_name=_("werkgever"),
    )
    title = models.CharField(_("functie"), max_length=200, blank=True)
    occupation_code = models.CharField(_("beroep (ISCO-08)"), max_length=4, blank=True, db_index=True)
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    open_date = models.DateField(_("open sinds"))
    close_date = models.DateField(_("gesloten op"), null=True, blank=True)
    skills = models.JSONField(_("vaardigheden"), default=list, blank=True)
    positions = models.PositiveSmallIntegerField(_("aantal plaatsen"), default=1)

    class Meta:
        verbose_name = _("vacature")
        verbose_name_plural = _("vacatures")
        ordering = ["-open_date", "vacancy_id"]
        constraints = [
            ends_after_start("open_date", "close_date", name="vacancy_close_after_open"),
            models.CheckConstraint(
                condition=models.Q(positions__gte=1), name="vacancy_positions_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.vacancy_id


class Placement(models.Model):
    """A client at work with an employer (with or without subsidy)."""

    placement_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="placements", verbose_name=_("klant")
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("werkgever"),
    )
    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("vacature"),
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    contract = models.CharField(_("contract"), max_length=16, choices=Contract.choices, blank=True)
    subsidy = models.CharField(_("subsidie"), max_length=20, choices=Subsidy.choices, blank=True)
    wage_value_pct = models.DecimalField(
        _("loonwaarde (% WML)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        ordering = ["client_id", "start_date"]
        indexes = [models.Index(fields=["client", "start_date"], name="placement_client_start_idx")]
        constraints = [
            choice_constraint("contract", Contract, name="placement_contract_code"),
            choice_constraint("subsidy", Subsidy, name="placement_subsidy_code"),
            ends_after_start("start_date", "end_date", name="placement_end_after_start"),
            range_constraint("wage_value_pct", 0, 100, name="placement_wage_value_range"),
        ]

    def __str__(self) -> str:
        return f"plaatsing {self.placement_id}"
