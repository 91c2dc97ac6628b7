"""The handhaving worklist in the main navigation (`permissions.HANDHAVING_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Handhaving", url_name="handhaving:list", permission=perms.HANDHAVING_READ, order=57)
