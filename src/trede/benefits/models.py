from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.models import PeriodQuerySet, choice_constraint, ends_after_start

from .constants import EndReason, MeasureKind, Regulation


class Benefit(models.Model):
    """A benefit episode (uitkering). `end_date` is the first day WITHOUT benefit."""

    benefit_id = models.CharField(_("uitkeringsnummer"), max_length=64, primary_key=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="benefits", verbose_name=_("klant")
    )
    regulation = models.CharField(_("regeling"), max_length=4, choices=Regulation.choices, blank=True)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum (eerste dag zonder uitkering)"), null=True, blank=True)
    end_reason = models.CharField(
        _("reden beëindiging"), max_length=16, choices=EndReason.choices, blank=True
    )

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uitkering")
        verbose_name_plural = _("uitkeringen")
        ordering = ["client_id", "start_date", "benefit_id"]
        indexes = [
            # The monitor's spell query partitions by client and orders by start date.
            models.Index(fields=["regulation", "client", "start_date"], name="benefit_spell_idx"),
            models.Index(fields=["start_date"], name="benefit_start_idx"),
            models.Index(fields=["end_date"], name="benefit_end_idx"),
        ]
        constraints = [
            choice_constraint("regulation", Regulation, name="benefit_regulation_code"),
            choice_constraint("end_reason", EndReason, name="benefit_end_reason_code"),
            ends_after_start("start_date", "end_date", name="benefit_end_after_start"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | ~Q(end_reason=""), name="benefit_ended_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_regulation_display()} {self.benefit_id}"


class Measure(models.Model):
    """Handhaving: a warning, fine, maatregel (cut in benefit) or tegenprestatie."""

    measure_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="measures", verbose_name=_("klant")
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("soort"), max_length=16, choices=MeasureKind.choices, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    percentage = models.DecimalField(_("percentage"), max_digits=6, decimal_places=2, null=True, blank=True)
    months = models.DecimalField(_("maanden"), max_digits=6, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("maatregel of handhavingsbesluit")
        verbose_name_plural = _("handhaving")
        ordering = ["client_id", "date"]
        indexes = [models.Index(fields=["client", "date"], name="measure_client_date_idx")]
        constraints = [choice_constraint("kind", MeasureKind, name="measure_kind_code")]

    def __str__(self) -> str:
        return f"{self.get_kind_display() or self.measure_id} {self.date}"


from .handhaving.models import Besluit, Handhavingszaak, Horen  # noqa: E402,F401 (the handhaving subdomain's models)
from .onderzoek.models import Outcome, Rechtmatigheidsonderzoek  # noqa: E402,F401 (the onderzoek subdomain's models)
