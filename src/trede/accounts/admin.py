"""The technical management screens (/beheer/, beheerder only) must not be a back door:

- a role or rights change of a user is written to the audit log with who did it (the
  signal in `trede.audit.signals` catches every path; the admin names the actor);
- a waarneming (access to a colleague's client) is only granted through the consultant's
  own screen, with a reason and an audit row, and is never changed or deleted here: the
  admin shows them read-only;
- the audit log is not in these screens at all: only the privacy officer reads it (on
  /audit/), and nobody changes or deletes it (the database refuses that too).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User, Waarneming

_TREDE_FIELDS = (_("Rol in Trede"), {"fields": ("role", "team", "provider", "client")})


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "team", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    raw_id_fields = ("provider", "client")
    fieldsets = (*BaseUserAdmin.fieldsets, _TREDE_FIELDS)
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, _TREDE_FIELDS)

    def save_model(self, request, obj, form, change):
        obj._audit_actor = request.user  # the audit row of a role change names who did it
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        # Bulk deletion would also take a user's waarnemingen without a look at them.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Waarneming)
class WaarnemingAdmin(admin.ModelAdmin):
    list_display = ("user", "client", "reason", "granted_at", "valid_until")
    search_fields = ("user__username", "client__client_id", "reason")
    readonly_fields = ("user", "client", "reason", "granted_at", "valid_until")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
