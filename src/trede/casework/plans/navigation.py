"""Main-navigation items of the plan screens (imported from CaseworkConfig.ready())."""

from trede.accounts.models import Role
from trede.portal.navigation import nav_item_add

nav_item_add(label="Mijn plan", url_name="casework:my_plan", roles={Role.INWONER}, order=5)
