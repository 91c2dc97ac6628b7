"""Main-navigation items of the plan, worklist, caseload and policy screens.

Imported from CaseworkConfig.ready(); importing registers the items.
"""

from trede.accounts.models import Role
from trede.portal.navigation import nav_item_add

nav_item_add(label="Mijn plan", url_name="casework:my_plan", roles={Role.INWONER}, order=5)
nav_item_add(
    label="Werklijst", url_name="casework:worklist", roles={Role.CONSULENT_WERK, Role.TEAMLEIDER}, order=15
)
nav_item_add(
    label="Caseload en verdeling",
    url_name="casework:caseload_balance",
    roles={Role.TEAMLEIDER, Role.BEHEERDER},
    order=30,
)
nav_item_add(label="Beleidsinstellingen", url_name="casework:preset_list", roles={Role.BEHEERDER}, order=90)
