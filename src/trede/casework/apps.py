from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "trede.casework"
    label = "casework"
    verbose_name = _("Klantbegeleiding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Main-navigation items of the casework screens (registered on import).
        from . import navigation_intake, navigation_plans  # noqa: F401
