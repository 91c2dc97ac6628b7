"""The research-export page in the main navigation (`permissions.RESEARCH_EXPORT`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Onderzoeksexport", url_name="research:index", permission=perms.RESEARCH_EXPORT, order=92)
