"""The "Wat werkt voor wie" item of the main navigation (registered from EvaluationsConfig.ready)."""

from __future__ import annotations

from trede.accounts.models import Role
from trede.portal.navigation import nav_item_add

# Policy staff and consultants see the effects; recommendations for a client additionally
# need the client in the user's client_scope (consultants and teamleiders only).
PAGE_ROLES = frozenset({Role.BELEID, Role.CONSULENT_WERK, Role.TEAMLEIDER, Role.BEHEERDER})
CLIENT_ROLES = frozenset({Role.CONSULENT_WERK, Role.TEAMLEIDER})
# Small cells for policy staff: trede.utils.disclosure (who: accounts.permissions).


def register() -> None:
    nav_item_add(label="Wat werkt voor wie", url_name="evaluations:index", roles=PAGE_ROLES, order=60)
