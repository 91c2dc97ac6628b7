"""Contact moments with a client."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned, SubmissionKeyed
from trede.utils.models import choice_constraint

from ..constants import ContactKind, ContactOutcome


class Contact(LockVersioned, SubmissionKeyed, models.Model):
    """A contact moment with a client."""

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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["client_id", "date"]
        indexes = [models.Index(fields=["client", "date"], name="contact_client_date_idx")]
        constraints = [
            choice_constraint("kind", ContactKind, name="contact_kind_code"),
            choice_constraint("outcome", ContactOutcome, name="contact_outcome_code"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display() or 'contact'} {self.date}"
