from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "trede.instruments"
    label = "instruments"
    verbose_name = _("Instrumenten en aanbieders")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Main-navigation items of the catalogue and claim screens (registered on import).
        from .catalogue import navigation as _catalogue  # noqa: F401
        from .claims import navigation as _claims  # noqa: F401
        from .referrals import navigation as _referrals  # noqa: F401
