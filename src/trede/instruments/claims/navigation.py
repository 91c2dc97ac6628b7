"""The claim screens in the main navigation: the provider's 'Declaraties' and the
municipality's claims to check and approve (`permissions.CLAIM_SUBMIT`, `CLAIM_CHECK`)."""

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add

nav_item_add(
    label="Declaraties", url_name="instruments:provider_claims", permission=perms.CLAIM_SUBMIT, order=56
)
nav_item_add(label="Declaraties", url_name="instruments:claims", permission=perms.CLAIM_CHECK, order=57)
