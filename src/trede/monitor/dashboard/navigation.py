"""The monitor dashboard in the main navigation (`permissions.DASHBOARD_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Monitor", url_name="dashboard:index", permission=perms.DASHBOARD_READ, order=57)
