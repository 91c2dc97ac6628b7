"""The bewaartermijnen page in the main navigation (`permissions.RETENTION_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Bewaartermijnen", url_name="retention:index", permission=perms.RETENTION_READ, order=92)
