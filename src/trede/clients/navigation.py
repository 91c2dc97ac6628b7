"""The client hub's items in the main navigation (registered from ClientsConfig.ready)."""

from __future__ import annotations

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add


def register() -> None:
    nav_item_add(label="Mijn klanten", url_name="clients:caseload", permission=perms.CASELOAD_READ, order=10)
    nav_item_add(label="Zoeken", url_name="clients:search", permission=perms.CLIENT_SEARCH, order=20)
