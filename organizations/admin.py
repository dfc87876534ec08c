"""Regions and organizations are registered read-only, for the admin's autocomplete of role scopes."""

from typing import Any

from django.contrib import admin

from .models import Organization, Region


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    search_fields = ["name", "code"]
    list_display = ("name", "code", "level")


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    search_fields = ["name", "code"]
    list_display = ("name", "type", "sector", "region")
