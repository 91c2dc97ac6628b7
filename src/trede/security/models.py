"""Marks of a demo database: which database and which accounts `trede demo` made.

A demo account (password "demo") may log in only when demo mode is on *and* the database
carries the demo mark; with demo mode off it is refused (trede/security/backends.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDatabase(models.Model):
    """One row: this database was filled by `trede demo` (its people are made up)."""

    marked_at = models.DateTimeField(_("gemarkeerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("demodatabase")
        verbose_name_plural = _("demodatabase")

    def __str__(self) -> str:
        return f"Demodatabase sinds {self.marked_at:%Y-%m-%d}"


class DemoAccount(models.Model):
    """A user made by `trede demo` with the public password "demo"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="demo_mark",
        verbose_name=_("gebruiker"),
    )

    class Meta:
        verbose_name = _("demo-account")
        verbose_name_plural = _("demo-accounts")

    def __str__(self) -> str:
        return str(self.user)
