"""Main-navigation items of the intake screens (imported from CaseworkConfig.ready())."""

from trede.accounts.models import Role
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Intake", url_name="casework:intake_list", roles={Role.CONSULENT_WERK, Role.TEAMLEIDER}, order=12
)
