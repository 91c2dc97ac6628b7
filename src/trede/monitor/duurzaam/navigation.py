"""Sustained outflow in the main navigation (`permissions.DURABILITY_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Duurzaamheid", url_name="duurzaam:index", permission=perms.DURABILITY_READ, order=59)
