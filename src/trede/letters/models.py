"""Letter templates (one per kind, edited by the beheerder, every version kept) and the
letters made from them (the PDF itself, stored with the client's file)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trede.utils.concurrency import LockVersioned
from trede.utils.models import choice_constraint

from .kinds import LetterKind


class LetterTemplate(LockVersioned, models.Model):
    """The text of one letter kind. `version` counts the saved texts (1 is the shipped
    text, stored the first time it is used or edited); the history keeps every version."""

    kind = models.CharField(_("soort brief"), max_length=32, choices=LetterKind.choices, unique=True)
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"), max_length=20_000)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        ordering = ["kind"]
        constraints = [choice_constraint("kind", LetterKind, name="letter_template_kind_code", blank=False)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (versie {self.version})"


class SourceType(models.TextChoices):
    PLAN = "plan", _("plan van aanpak")
    MAATREGEL = "maatregel", _("handhavingsbesluit (maatregel, boete, waarschuwing, tegenprestatie)")
    # A decision of a handhavingszaak (trede.benefits.handhaving): the letter then also has
    # the amount, hours, motivation and bezwaar date that only the decision holds.
    BESLUIT = "besluit", _("besluit van een handhavingszaak")
    # The rechtmatigheidsonderzoek a client is due for (trede.benefits.onderzoek): the
    # invitation; its date, time and place are the consultant's (decision 169).
    ONDERZOEK = "onderzoek", _("rechtmatigheidsonderzoek (uitnodiging)")


class Letter(models.Model):
    """A letter as made: the PDF, from which template version, about what, by whom.

    Stored in the database with the client (CASCADE): when the client's file is destroyed
    under the retention rules, the letters go with it. Never changed afterwards; a changed
    source or template makes a new letter."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="letters", verbose_name=_("klant")
    )
    kind = models.CharField(_("soort brief"), max_length=32, choices=LetterKind.choices)
    source_type = models.CharField(_("over"), max_length=16, choices=SourceType.choices)
    source_id = models.CharField(_("nummer van de bron"), max_length=64)
    # A digest of the values the letter was made from (except those that follow from its
    # date): the same source, unchanged, with the same template versions on the same day
    # gives the same letter (a double submit), not a second one.
    source_digest = models.CharField(_("vingerafdruk van de gegevens"), max_length=64)
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="letters", verbose_name=_("sjabloon")
    )
    template_version = models.PositiveIntegerField(_("versie van het sjabloon"))
    letterhead_version = models.PositiveIntegerField(_("versie van het briefhoofd"))
    reference = models.CharField(_("kenmerk"), max_length=80)
    subject = models.CharField(_("onderwerp"), max_length=300)
    letter_date = models.DateField(_("datum van de brief"))
    fields_used = models.JSONField(_("gebruikte gegevens"), default=list)
    pdf = models.BinaryField(_("PDF"))
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemaakt door")
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        ordering = ["client_id", "-created_at", "-id"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="letter_source_idx")]
        constraints = [
            choice_constraint("kind", LetterKind, name="letter_kind_code", blank=False),
            choice_constraint("source_type", SourceType, name="letter_source_type_code", blank=False),
            models.UniqueConstraint(
                fields=[
                    "kind",
                    "source_type",
                    "source_id",
                    "template_version",
                    "letterhead_version",
                    "source_digest",
                    "letter_date",
                ],
                name="letter_once_per_source_and_version",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="letter_has_pdf"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} ({self.letter_date})"

    @property
    def number(self) -> str:
        return f"BR-{self.pk}"

    @property
    def filename(self) -> str:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in self.reference)
        return f"brief-{self.kind.replace('_', '-')}-{safe}-{self.pk}.pdf"
