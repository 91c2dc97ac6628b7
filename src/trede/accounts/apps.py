from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "trede.accounts"
    label = "accounts"
    verbose_name = _("Gebruikers en toegang")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trede.portal.navigation import nav_item_add

        from . import permissions as perms

        nav_item_add(
            label="Toegang", url_name="accounts:access_overview", permission=perms.ACCESS_OVERVIEW, order=85
        )
        nav_item_add(
            label="Applicatietokens", url_name="accounts:tokens", permission=perms.TOKENS_MANAGE, order=86
        )
