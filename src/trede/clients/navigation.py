"""The client hub's items in the main navigation (registered from ClientsConfig.ready)."""

from __future__ import annotations

from trede.accounts.access import CLIENT_FILE_ROLES
from trede.accounts.models import Role
from trede.portal.navigation import nav_item_add

CASELOAD_ROLES = frozenset({Role.CONSULENT_WERK, Role.TEAMLEIDER})
# Everyone who works with client files searches; a resident only has their own file.
SEARCH_ROLES = frozenset(CLIENT_FILE_ROLES - {Role.INWONER})


def register() -> None:
    nav_item_add(label="Mijn klanten", url_name="clients:caseload", roles=CASELOAD_ROLES, order=10)
    nav_item_add(label="Zoeken", url_name="clients:search", roles=SEARCH_ROLES, order=20)
