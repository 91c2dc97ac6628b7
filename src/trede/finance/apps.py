from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "trede.finance"
    label = "finance"
    verbose_name = _("Betalingen en budgetten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import navigation as _navigation  # noqa: F401  (registered on import)

        # The premiums page in the main navigation (registered on import).
        from .premiums import navigation as _premiums  # noqa: F401
