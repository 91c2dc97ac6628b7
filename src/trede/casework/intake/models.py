"""Models of the intake: the melding/aanvraag, the questionnaire, the diagnosis and
the route decision that follows it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint, range_constraint

from ..constants import (
    ApplicationKind,
    ApplicationStatus,
    AssessedBy,
    Category,
    ClientGroup,
    Route,
)


class Diagnosis(LockVersioned, SubmissionKeyed, models.Model):
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


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Application(SubmissionKeyed, models.Model):
    """A melding or aanvraag: where the intake of a (new) applicant starts."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="applications", verbose_name=_("klant")
    )
    kind = models.CharField(
        _("soort"), max_length=10, choices=ApplicationKind.choices, default=ApplicationKind.MELDING
    )
    received_on = models.DateField(_("ontvangen op"))
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.NIEUW
    )
    consultant = models.ForeignKey(
        "casework.Consultant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("consulent"),
    )
    note = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    created_at = models.DateTimeField(_("geregistreerd"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("melding of aanvraag")
        verbose_name_plural = _("meldingen en aanvragen")
        ordering = ["-received_on", "-id"]
        constraints = [
            choice_constraint("kind", ApplicationKind, name="application_kind_code", blank=False),
            choice_constraint("status", ApplicationStatus, name="application_status_code", blank=False),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client_id} ({self.received_on})"


class Questionnaire(models.Model):
    """The intake questionnaire over the life domains; the applicant may fill it in online
    first (self-service link), the consultant completes it in the intake conversation."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="questionnaires", verbose_name=_("klant")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("melding of aanvraag"),
    )
    answers = models.JSONField(_("antwoorden"), default=dict, blank=True)
    token = models.CharField(_("code zelfinvullink"), max_length=64, unique=True, default=new_token)
    token_valid_until = models.DateTimeField(_("link geldig tot"), null=True, blank=True)
    submitted_by_client_at = models.DateTimeField(_("ingevuld door inwoner"), null=True, blank=True)
    completed_at = models.DateTimeField(_("afgerond met consulent"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgerond door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("vragenlijst")
        verbose_name_plural = _("vragenlijsten")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"vragenlijst {self.client_id} ({self.created_at:%Y-%m-%d})"


class RouteDecision(models.Model):
    """A dated, reasoned decision on a client's route, category and client group.

    Decisions are never overwritten: the current route is the latest decision.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="route_decisions", verbose_name=_("klant")
    )
    decided_on = models.DateField(_("ingangsdatum"))
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    # What the preset advised for the diagnosis; empty on decisions from before the advice
    # was recorded, and when the diagnosis had no distance to work to advise on.
    advised_route = models.CharField(
        _("geadviseerde route"), max_length=20, choices=Route.choices, blank=True
    )
    deviation_reason = models.TextField(_("reden afwijking van het advies"), blank=True)
    category = models.CharField(_("categorie"), max_length=2, choices=Category.choices, blank=True)
    client_group = models.CharField(_("klantgroep"), max_length=24, choices=ClientGroup.choices, blank=True)
    ladder_step = models.PositiveSmallIntegerField(_("trede"), null=True, blank=True)
    ladder_target = models.PositiveSmallIntegerField(_("doeltrede"), null=True, blank=True)
    diagnosis = models.ForeignKey(
        "casework.Diagnosis",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="route_decisions",
        verbose_name=_("diagnose"),
    )
    preset_key = models.CharField(_("beleid"), max_length=40, blank=True)
    reason = models.TextField(_("reden"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("routebesluit")
        verbose_name_plural = _("routebesluiten")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["client", "decided_on"], name="route_client_date_idx")]
        constraints = [
            choice_constraint("route", Route, name="route_decision_route_code", blank=False),
            choice_constraint("category", Category, name="route_decision_category_code"),
            choice_constraint("client_group", ClientGroup, name="route_decision_group_code"),
            models.CheckConstraint(condition=~Q(reason=""), name="route_decision_has_reason"),
            choice_constraint("advised_route", Route, name="route_decision_advised_code"),
            # Choosing another route than the advice needs its own reason.
            models.CheckConstraint(
                condition=Q(advised_route="") | Q(route=F("advised_route")) | ~Q(deviation_reason=""),
                name="route_decision_deviation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.get_route_display()} vanaf {self.decided_on}"

    @property
    def deviates(self) -> bool:
        """The consultant chose another route than the preset advised."""
        return bool(self.advised_route) and self.route != self.advised_route
