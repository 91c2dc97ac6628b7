from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "trede.evaluations"
    label = "evaluations"
    verbose_name = _("Wat werkt voor wie")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # "Wat werkt voor wie" in the main navigation, for the roles that may see it.
        from . import navigation

        navigation.register()
