"""The append-only audit log: every read of a client file and every change.

Rows are never updated or deleted: the model and its queryset refuse it, and database
triggers refuse UPDATE and DELETE on both databases and TRUNCATE on PostgreSQL (see the
migrations and `trede.audit.triggers`), so the log also holds against raw SQL. Rows are
written through `trede.audit.logevent`, one function per documented event.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAppendOnly(Exception):
    """The audit log cannot be changed or deleted."""


class Action(models.TextChoices):
    READ = "read", _("ingezien")
    SEARCH = "search", _("gezocht")
    CREATE = "create", _("aangemaakt")
    UPDATE = "update", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    EXPORT = "export", _("geëxporteerd")
    DENIED = "denied", _("geweigerd")
    GRANT = "grant", _("toegang verleend")
    IMPORT = "import", _("ingelezen")
    LOGIN = "login", _("ingelogd")
    LOGIN_FAILED = "loginfail", _("inloggen mislukt")
    LOGOUT = "logout", _("uitgelogd")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditAppendOnly("Het auditlog kan niet worden gewijzigd.")

    def delete(self):
        raise AuditAppendOnly("Het auditlog kan niet worden verwijderd.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    # Copies, so the entry keeps its meaning when a user is renamed or changes role.
    username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    full_name = models.CharField(_("naam"), max_length=300, blank=True)
    role = models.CharField(_("rol"), max_length=20, blank=True)
    # The documented event (trede.audit.logevent.EVENTS); empty on rows from before the list.
    event = models.CharField(_("gebeurtenis"), max_length=60, blank=True)
    action = models.CharField(_("handeling"), max_length=10, choices=Action.choices)
    client_id = models.CharField(_("klantnummer"), max_length=64, blank=True, db_index=True)
    object_type = models.CharField(_("soort gegeven"), max_length=60, blank=True)
    object_id = models.CharField(_("nummer"), max_length=64, blank=True)
    section = models.CharField(_("onderdeel"), max_length=40, blank=True)
    purpose = models.CharField(_("doel"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client_id", "at"], name="audit_client_at_idx")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.client_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditAppendOnly("Het auditlog kan niet worden gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditAppendOnly("Het auditlog kan niet worden verwijderd.")
