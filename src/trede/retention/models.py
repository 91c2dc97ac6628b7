"""Retention periods per record type, destruction runs (proposed by one person, approved by
another) and the destruction log, which holds no personal data.

`DestructionRun` is the log: record type, period, cut-off, who proposed, who approved or
rejected, when, and the number of rows destroyed per table (`counts`). The clients a run
proposes are `DestructionItem` rows, which point to the client and are destroyed with it
(or removed when the run is rejected), so after a run no client number is left in it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.models import choice_constraint

from .constants import MAX_YEARS, MIN_YEARS, RecordType, RunStatus


class RetentionPeriod(models.Model):
    """The retention period of one record type (editable by the beheerder, with history)."""

    record_type = models.CharField(
        _("soort gegevens"), max_length=20, choices=RecordType.choices, unique=True
    )
    years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))
    counted_from = models.CharField(_("gerekend vanaf"), max_length=300)
    basis = models.TextField(_("bron of reden"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")
        ordering = ["record_type"]
        constraints = [
            choice_constraint("record_type", RecordType, name="retention_period_type_code", blank=False),
            models.CheckConstraint(
                condition=Q(years__gte=MIN_YEARS) & Q(years__lte=MAX_YEARS), name="retention_period_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.years} jaar"


class DestructionRun(models.Model):
    """One destruction: proposed, then approved (and executed) or rejected. The row stays
    for good as the destruction log; it never holds a client number or a name."""

    record_type = models.CharField(_("soort gegevens"), max_length=20, choices=RecordType.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.VOORGESTELD
    )
    period_years = models.PositiveSmallIntegerField(_("bewaartermijn bij het voorstel (jaren)"))
    as_of = models.DateField(_("peildatum"))
    cutoff = models.DateField(
        _("vernietigen wat eindigde vóór"),
        null=True,
        blank=True,
        help_text=_("Voor het auditlog: regels van vóór deze dag."),
    )
    proposed_count = models.PositiveIntegerField(_("aantal voorgesteld"), default=0)
    destroyed_count = models.PositiveIntegerField(_("aantal vernietigd"), default=0)
    skipped_count = models.PositiveIntegerField(
        _("aantal overgeslagen"), default=0, help_text=_("Niet meer verlopen bij de uitvoering.")
    )
    counts = models.JSONField(_("verwijderde regels per tabel"), default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goedgekeurd of afgewezen door"),
    )
    decided_at = models.DateTimeField(_("goedgekeurd of afgewezen op"), null=True, blank=True)
    executed_at = models.DateTimeField(_("uitgevoerd op"), null=True, blank=True)
    reason = models.CharField(_("reden van afwijzen"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("vernietiging")
        verbose_name_plural = _("vernietigingslog")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            choice_constraint("record_type", RecordType, name="destruction_run_type_code", blank=False),
            choice_constraint("status", RunStatus, name="destruction_run_status_code", blank=False),
            # Four eyes, also in the database: who decides did not propose.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="destruction_run_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status=RunStatus.VOORGESTELD) | Q(decided_by__isnull=False),
                name="destruction_run_decided_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Vernietiging {self.pk} ({self.get_record_type_display()}, {self.get_status_display()})"


class DestructionItem(models.Model):
    """A client proposed in a run. Destroyed with the client (the foreign key makes it one
    of the client's rows), or removed when the run is rejected."""

    run = models.ForeignKey(DestructionRun, on_delete=models.CASCADE, related_name="items")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("voorgestelde klant")
        verbose_name_plural = _("voorgestelde klanten")
        constraints = [models.UniqueConstraint(fields=["run", "client"], name="destruction_item_once")]

    def __str__(self) -> str:
        return f"Vernietiging {self.run_id}: {self.client_id}"
