"""Main-navigation items of the caseload screens (imported from CaseworkConfig.ready())."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Caseload en verdeling",
    url_name="casework:caseload_balance",
    permission=perms.CASELOAD_BALANCE,
    order=30,
)
nav_item_add(label="Uitvoering", url_name="casework:execution", permission=perms.EXECUTION_READ, order=31)
