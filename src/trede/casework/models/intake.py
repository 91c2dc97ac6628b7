import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.models import choice_constraint

from ..constants import ApplicationKind, ApplicationStatus


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Application(models.Model):
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
