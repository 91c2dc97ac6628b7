from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.models import choice_constraint, range_constraint

from ..constants import AssessedBy, Category, ClientGroup, ContactKind, ContactOutcome, Route


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


class Contact(models.Model):
    """A contact moment with a client."""

    contact_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("klant")
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("soort contact"), max_length=12, choices=ContactKind.choices, blank=True)
    consultant = models.ForeignKey(
        Consultant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("consulent"),
    )
    # Not in the interchange format: what Trede records when a consultant logs a contact.
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=ContactOutcome.choices, blank=True)
    note = models.TextField(_("verslag"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["client_id", "date"]
        indexes = [models.Index(fields=["client", "date"], name="contact_client_date_idx")]
        constraints = [
            choice_constraint("kind", ContactKind, name="contact_kind_code"),
            choice_constraint("outcome", ContactOutcome, name="contact_outcome_code"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display() or 'contact'} {self.date}"


class Diagnosis(models.Model):
    """A diagnosis: distance to work, participatieladder now and target, wage value."""

    diagnosis_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="diagnoses", verbose_name=_("klant")
    )
    date = models.DateField(_("datum"))
    months_to_work = models.PositiveSmallIntegerField(_("afstand tot werk (maanden)"), null=True, blank=True)
    ladder_step = models.PositiveSmallIntegerField(_("trede participatieladder"), null=True, blank=True)
    ladder_target = models.PositiveSmallIntegerField(_("doeltrede"), null=True, blank=True)
    wage_value_pct = models.DecimalField(
        _("loonwaarde (% WML)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    assessed_by = models.CharField(
        _("vastgesteld door"), max_length=10, choices=AssessedBy.choices, blank=True
    )
    override_reason = models.TextField(_("reden afwijking van het instrument"), blank=True)
    # Trede's own diagnosis (issue: casework) adds the classification and its explanation.
    category = models.CharField(_("categorie"), max_length=2, choices=Category.choices, blank=True)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices, blank=True)
    client_group = models.CharField(_("klantgroep"), max_length=24, choices=ClientGroup.choices, blank=True)
    questionnaire = models.ForeignKey(
        "casework.Questionnaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnoses",
        verbose_name=_("vragenlijst"),
    )
    tool_result = models.JSONField(
        _("uitkomst van het instrument"),
        default=dict,
        blank=True,
        help_text=_("Wat het diagnose-instrument berekende, met de antwoorden die de uitkomst bepaalden."),
    )
    is_override = models.BooleanField(_("afwijking van het instrument"), default=False)
    overridden_fields = models.JSONField(_("aangepaste onderdelen"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door (gebruiker)"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diagnose")
        verbose_name_plural = _("diagnoses")
        ordering = ["client_id", "date", "diagnosis_id"]
        indexes = [models.Index(fields=["client", "date"], name="diagnosis_client_date_idx")]
        constraints = [
            range_constraint("months_to_work", 0, 120, name="diagnosis_months_to_work_range"),
            range_constraint("ladder_step", 1, 6, name="diagnosis_ladder_step_range"),
            range_constraint("ladder_target", 1, 6, name="diagnosis_ladder_target_range"),
            range_constraint("wage_value_pct", 0, 100, name="diagnosis_wage_value_range"),
            choice_constraint("assessed_by", AssessedBy, name="diagnosis_assessed_by_code"),
            choice_constraint("category", Category, name="diagnosis_category_code"),
            choice_constraint("route", Route, name="diagnosis_route_code"),
            choice_constraint("client_group", ClientGroup, name="diagnosis_client_group_code"),
            # An override of the tool needs a reason (seed 001: "de tool is niet leidend").
            models.CheckConstraint(
                condition=models.Q(is_override=False) | ~models.Q(override_reason=""),
                name="diagnosis_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"diagnose {self.diagnosis_id} ({self.date})"
