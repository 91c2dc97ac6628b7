"""Payments and budgets (interchange version 2: payments.csv, budgets.csv)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trede.utils.concurrency import SubmissionKeyed
from trede.utils.models import choice_constraint

from .constants import CeilingMeasure, Funding, OverrideSubject, PaymentKind


class Payment(models.Model):
    """One payment or recovery (a negative amount), booked on a date."""

    payment_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="payments", verbose_name=_("klant")
    )
    date = models.DateField(_("boekdatum"))
    amount_eur = models.DecimalField(_("bedrag (EUR)"), max_digits=12, decimal_places=2)
    kind = models.CharField(_("soort"), max_length=20, choices=PaymentKind.choices, blank=True)
    funding = models.CharField(_("financiering"), max_length=24, choices=Funding.choices, blank=True)
    line = models.CharField(_("begrotingspost"), max_length=100, blank=True)
    benefit = models.ForeignKey(
        "benefits.Benefit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("uitkering"),
    )
    trajectory = models.ForeignKey(
        "instruments.Trajectory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("traject"),
    )
    placement = models.ForeignKey(
        "employers.Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("plaatsing"),
    )

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["date", "payment_id"]
        indexes = [models.Index(fields=["date", "funding"], name="payment_date_funding_idx")]
        constraints = [
            choice_constraint("kind", PaymentKind, name="payment_kind_code"),
            choice_constraint("funding", Funding, name="payment_funding_code"),
        ]

    def __str__(self) -> str:
        return f"betaling {self.payment_id}"


class Budget(models.Model):
    """The budget of one line in one year."""

    budget_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    year = models.PositiveSmallIntegerField(_("jaar"))
    line = models.CharField(_("begrotingspost"), max_length=100)
    funding = models.CharField(_("financiering"), max_length=24, choices=Funding.choices, blank=True)
    amount_eur = models.DecimalField(_("bedrag (EUR)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetten")
        ordering = ["year", "line", "budget_id"]
        indexes = [models.Index(fields=["year", "line"], name="budget_year_line_idx")]
        constraints = [
            choice_constraint("funding", Funding, name="budget_funding_code"),
            models.CheckConstraint(condition=models.Q(amount_eur__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}"


class CeilingOverride(models.Model):
    """A contract manager's decision to go beyond a ceiling, with the reason: kept as it
    was written (nothing in Trede changes or deletes it), next to its audit row."""

    contract = models.ForeignKey(
        "instruments.Contract",
        on_delete=models.PROTECT,
        related_name="ceiling_overrides",
        verbose_name=_("contract"),
    )
    claim = models.ForeignKey(
        "instruments.Claim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ceiling_overrides",
        verbose_name=_("declaratie"),
    )
    subject = models.CharField(_("handeling"), max_length=16, choices=OverrideSubject.choices)
    measure = models.CharField(_("plafond"), max_length=8, choices=CeilingMeasure.choices)
    use_before = models.DecimalField(_("gebruik ervoor"), max_digits=14, decimal_places=2)
    use_after = models.DecimalField(_("gebruik erna"), max_digits=14, decimal_places=2)
    ceiling = models.DecimalField(_("plafond"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reden"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("plafondoverschrijding")
        verbose_name_plural = _("plafondoverschrijdingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            choice_constraint("subject", OverrideSubject, name="ceiling_override_subject_code", blank=False),
            choice_constraint("measure", CeilingMeasure, name="ceiling_override_measure_code", blank=False),
            models.CheckConstraint(condition=~models.Q(reason=""), name="ceiling_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.subject} {self.created_at:%Y-%m-%d}"


class BudgetAllowance(SubmissionKeyed, models.Model):
    """Room beyond a budget line's budget in one year, allowed by a contract manager with a
    reason: kept as written (nothing in Trede changes or deletes it), next to its audit row.
    The budget itself is the council's (imported from budgets.csv, where a re-import would
    overwrite an edit), so going beyond it is this record, never a changed budget: the
    line's ceiling is its budget plus the allowances of that year (decision 55)."""

    year = models.PositiveSmallIntegerField(_("jaar"))
    line = models.CharField(_("begrotingspost"), max_length=100)
    funding = models.CharField(_("financiering"), max_length=24, choices=Funding.choices, blank=True)
    amount_eur = models.DecimalField(_("ruimte boven het budget (EUR)"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reden"), max_length=500)
    claim = models.ForeignKey(
        "instruments.Claim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_allowances",
        verbose_name=_("bij goedkeuring van declaratie"),
    )
    use_before = models.DecimalField(_("gebruik ervoor"), max_digits=14, decimal_places=2)
    ceiling_before = models.DecimalField(_("plafond ervoor"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("ruimte boven het budget")
        verbose_name_plural = _("ruimte boven het budget")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["year", "line", "funding"], name="allowance_year_line_idx")]
        constraints = [
            choice_constraint("funding", Funding, name="allowance_funding_code"),
            models.CheckConstraint(condition=models.Q(amount_eur__gt=0), name="allowance_amount_positive"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="allowance_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year} +{self.amount_eur}"


from .premiums.models import PremiumPart, PremiumStatus  # noqa: E402,F401 (the premiums subdomain's models)
