"""Referrals (verwijzingen): what the consultant asked of a provider for one trajectory, and
what the provider reported back: intake, start or no-show, progress reports on a schedule,
the end with the result, and the consultant's confirmation or dispute of that result.

The facts the interchange knows stay on `Trajectory` (referral, start, planned end, end,
result); a referral adds what only Trede's referral flow has. The trajectory's `result`
becomes final only when the consultant confirms an end report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint

from ..constants import NoShowReason, ReviewStatus, TrajectoryResult

NOTE_MAX = 1000
GOAL_MAX = 500
REPORT_MAX = 2000


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class Referral(LockVersioned, SubmissionKeyed, models.Model):
    """A consultant's referral of a client to an instrument at a provider (one trajectory)."""

    trajectory = models.OneToOneField(
        "instruments.Trajectory",
        on_delete=models.CASCADE,
        related_name="referral",
        verbose_name=_("traject"),
    )
    goal = models.CharField(_("doel van de verwijzing"), max_length=GOAL_MAX)
    # The only free text the provider sees of the client's file: the consultant decides
    # what the provider needs to know (no health or debt details beyond this).
    note_for_provider = models.TextField(_("toelichting voor de aanbieder"), max_length=NOTE_MAX, blank=True)
    referred_by = _user(_("verwezen door"))
    referred_at = models.DateTimeField(_("verwezen op"))
    intake_date = models.DateField(_("intakedatum"), null=True, blank=True)
    no_show_reason = models.CharField(
        _("reden niet gestart"), max_length=20, choices=NoShowReason.choices, blank=True
    )
    no_show_note = models.CharField(_("toelichting niet gestart"), max_length=300, blank=True)
    no_show_on = models.DateField(_("niet gestart gemeld op"), null=True, blank=True)
    # The consultant has acted on the no-show: it leaves the worklist.
    no_show_handled_by = _user(_("no-show afgehandeld door"))
    no_show_handled_at = models.DateTimeField(_("no-show afgehandeld op"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-referred_at", "-pk"]
        constraints = [
            choice_constraint("no_show_reason", NoShowReason, name="referral_no_show_reason_code"),
            # A no-show has its date, and its date only comes with a reason.
            models.CheckConstraint(
                condition=(Q(no_show_reason="") & Q(no_show_on__isnull=True))
                | (~Q(no_show_reason="") & Q(no_show_on__isnull=False)),
                name="referral_no_show_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"verwijzing {self.trajectory_id}"

    @property
    def is_no_show(self) -> bool:
        return bool(self.no_show_reason)


class ProgressReport(SubmissionKeyed, models.Model):
    """A provider's progress report: number n is due n × the preset's interval after the
    start. Never changed; one per number."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("verwijzing")
    )
    number = models.PositiveSmallIntegerField(_("rapportage nummer"))
    due_date = models.DateField(_("verwacht op"))
    text = models.TextField(_("voortgang"), max_length=REPORT_MAX)
    on_track = models.BooleanField(_("op koers"))
    reported_by = _user(_("gerapporteerd door"))
    reported_at = models.DateTimeField(_("gerapporteerd op"))

    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        ordering = ["referral_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "number"], name="progress_report_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="progress_report_number_positive"),
        ]

    def __str__(self) -> str:
        return f"rapportage {self.number} van {self.referral_id}"


class EndReport(SubmissionKeyed, models.Model):
    """The provider's report of the end: the end date, the result and whether the
    instrument's success criterion was met. The consultant confirms it (only then is the
    trajectory's result final) or disputes it with a reason; a disputed report stays as it
    was and the provider sends a corrected one (`corrects`)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="end_reports", verbose_name=_("verwijzing")
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("correctie van"),
    )
    end_date = models.DateField(_("einddatum"))
    result = models.CharField(_("resultaat"), max_length=20, choices=TrajectoryResult.choices)
    criterion_met = models.BooleanField(_("succescriterium gehaald"))
    # The criterion as it read when the report was made (the catalogue may change later).
    criterion = models.CharField(_("succescriterium"), max_length=300, blank=True)
    note = models.TextField(_("toelichting"), max_length=NOTE_MAX, blank=True)
    reported_by = _user(_("gemeld door"))
    reported_at = models.DateTimeField(_("gemeld op"))
    review = models.CharField(
        _("beoordeling"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    reviewed_by = _user(_("beoordeeld door"))
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    dispute_reason = models.CharField(_("reden van betwisting"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        verbose_name = _("eindrapportage")
        verbose_name_plural = _("eindrapportages")
        ordering = ["referral_id", "reported_at", "pk"]
        constraints = [
            choice_constraint("result", TrajectoryResult, name="end_report_result_code", blank=False),
            choice_constraint("review", ReviewStatus, name="end_report_review_code", blank=False),
            models.CheckConstraint(condition=~Q(result=TrajectoryResult.LOPEND), name="end_report_is_an_end"),
            models.CheckConstraint(
                condition=~Q(review=ReviewStatus.BETWIST) | ~Q(dispute_reason=""),
                name="end_report_dispute_has_reason",
            ),
            # At most one report of a referral waits for the consultant or stands confirmed.
            models.UniqueConstraint(
                fields=["referral"],
                condition=~Q(review=ReviewStatus.BETWIST),
                name="end_report_one_standing",
            ),
        ]

    def __str__(self) -> str:
        return f"eindrapportage {self.pk} van {self.referral_id}"
