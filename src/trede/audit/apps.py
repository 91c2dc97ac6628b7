from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "trede.audit"
    label = "audit"
    verbose_name = _("Auditlog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trede.accounts import permissions as perms
        from trede.portal.navigation import nav_item_add

        from . import signals

        signals.connect()
        nav_item_add(label="Privacy", url_name="audit:index", permission=perms.AUDIT_REVIEW, order=80)
