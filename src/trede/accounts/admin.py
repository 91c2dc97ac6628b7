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
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User, Waarneming

_TREDE_FIELDS = (_("Rol in Trede"), {"fields": ("role", "team", "provider", "client")})


class PasswordChangeForm(AdminPasswordChangeForm):
    """A system account never has a password (a database constraint): say so on the form
    instead of letting the save fail."""

    def clean(self):
        if self.user.system_account:
            # On the field: the admin's password page shows field errors only.
            self.add_error(
                "password1",
                ValidationError(
                    "Een systeemaccount heeft geen wachtwoord: het meldt zich alleen aan met een "
                    "applicatietoken (Toegang → Applicatietokens)."
                ),
            )
            return self.cleaned_data
        return super().clean()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = PasswordChangeForm
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
