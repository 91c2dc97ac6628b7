from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One attempt to load an interchange folder, kept also when it was refused."""

    class Status(models.TextChoices):
        GESLAAGD = "geslaagd", _("geslaagd")
        GEWEIGERD = "geweigerd", _("geweigerd")

    started_at = models.DateTimeField(_("gestart"))
    finished_at = models.DateTimeField(_("klaar"))
    folder = models.CharField(_("map"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows_read = models.PositiveIntegerField(_("regels gelezen"), default=0)
    counts = models.JSONField(_("aantallen per bestand"), default=dict)
    error_count = models.PositiveIntegerField(_("fouten"), default=0)
    warning_count = models.PositiveIntegerField(_("waarschuwingen"), default=0)
    problems = models.TextField(_("eerste meldingen"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("gebruiker"),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.folder} ({self.get_status_display()}, {self.started_at:%Y-%m-%d %H:%M})"
