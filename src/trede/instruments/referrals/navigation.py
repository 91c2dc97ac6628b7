"""The referral screens in the main navigation: the provider's 'Deelnemers' and the
contract manager's signals (`permissions.PARTICIPANTS_READ`, `REFERRAL_SIGNALS`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Deelnemers", url_name="instruments:participants", permission=perms.PARTICIPANTS_READ, order=55
)
nav_item_add(
    label="Signalen aanbieders",
    url_name="instruments:referral_signals",
    permission=perms.REFERRAL_SIGNALS,
    order=58,
)
