"""The council report page in the main navigation (`permissions.COUNCIL_REPORT`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Raadsrapportage", url_name="council:index", permission=perms.COUNCIL_REPORT, order=59)
