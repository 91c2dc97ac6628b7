"""The chain attribution page in the main navigation (`permissions.CHAIN_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Ketenpartners", url_name="chain:index", permission=perms.CHAIN_READ, order=59)
