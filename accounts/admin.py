"""Django admin for accounts only (domain objects are edited through the audited UI and API)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core import audit

from .models import RoleAssignment, User


class AuditedAdminMixin:
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if before is None:
            audit.record_create(request.user, obj)
        else:
            audit.record_update(request.user, obj, before)

    def delete_model(self, request: Any, obj: Any) -> None:
        audit.record_delete(request.user, obj, str(obj.pk))
        super().delete_model(request, obj)  # type: ignore[misc]


class RoleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "organization"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "is_active", "is_staff", "last_login")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Lianmeng", {"fields": ("display_name",)}))  # type: ignore[misc]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "region", "organization")
    list_filter = ("role",)
    autocomplete_fields = ["user", "region", "organization"]
