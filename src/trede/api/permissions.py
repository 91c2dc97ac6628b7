"""The one DRF permission class: it reads the `Permission` a view declares (from
`trede.accounts.permissions`, the one declaration) and applies it as the pages do.

A view names `permission` (every action) and may name `action_permissions` ({action:
Permission}, e.g. create). Not logged in: 401. A role without the permission: 403 with a
DENIED audit row (`permissions.refuse`, as `permission_required` on a page). An application
token (`request.auth` with `allows(permission)`, trede.accounts' token class) must allow it
too. The client itself is checked by the view (`client_scope`, `open_client`,
`object_in_scope`): 404 outside the relationships.
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from trede.accounts import permissions as perms
from trede.audit import logevent


def declared_permission(view) -> perms.Permission | None:
    by_action = getattr(view, "action_permissions", None) or {}
    action = getattr(view, "action", None)
    if action in by_action:
        return by_action[action]
    return getattr(view, "permission", None)


class DeclaredPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        perm = declared_permission(view)
        if perm is None:
            # Fail closed: an endpoint without a declaration is nobody's.
            raise exceptions.PermissionDenied("Voor deze aanroep is geen recht vastgelegd.")
        user = request.user
        if not getattr(user, "is_authenticated", False):
            raise exceptions.NotAuthenticated("Log in om de API te gebruiken.")
        purpose = getattr(view, "audit_purpose", "")
        if not perms.role_may(user, perm):
            raise perms.refuse(user, perm, purpose=purpose)
        auth = request.auth
        allows = getattr(auth, "allows", None)
        if auth is not None and callable(allows) and not allows(perm):
            logevent.access_denied(
                user, section=perm.section, purpose=purpose, reason=f"token zonder recht: {perm.name}"
            )
            raise exceptions.PermissionDenied(
                f"Dit token heeft geen recht om dit te doen: {perm.label[0].lower()}{perm.label[1:]}."
            )
        return True
