"""The "Wat werkt voor wie" item of the main navigation (registered from EvaluationsConfig.ready).

Who sees the page, who gets advice for a client and whose counts hide small cells is
declared in `trede.accounts.permissions` (EFFECTS_READ, EFFECTS_CLIENT_ADVICE,
FIGURES_SUPPRESSED).
"""

from __future__ import annotations

from trede.accounts import permissions as perms
from trede.portal.navigation import nav_item_add


def register() -> None:
    nav_item_add(
        label="Wat werkt voor wie", url_name="evaluations:index", permission=perms.EFFECTS_READ, order=60
    )
