from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import PeriodQuerySet, choice_constraint, ends_after_start, range_constraint

from .constants import Contract, Sector, SizeClass, Subsidy, VacancyKind, VacancyStatus, VoordrachtStatus


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


class Vacancy(LockVersioned, SubmissionKeyed):
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
    # Entered in Trede (not in the interchange format, whose vacancies keep the defaults).
    kind = models.CharField(
        _("soort"), max_length=20, choices=VacancyKind.choices, default=VacancyKind.REGULIER
    )
    status = models.CharField(
        _("status"), max_length=12, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    # Where the work is when not at the employer's address (blank: the employer's postcode).
    postcode4 = models.CharField(_("postcode werkplek (4 cijfers)"), max_length=4, blank=True)
    start_date = models.DateField(_("gewenste startdatum"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingevoerd door"),
    )
    # Not personal data, but several people edit one vacancy: who changed the hours or the
    # status, and when, is kept (decision 126).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vacature")
        verbose_name_plural = _("vacatures")
        ordering = ["-open_date", "vacancy_id"]
        constraints = [
            ends_after_start("open_date", "close_date", name="vacancy_close_after_open"),
            models.CheckConstraint(
                condition=models.Q(positions__gte=1), name="vacancy_positions_at_least_one"
            ),
            choice_constraint("kind", VacancyKind, name="vacancy_kind_code"),
            choice_constraint("status", VacancyStatus, name="vacancy_status_code"),
        ]

    @property
    def location_postcode4(self) -> str:
        return self.postcode4 or (self.employer.postcode4 if self.employer_id else "")

    def __str__(self) -> str:
        return self.title or self.vacancy_id


class Placement(LockVersioned, SubmissionKeyed):
    """A client at work with an employer (with or without subsidy). The interchange's
    placements.csv carries the columns up to `wage_value_pct`; the rest is entered in
    Trede (`placements.services`) and keeps its value on a re-import."""

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

    # Part-time work beside a supplementary benefit: a placement, not an outflow (decision 174).
    supplementary_benefit = models.BooleanField(_("deeltijd met aanvullende uitkering"), default=False)
    jobcoach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jobcoach (medewerker)"),
    )
    jobcoach_name = models.CharField(_("jobcoach (naam)"), max_length=200, blank=True)
    voordracht = models.OneToOneField(
        "Voordracht",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement",
        verbose_name=_("uit voordracht"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("gecorrigeerd op"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gecorrigeerd door"),
    )
    correction_reason = models.CharField(_("reden van de correctie"), max_length=500, blank=True)
    # The owning accountmanager saw the signal of a placement a consultant recorded.
    account_manager_seen_at = models.DateTimeField(
        _("gezien door de accountmanager op"), null=True, blank=True
    )

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    @property
    def is_proefplaatsing(self) -> bool:
        return self.contract == Contract.PROEFPLAATSING or self.subsidy == Subsidy.PROEFPLAATSING

    @property
    def jobcoach_shown(self) -> str:
        if self.jobcoach_id:
            return self.jobcoach.get_full_name() or self.jobcoach.username
        return self.jobcoach_name

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


class Voordracht(LockVersioned, SubmissionKeyed):
    """A client proposed for a vacancy (the shortlist): by the accountmanager from the
    anonymised candidates or by the consultant from the client file. The employer hears of
    the client only after the client's consent (decision 127)."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="voordrachten", verbose_name=_("vacature")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="voordrachten", verbose_name=_("klant")
    )
    status = models.CharField(
        _("stand"), max_length=16, choices=VoordrachtStatus.choices, default=VoordrachtStatus.VOORGESTELD
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("voorgedragen door"),
    )
    proposed_at = models.DateTimeField(_("voorgedragen op"), auto_now_add=True)
    score = models.DecimalField(
        _("score bij voordracht"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    consent_on = models.DateField(_("toestemming gegeven of geweigerd op"), null=True, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toestemming vastgelegd door"),
    )
    presented_on = models.DateField(_("voorgesteld aan de werkgever op"), null=True, blank=True)
    outcome_on = models.DateField(_("uitkomst op"), null=True, blank=True)
    rejection_reason = models.CharField(_("reden van afwijzing"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voordracht")
        verbose_name_plural = _("voordrachten")
        ordering = ["-proposed_at", "pk"]
        constraints = [
            # One entry per client and vacancy: a second proposal is the same entry.
            models.UniqueConstraint(fields=["vacancy", "client"], name="voordracht_once_per_vacancy"),
            choice_constraint("status", VoordrachtStatus, name="voordracht_status_code"),
            models.CheckConstraint(
                condition=~models.Q(status="afgewezen") | ~models.Q(rejection_reason=""),
                name="voordracht_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"voordracht {self.pk}"


class NazorgContact(SubmissionKeyed):
    """An aftercare contact of a placement at its moment (months after the start; 0: the
    end of a proefplaatsing, whether a contract followed). One per placement and moment."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="nazorg", verbose_name=_("plaatsing")
    )
    moment_months = models.PositiveSmallIntegerField(_("moment (maanden na de start)"))
    date = models.DateField(_("datum van het contact"))
    still_at_work = models.BooleanField(_("nog aan het werk"))
    remarks = models.TextField(_("opmerkingen"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    registered_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nazorgcontact")
        verbose_name_plural = _("nazorgcontacten")
        ordering = ["placement_id", "moment_months"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "moment_months"], name="nazorg_once_per_moment"),
        ]

    def __str__(self) -> str:
        return f"nazorg {self.placement_id} na {self.moment_months} maanden"


# The relationship with an employer lives in its own subpackage; its models are this app's.
from .relations.models import EmployerAgreement, EmployerContact, EmployerContactMoment  # noqa: E402, F401
