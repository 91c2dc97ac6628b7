"""The premiums page in the main navigation (`permissions.PREMIUM_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Premies", url_name="premiums:list", permission=perms.PREMIUM_READ, order=58)
