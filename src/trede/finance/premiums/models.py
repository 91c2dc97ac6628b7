"""One part of a premium on its way to payment: proposed, checked by one employee,
approved (and so paid) by another, or rejected with a reason.

Re-exported from `trede.finance.models`, so the app label is `finance`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from trede.utils.concurrency import SubmissionKeyed
from trede.utils.models import choice_constraint

from ..constants import Funding


class PremiumStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("voorgesteld")
    GECONTROLEERD = "gecontroleerd", _("gecontroleerd")
    BETAALD = "betaald", _("goedgekeurd en betaald")
    AFGEWEZEN = "afgewezen", _("afgewezen")


def _user(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class PremiumPart(SubmissionKeyed, models.Model):
    """A part of a premium scheme for one person. Paid once: per client, scheme and part
    (a monthly scheme such as the werkpremie: per client, scheme and `period`, the month)
    at most one row that is not rejected (unique in the database), so a rerun of the
    eligibility never proposes a part that is on its way or paid."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="premium_parts", verbose_name=_("klant")
    )
    scheme = models.CharField(_("regeling"), max_length=40)
    scheme_name = models.CharField(_("naam regeling"), max_length=100)
    part = models.PositiveSmallIntegerField(_("deel"))
    # A monthly scheme (werkpremie, decision 73): the first day of the calendar month this
    # part pays for; empty for a part after outflow (uitstroompremie).
    period = models.DateField(_("maand"), null=True, blank=True)
    outflow_date = models.DateField(_("uitstroom op"), null=True, blank=True)
    due_date = models.DateField(_("verdiend op"))
    trajectory = models.ForeignKey(
        "instruments.Trajectory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="premium_parts",
        verbose_name=_("traject waaraan werd deelgenomen"),
    )
    benefit = models.ForeignKey(
        "benefits.Benefit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="premium_parts",
        verbose_name=_("uitkering die eindigde"),
    )
    amount_eur = models.DecimalField(_("bedrag (EUR)"), max_digits=10, decimal_places=2)
    funding = models.CharField(_("financiering"), max_length=24, choices=Funding.choices, blank=True)
    line = models.CharField(_("begrotingspost"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PremiumStatus.choices, default=PremiumStatus.VOORGESTELD
    )
    proposed_by = _user(_("voorgesteld door"))
    proposed_at = models.DateTimeField(_("voorgesteld op"))
    checked_by = _user(_("gecontroleerd door"))
    checked_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    approved_by = _user(_("goedgekeurd door"))
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    rejected_by = _user(_("afgewezen door"))
    rejected_at = models.DateTimeField(_("afgewezen op"), null=True, blank=True)
    rejection_reason = models.CharField(_("reden van afwijzing"), max_length=500, blank=True)
    payment = models.OneToOneField(
        "finance.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="premium_part",
        verbose_name=_("betaling"),
    )

    class Meta:
        verbose_name = _("premiedeel")
        verbose_name_plural = _("premiedelen")
        ordering = ["due_date", "client_id", "scheme", "part"]
        indexes = [models.Index(fields=["status", "due_date"], name="premium_status_due_idx")]
        constraints = [
            choice_constraint("status", PremiumStatus, name="premium_status_code", blank=False),
            choice_constraint("funding", Funding, name="premium_funding_code"),
            # Paid once: one live row per client, scheme and part (a rejected one frees it);
            # for a monthly scheme one per client, scheme and month.
            models.UniqueConstraint(
                fields=["client", "scheme", "part"],
                condition=~Q(status=PremiumStatus.AFGEWEZEN) & Q(period__isnull=True),
                name="premium_part_once",
            ),
            models.UniqueConstraint(
                fields=["client", "scheme", "period"],
                condition=~Q(status=PremiumStatus.AFGEWEZEN) & Q(period__isnull=False),
                name="premium_month_once",
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=True) | Q(period__day=1), name="premium_period_first_of_month"
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=False) | Q(outflow_date__isnull=False),
                name="premium_outflow_or_month",
            ),
            models.CheckConstraint(condition=Q(part__gte=1), name="premium_part_from_one"),
            models.CheckConstraint(condition=Q(amount_eur__gte=0), name="premium_amount_not_negative"),
            # Four eyes, in the database as well: who approves neither checked nor proposed.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("checked_by")),
                name="premium_approver_is_not_checker",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="premium_approver_is_not_proposer",
            ),
            models.CheckConstraint(
                condition=~Q(status=PremiumStatus.BETAALD)
                | (Q(checked_by__isnull=False) & Q(approved_by__isnull=False) & Q(payment__isnull=False)),
                name="premium_paid_after_check_and_approval",
            ),
            models.CheckConstraint(
                condition=~Q(status=PremiumStatus.AFGEWEZEN) | ~Q(rejection_reason=""),
                name="premium_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_name} {self.part_label} {self.client_id}"

    @property
    def part_label(self) -> str:
        """'deel 2', or for a monthly part the month ('maand maart 2025')."""
        if self.period is None:
            return f"deel {self.part}"
        from trede.portal.formatting import MONTHS

        return f"maand {MONTHS[self.period.month - 1]} {self.period.year}"

    @property
    def number(self) -> str:
        return f"PR{self.pk:05d}"

    @property
    def planned_payment_id(self) -> str:
        """The finance Payment's id (`payment_id` once paid): deterministic, so a retry
        cannot book it twice."""
        return f"TREDE-PREMIE-{self.pk}"
