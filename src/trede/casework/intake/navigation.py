"""Main-navigation items of the intake screens (imported from CaseworkConfig.ready())."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Intake", url_name="casework:intake_list", permission=perms.INTAKE_LIST, order=12)
