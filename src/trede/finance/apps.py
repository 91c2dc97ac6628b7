from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "trede.finance"
    label = "finance"
    verbose_name = _("Betalingen en budgetten")
    default_auto_field = "django.db.models.BigAutoField"
