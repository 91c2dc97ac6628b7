"""The algorithm register in the main navigation (`permissions.ALGORITHM_REGISTER`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Algoritmeregister", url_name="algorithms:index", permission=perms.ALGORITHM_REGISTER, order=94
)
