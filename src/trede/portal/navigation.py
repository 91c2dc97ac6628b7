"""The main navigation, shared by all apps.

Another app adds its screen in its `AppConfig.ready()`, with the permission that guards it
(from `trede.accounts.permissions`, the one declaration of who may do what):

    from trede.accounts import permissions as perms
    from trede.portal.navigation import nav_item_add
    nav_item_add(label="Mijn klanten", url_name="clients:caseload", permission=perms.CASELOAD_READ)

An item is shown when `role_may` says the user's role may do it. Its URL must resolve: a
wrong URL name is an error on every page, not a silently missing item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from trede.accounts.permissions import Permission, role_may


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: Permission | None = None  # None: every logged-in user
    staff_only: bool = False
    order: int = 50


_ITEMS: list[NavItem] = [
    NavItem(label="Start", url_name="portal:home", order=0),
    NavItem(label="Beheer", url_name="admin:index", staff_only=True, order=100),
]


def nav_item_add(
    *,
    label: str,
    url_name: str,
    permission: Permission | None = None,
    staff_only: bool = False,
    order: int = 50,
) -> None:
    """Add (or replace, by url_name) an item of the main navigation."""
    item = NavItem(label=label, url_name=url_name, permission=permission, staff_only=staff_only, order=order)
    _ITEMS[:] = [i for i in _ITEMS if i.url_name != url_name] + [item]


def nav_items_for(user, current_view: str | None = None) -> list[dict]:
    """The items this user may see, with their URL and whether it is the current page."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        if item.permission is not None and not role_may(user, item.permission):
            continue
        if item.staff_only and not user.is_staff:
            continue
        # A registered item that does not resolve is a bug: raise rather than hide the page.
        url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "current": item.url_name == current_view})
    return items
