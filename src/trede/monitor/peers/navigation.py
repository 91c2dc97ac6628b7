"""The comparison page in the main navigation (`permissions.PEERS_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Vergelijking", url_name="peers:index", permission=perms.PEERS_READ, order=59)
# The beheerder loads reference figures without reading the comparison.
nav_item_add(label="Referentiecijfers", url_name="peers:import", permission=perms.PEERS_IMPORT, order=91)
