"""Django admin for accounts only (domain objects are edited through the audited UI and API)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core import audit
from core.models import AuditAction

from .models import RoleAssignment, User


class AuditedAdminMixin:
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        before = audit.raw_snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if before is None:
            audit.record_create(request.user, obj)
        else:
            audit.record_update(request.user, obj, before)

    def delete_model(self, request: Any, obj: Any) -> None:
        audit.record_delete(request.user, obj, str(obj.pk))
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        """The "delete selected" action: one audit event per row, as for single deletes."""
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "display_name", "is_active", "is_staff", "last_login")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Lianmeng", {"fields": ("display_name",)}))  # type: ignore[misc]

    def user_change_password(self, request: Any, id: str, form_url: str = "") -> Any:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit.record(actor=request.user, action=AuditAction.UPDATE, instance=user,
                         changes={"password": ["***", "***"]})
        return response


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "region", "organization")
    list_filter = ("role",)
    autocomplete_fields = ["user", "region", "organization", "alliance"]
