"""The account list's filters (used by the HTML list and the API)."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Role, RoleAssignment, User


class UserFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"),
                           help_text=_("Username or display name."))
    role = filters.ChoiceFilter(choices=Role.choices, method="with_role", label=_("role"))
    is_active = filters.BooleanFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))

    def with_role(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        # A semi-join: a join would repeat an account once per matching role.
        return queryset.filter(pk__in=RoleAssignment.objects.filter(role=value).values("user")) if value else queryset
