"""Matching events in the main navigation (`permissions.MATCHEVENT_VIEW`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Bijeenkomsten", url_name="matchevents:list", permission=perms.MATCHEVENT_VIEW, order=46)
