"""The letter templates in the main navigation (`permissions.LETTER_TEMPLATES_EDIT`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Briefsjablonen", url_name="letters:templates", permission=perms.LETTER_TEMPLATES_EDIT, order=90
)
