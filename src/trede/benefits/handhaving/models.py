"""A handhavingszaak (signal to decision), its hearings and its decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint

from ..constants import MeasureKind
from . import rules


class Obligation(models.TextChoices):
    ARBEID = rules.ARBEID, _("arbeidsverplichting (art. 9 Pw)")
    INLICHTINGEN = rules.INLICHTINGEN, _("inlichtingenplicht (art. 17 Pw)")


class SignalKind(models.TextChoices):
    AFSPRAAK = "afspraak_gemist", _("niet verschenen op een afspraak")
    AANBOD = "aanbod_geweigerd", _("aanbod geweigerd (werk, traject of scholing)")
    INSPANNING = "onvoldoende_inspanning", _("onvoldoende meegewerkt aan re-integratie")
    INKOMSTEN = "inkomsten_niet_gemeld", _("inkomsten niet gemeld")
    WIJZIGING = "wijziging_niet_gemeld", _("andere wijziging niet gemeld (woonsituatie, vermogen)")


OBLIGATION_OF = {
    SignalKind.AFSPRAAK: Obligation.ARBEID,
    SignalKind.AANBOD: Obligation.ARBEID,
    SignalKind.INSPANNING: Obligation.ARBEID,
    SignalKind.INKOMSTEN: Obligation.INLICHTINGEN,
    SignalKind.WIJZIGING: Obligation.INLICHTINGEN,
}
# The verordening's category a signal suggests (the consultant chooses).
CATEGORY_HINT = {SignalKind.AFSPRAAK: "1", SignalKind.AANBOD: "2", SignalKind.INSPANNING: "2"}


class ZaakStatus(models.TextChoices):
    HOREN = "horen", _("wacht op horen")
    GEHOORD = "gehoord", _("gehoord, besluit nemen")
    TER_GOEDKEURING = "ter_goedkeuring", _("besluit ter goedkeuring")
    BESLOTEN = "besloten", _("besloten")
    AFGEZIEN = "afgezien", _("afgezien van een besluit")


class Verwijtbaarheid(models.TextChoices):
    OPZET = rules.OPZET, _("opzet")
    GROVE_SCHULD = rules.GROVE_SCHULD, _("grove schuld")
    VERWIJTBAAR = rules.VERWIJTBAAR, _("verwijtbaar")
    VERMINDERD = rules.VERMINDERD, _("verminderd verwijtbaar")
    GEEN = rules.GEEN, _("niet verwijtbaar")


class HearingForm(models.TextChoices):
    GESPREK = "gesprek", _("in een gesprek")
    SCHRIFTELIJK = "schriftelijk", _("schriftelijk")
    TELEFONISCH = "telefonisch", _("telefonisch")
    NIET_GEREAGEERD = "niet_gereageerd", _("uitgenodigd, niet gereageerd")


class BesluitStatus(models.TextChoices):
    TER_GOEDKEURING = "ter_goedkeuring", _("ter goedkeuring")
    DEFINITIEF = "definitief", _("definitief")
    AFGEWEZEN = "afgewezen", _("teruggestuurd")
    INGETROKKEN = "ingetrokken", _("ingetrokken")


def _user(label):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=label,
    )


class Handhavingszaak(LockVersioned, SubmissionKeyed, models.Model):
    """One signal and what follows from it. Corrected with a reason (the history keeps the
    first version); never deleted."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="handhavingszaken", verbose_name=_("klant")
    )
    signal_kind = models.CharField(_("signaal"), max_length=32, choices=SignalKind.choices)
    obligation = models.CharField(_("verplichting"), max_length=16, choices=Obligation.choices)
    signal_date = models.DateField(_("datum van de gedraging"))
    description = models.CharField(_("wat er gebeurde"), max_length=1000)
    benadelingsbedrag = models.DecimalField(
        _("benadelingsbedrag (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("stand"), max_length=16, choices=ZaakStatus.choices, default=ZaakStatus.HOREN)
    created_by = _user(_("signaal vastgelegd door"))
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    correction_reason = models.CharField(_("reden van de laatste correctie"), max_length=500, blank=True)
    closed_reason = models.CharField(_("reden van afzien"), max_length=1000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handhavingszaak")
        verbose_name_plural = _("handhavingszaken")
        ordering = ["client_id", "-signal_date", "-id"]
        indexes = [
            models.Index(fields=["client", "signal_date"], name="hh_zaak_client_date_idx"),
            models.Index(fields=["status"], name="hh_zaak_status_idx"),
        ]
        constraints = [
            choice_constraint("signal_kind", SignalKind, name="hh_zaak_signal_code", blank=False),
            choice_constraint("obligation", Obligation, name="hh_zaak_obligation_code", blank=False),
            choice_constraint("status", ZaakStatus, name="hh_zaak_status_code", blank=False),
            models.CheckConstraint(
                condition=Q(benadelingsbedrag__isnull=True) | Q(benadelingsbedrag__gte=0),
                name="hh_zaak_benadeling_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=ZaakStatus.AFGEZIEN) | ~Q(closed_reason=""),
                name="hh_zaak_afgezien_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Handhavingszaak {self.number}"

    @property
    def number(self) -> str:
        return f"HZ-{self.pk}"


class Horen(LockVersioned, SubmissionKeyed, models.Model):
    """The client heard before a decision (Awb 4:8): when, how and what they said."""

    zaak = models.ForeignKey(
        Handhavingszaak, on_delete=models.CASCADE, related_name="hearings", verbose_name=_("zaak")
    )
    held_on = models.DateField(_("gehoord op"))
    form = models.CharField(_("hoe"), max_length=16, choices=HearingForm.choices)
    statement = models.TextField(_("wat de klant zei"), max_length=4000, blank=True)
    recorded_by = _user(_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    correction_reason = models.CharField(_("reden van de laatste correctie"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("horen")
        verbose_name_plural = _("horen")
        ordering = ["zaak_id", "held_on", "id"]
        constraints = [
            choice_constraint("form", HearingForm, name="hh_horen_form_code", blank=False),
            models.CheckConstraint(
                condition=Q(form=HearingForm.NIET_GEREAGEERD) | ~Q(statement=""),
                name="hh_horen_has_statement",
            ),
        ]

    def __str__(self) -> str:
        return f"Horen {self.pk} ({self.held_on})"


class Besluit(SubmissionKeyed, models.Model):
    """A decision on a zaak: what, on which legal ground, how much, and by whom. Where the
    preset asks for four eyes it waits for a colleague's approval; final, it has its
    bezwaar deadline and its row in `Measure` (measures.csv). Everything a beschikking
    (the letter) needs is on this row."""

    zaak = models.ForeignKey(
        Handhavingszaak, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("zaak")
    )
    kind = models.CharField(_("soort besluit"), max_length=16, choices=MeasureKind.choices)
    legal_ground = models.CharField(_("wettelijke grondslag"), max_length=500)
    category = models.CharField(_("categorie gedraging"), max_length=16, blank=True)
    category_name = models.CharField(_("gedraging"), max_length=300, blank=True)
    offence = models.PositiveSmallIntegerField(_("hoeveelste keer"), null=True, blank=True)
    verwijtbaarheid = models.CharField(_("verwijtbaarheid"), max_length=16, choices=Verwijtbaarheid.choices)
    dringende_redenen = models.BooleanField(_("dringende redenen"), default=False)
    dringende_redenen_note = models.CharField(
        _("dringende redenen: toelichting"), max_length=1000, blank=True
    )
    motivation = models.TextField(_("motivering"), max_length=4000)
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("maanden"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True)
    benadelingsbedrag = models.DecimalField(
        _("benadelingsbedrag (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_eur = models.DecimalField(
        _("boete (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    four_eyes = models.BooleanField(_("vier ogen"), default=False)
    status = models.CharField(_("stand"), max_length=16, choices=BesluitStatus.choices)
    proposed_by = _user(_("besloten door"))
    proposed_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    approved_by = _user(_("goedgekeurd door"))
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    rejected_by = _user(_("teruggestuurd door"))
    rejection_reason = models.CharField(_("reden van terugsturen"), max_length=1000, blank=True)
    decided_on = models.DateField(_("datum besluit"), null=True, blank=True)
    bezwaar_deadline = models.DateField(_("bezwaar tot en met"), null=True, blank=True)
    # Withdrawal of a final decision (Awb: the college may withdraw its own decision, e.g.
    # a mistake found or on bezwaar): the row stays as it was, with who asked, why, and who
    # confirmed where the preset asks four eyes for the kind.
    withdrawal_requested_by = _user(_("intrekking voorgesteld door"))
    withdrawal_reason = models.CharField(_("reden van intrekking"), max_length=1000, blank=True)
    withdrawn_by = _user(_("ingetrokken door"))
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    measure = models.OneToOneField(
        "benefits.Measure",
        # A measure of a decision is not deleted on its own; deleting the client removes both.
        on_delete=models.RESTRICT,
        related_name="besluit",
        null=True,
        blank=True,
        verbose_name=_("handhavingsregel (measures.csv)"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handhavingsbesluit")
        verbose_name_plural = _("handhavingsbesluiten")
        ordering = ["zaak_id", "proposed_at", "id"]
        constraints = [
            choice_constraint("kind", MeasureKind, name="hh_besluit_kind_code", blank=False),
            choice_constraint("status", BesluitStatus, name="hh_besluit_status_code", blank=False),
            choice_constraint(
                "verwijtbaarheid", Verwijtbaarheid, name="hh_besluit_verwijt_code", blank=False
            ),
            # One live decision per zaak (a returned one may be followed by a new one).
            models.UniqueConstraint(
                fields=["zaak"],
                condition=~Q(status__in=[BesluitStatus.AFGEWEZEN, BesluitStatus.INGETROKKEN]),
                name="hh_besluit_one_live",
            ),
            # Four eyes, in the database as well: who approves did not decide.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="hh_besluit_approver_is_not_decider",
            ),
            models.CheckConstraint(
                condition=~Q(status=BesluitStatus.DEFINITIEF)
                | (
                    Q(decided_on__isnull=False) & Q(bezwaar_deadline__isnull=False) & Q(measure__isnull=False)
                ),
                name="hh_besluit_final_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status=BesluitStatus.DEFINITIEF, four_eyes=True) | Q(approved_by__isnull=False),
                name="hh_besluit_four_eyes_approved",
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | (Q(percentage__gt=0) & Q(percentage__lte=100)),
                name="hh_besluit_percentage_range",
            ),
            models.CheckConstraint(
                condition=~Q(status=BesluitStatus.INGETROKKEN)
                | (~Q(withdrawal_reason="") & Q(withdrawn_by__isnull=False) & Q(measure__isnull=True)),
                name="hh_besluit_withdrawn_is_complete",
            ),
            # Four eyes on a withdrawal as well: who confirms did not ask.
            models.CheckConstraint(
                condition=Q(withdrawal_requested_by__isnull=True)
                | Q(withdrawn_by__isnull=True)
                | ~Q(withdrawn_by=F("withdrawal_requested_by"))
                | Q(four_eyes=False),
                name="hh_besluit_withdrawal_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status=BesluitStatus.AFGEWEZEN) | ~Q(rejection_reason=""),
                name="hh_besluit_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.zaak.number})"

    @property
    def number(self) -> str:
        return f"HB-{self.pk}"

    @property
    def planned_measure_id(self) -> str:
        return f"TREDE-HH-{self.pk}"
