"""Contact moments with a client."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint

from ..constants import ContactKind, ContactOutcome


class ContactQuerySet(models.QuerySet):
    def not_withdrawn(self):
        """The contact moments that count as contact (a withdrawn one stays on file, marked)."""
        return self.filter(withdrawn_at__isnull=True)


class Contact(LockVersioned, SubmissionKeyed, models.Model):
    """A contact moment with a client.

    Never silently changed: its author corrects it with a reason, or withdraws it with a
    reason; every earlier version stays in `history` (who, when, why).
    """

    contact_id = models.CharField(_("nummer"), max_length=64, primary_key=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("klant")
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("soort contact"), max_length=12, choices=ContactKind.choices, blank=True)
    consultant = models.ForeignKey(
        "casework.Consultant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("consulent"),
    )
    # Not in the interchange format: what Trede records when a consultant logs a contact.
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=ContactOutcome.choices, blank=True)
    note = models.TextField(_("verslag"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    # The latest correction (earlier ones, and what each changed, are in the history).
    corrected_at = models.DateTimeField(_("gecorrigeerd op"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gecorrigeerd door"),
    )
    correction_reason = models.CharField(_("reden van de correctie"), max_length=500, blank=True)
    # A withdrawn contact stays on file but no longer counts as contact.
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )
    withdrawal_reason = models.CharField(_("reden van het intrekken"), max_length=500, blank=True)

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["client_id", "date"]
        indexes = [models.Index(fields=["client", "date"], name="contact_client_date_idx")]
        constraints = [
            choice_constraint("kind", ContactKind, name="contact_kind_code"),
            choice_constraint("outcome", ContactOutcome, name="contact_outcome_code"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="contact_withdrawn_with_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(corrected_at__isnull=True) | ~models.Q(correction_reason=""),
                name="contact_corrected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display() or 'contact'} {self.date}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_corrected(self) -> bool:
        return self.corrected_at is not None
