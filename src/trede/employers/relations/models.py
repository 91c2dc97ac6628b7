"""The relationship with an employer (issue 10 point 1): the contact persons, the
agreements (SROI, banenafspraak, PSO, a structural offer of werkstages) and the history of
contacts. Organisations and their staff, never clients: the accountmanager who owns the
account keeps them, corrections keep the earlier version in the history tables."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint, ends_after_start

from .constants import AgreementKind, MomentKind, PsoLevel


class EmployerContact(LockVersioned, SubmissionKeyed):
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("werkgever")
    )
    name = models.CharField(_("naam"), max_length=200)
    function = models.CharField(_("functie"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=40, blank=True)
    active = models.BooleanField(_("nog aanspreekpunt"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contactpersoon van een werkgever")
        verbose_name_plural = _("contactpersonen van werkgevers")
        ordering = ["employer_id", "-active", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.function})" if self.function else self.name


class EmployerAgreement(LockVersioned, SubmissionKeyed):
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="agreements", verbose_name=_("werkgever")
    )
    kind = models.CharField(_("soort afspraak"), max_length=16, choices=AgreementKind.choices)
    description = models.CharField(_("omschrijving"), max_length=500, blank=True)
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    target_jobs = models.PositiveIntegerField(_("afgesproken plaatsingen"), null=True, blank=True)
    sroi_amount = models.DecimalField(
        _("SROI-bedrag (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    pso_level = models.PositiveSmallIntegerField(
        _("PSO-niveau"), choices=PsoLevel.choices, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("afspraak met een werkgever")
        verbose_name_plural = _("afspraken met werkgevers")
        ordering = ["employer_id", "-start_date", "pk"]
        constraints = [
            choice_constraint("kind", AgreementKind, name="employeragreement_kind_valid"),
            ends_after_start("start_date", "end_date", name="employeragreement_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} vanaf {self.start_date:%d-%m-%Y}"


class EmployerContactMoment(LockVersioned, SubmissionKeyed):
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.CASCADE,
        related_name="contact_moments",
        verbose_name=_("werkgever"),
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("soort contact"), max_length=16, choices=MomentKind.choices)
    contact = models.ForeignKey(
        EmployerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moments",
        verbose_name=_("met"),
    )
    subject = models.CharField(_("onderwerp"), max_length=200)
    note = models.TextField(_("verslag"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    corrected_at = models.DateTimeField(_("gecorrigeerd op"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    correction_reason = models.CharField(_("reden van de correctie"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact met een werkgever")
        verbose_name_plural = _("contacten met werkgevers")
        ordering = ["employer_id", "-date", "-pk"]
        constraints = [choice_constraint("kind", MomentKind, name="employercontactmoment_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} op {self.date:%d-%m-%Y}: {self.subject}"
