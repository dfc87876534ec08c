"""Alliances are registered read-only, for the admin's autocomplete of alliance-administrator roles."""

from django.contrib import admin

from organizations.admin import ReadOnlyAdmin

from .models import Alliance


@admin.register(Alliance)
class AllianceAdmin(ReadOnlyAdmin):
    search_fields = ["name"]
    list_display = ("name", "kind", "status")
