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


@admin.register(Waarneming)
class WaarnemingAdmin(admin.ModelAdmin):
    list_display = ("user", "client", "reason", "granted_at", "valid_until")
    raw_id_fields = ("user", "client")
    search_fields = ("user__username", "client__client_id", "reason")
