"""Main-navigation items of the plan screens (imported from CaseworkConfig.ready())."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Mijn plan", url_name="casework:my_plan", permission=perms.OWN_PLAN_READ, order=5)
