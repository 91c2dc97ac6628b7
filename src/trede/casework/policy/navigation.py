"""Main-navigation items of the policy screens (imported from CaseworkConfig.ready())."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Beleidsinstellingen", url_name="casework:preset_list", permission=perms.PRESET_EDIT, order=90
)
