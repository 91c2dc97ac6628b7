"""Main-navigation items of the policy screens (imported from CaseworkConfig.ready())."""

from trede.accounts.models import Role
from trede.portal.navigation import nav_item_add

nav_item_add(label="Beleidsinstellingen", url_name="casework:preset_list", roles={Role.BEHEERDER}, order=90)
