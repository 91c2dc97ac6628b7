"""Enforcement figures in the main navigation (`permissions.ENFORCEMENT_FIGURES`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Handhaving in cijfers",
    url_name="handhaving_cijfers:index",
    permission=perms.ENFORCEMENT_FIGURES,
    order=59,
)
