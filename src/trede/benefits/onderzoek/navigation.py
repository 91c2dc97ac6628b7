"""The rechtmatigheid page in the main navigation (`permissions.ONDERZOEK_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Rechtmatigheid", url_name="onderzoek:list", permission=perms.ONDERZOEK_READ, order=56)
