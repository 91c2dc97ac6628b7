from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "trede.instruments"
    label = "instruments"
    verbose_name = _("Instrumenten en aanbieders")
    default_auto_field = "django.db.models.BigAutoField"
