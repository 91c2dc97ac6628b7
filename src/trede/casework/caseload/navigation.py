"""Main-navigation items of the caseload screens (imported from CaseworkConfig.ready())."""

from trede.accounts.models import Role
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Caseload en verdeling",
    url_name="casework:caseload_balance",
    roles={Role.TEAMLEIDER, Role.BEHEERDER},
    order=30,
)
