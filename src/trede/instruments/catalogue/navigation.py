"""The catalogue's item of the main navigation (who sees it: `permissions.CATALOGUE_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Instrumenten", url_name="instruments:catalogue", permission=perms.CATALOGUE_READ, order=55
)
