"""Main-navigation items of the worklist (imported from CaseworkConfig.ready())."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Werklijst", url_name="casework:worklist", permission=perms.WORKLIST_READ, order=15)
