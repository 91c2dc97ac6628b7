from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "trede.clients"
    label = "clients"
    verbose_name = _("Klanten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The hub's items in the main navigation ("Mijn klanten", "Zoeken").
        from . import navigation

        navigation.register()
