from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "trede.casework"
    label = "casework"
    verbose_name = _("Klantbegeleiding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Main-navigation items of the casework screens (registered on import).
        from .caseload import navigation as _caseload  # noqa: F401
        from .contacts import navigation as _contacts  # noqa: F401
        from .intake import navigation as _intake  # noqa: F401
        from .plans import navigation as _plans  # noqa: F401
        from .policy import navigation as _policy  # noqa: F401
