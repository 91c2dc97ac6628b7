"""Main-navigation items of the worklist (imported from CaseworkConfig.ready())."""

from trede.accounts.models import Role
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Werklijst", url_name="casework:worklist", roles={Role.CONSULENT_WERK, Role.TEAMLEIDER}, order=15
)
