"""The budget page in the main navigation (`permissions.BUDGET_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Budget", url_name="finance:budget", permission=perms.BUDGET_READ, order=58)
