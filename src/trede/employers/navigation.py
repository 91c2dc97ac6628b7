"""The employer screens in the main navigation (`permissions.EMPLOYER_ACCOUNTS`,
`VOORDRACHT_CONSENT`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Werkgevers", url_name="employers:list", permission=perms.EMPLOYER_ACCOUNTS, order=45)
nav_item_add(
    label="Mijn voordrachten",
    url_name="employers:my_voordrachten",
    permission=perms.VOORDRACHT_CONSENT,
    order=40,
)
