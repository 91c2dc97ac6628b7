"""Claims (declaraties) of providers and recoveries of the municipality, checked and
approved by two different municipal employees (four eyes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from trede.utils.concurrency import SubmissionKeyed
from trede.utils.models import choice_constraint

from ..constants import ClaimKind, ClaimStatus, LineKind


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class Claim(SubmissionKeyed, models.Model):
    """A set of due invoice lines of one provider: submitted, checked by one employee,
    approved (and so paid) by another, or rejected with a reason (its lines are due again)."""

    provider = models.ForeignKey(
        "instruments.Provider", on_delete=models.PROTECT, related_name="claims", verbose_name=_("aanbieder")
    )
    kind = models.CharField(
        _("soort"), max_length=16, choices=ClaimKind.choices, default=ClaimKind.DECLARATIE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.INGEDIEND
    )
    total_eur = models.DecimalField(_("totaal (EUR)"), max_digits=12, decimal_places=2)
    submitted_by = _user(_("ingediend door"))
    submitted_at = models.DateTimeField(_("ingediend op"))
    checked_by = _user(_("gecontroleerd door"))
    checked_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    approved_by = _user(_("goedgekeurd door"))
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    rejected_by = _user(_("afgewezen door"))
    rejected_at = models.DateTimeField(_("afgewezen op"), null=True, blank=True)
    rejection_reason = models.CharField(_("reden van afwijzing"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("declaratie")
        verbose_name_plural = _("declaraties")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["provider", "status"], name="claim_provider_status_idx")]
        constraints = [
            choice_constraint("kind", ClaimKind, name="claim_kind_code", blank=False),
            choice_constraint("status", ClaimStatus, name="claim_status_code", blank=False),
            # Four eyes, in the database as well: who approves did not check.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("checked_by")),
                name="claim_approver_is_not_checker",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.GOEDGEKEURD)
                | (Q(checked_by__isnull=False) & Q(approved_by__isnull=False)),
                name="claim_approved_after_check",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.AFGEWEZEN) | ~Q(rejection_reason=""),
                name="claim_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def number(self) -> str:
        prefix = "TV" if self.kind == ClaimKind.TERUGVORDERING else "D"
        return f"{prefix}{self.pk:05d}"


class ClaimLine(models.Model):
    """One invoice line on a claim, keyed by (trajectory, kind, seq): a line that is on a
    claim which was not rejected is on no other claim (unique in the database)."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="lines", verbose_name=_("declaratie")
    )
    trajectory = models.ForeignKey(
        "instruments.Trajectory",
        on_delete=models.PROTECT,
        related_name="claim_lines",
        verbose_name=_("traject"),
    )
    contract = models.ForeignKey(
        "instruments.Contract",
        on_delete=models.PROTECT,
        related_name="claim_lines",
        verbose_name=_("contract"),
    )
    kind = models.CharField(_("soort"), max_length=16, choices=LineKind.choices)
    # The instalment's month (1, 2, …), the number of a recovery (1, 2, …), else 0.
    seq = models.PositiveSmallIntegerField(_("volgnummer"), default=0)
    due_date = models.DateField(_("verschuldigd vanaf"))
    amount_eur = models.DecimalField(_("bedrag (EUR)"), max_digits=12, decimal_places=2)
    # Set when the claim is rejected: the line is due again and may go on a new claim.
    released = models.BooleanField(_("vrijgegeven na afwijzing"), default=False)

    class Meta:
        verbose_name = _("declaratieregel")
        verbose_name_plural = _("declaratieregels")
        ordering = ["trajectory_id", "due_date", "kind", "seq"]
        constraints = [
            choice_constraint("kind", LineKind, name="claim_line_kind_code", blank=False),
            models.UniqueConstraint(
                fields=["trajectory", "kind", "seq"],
                condition=Q(released=False),
                name="claim_line_once",
            ),
            models.CheckConstraint(
                condition=(Q(kind=LineKind.TERUGVORDERING) & Q(amount_eur__lt=0))
                | (~Q(kind=LineKind.TERUGVORDERING) & Q(amount_eur__gte=0)),
                name="claim_line_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.kind} {self.seq}"
