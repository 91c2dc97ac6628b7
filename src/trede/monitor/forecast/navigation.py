"""The forecast page in the main navigation (`permissions.FORECAST_READ`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(label="Prognose", url_name="forecast:index", permission=perms.FORECAST_READ, order=58)
