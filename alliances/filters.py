from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import SubtreeFilter, visible

from .choices import AllianceKind, AllianceStatus, MemberRole, MembershipStatus
from .models import Alliance, Membership

# Choices offered to the requesting user: what they see.
_ALLIANCES = visible("alliances.Alliance")
_REGIONS = visible("organizations.Region")


class AllianceFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=AllianceKind.choices, label=_("Kind"))
    status = filters.ChoiceFilter(choices=AllianceStatus.choices, label=_("Status"))
    region = SubtreeFilter(queryset=_REGIONS, path_field="region_links__region__path", label=_("Region"),
                           distinct=True)
    parent = filters.ModelChoiceFilter(queryset=_ALLIANCES, label=_("Parent alliance"))

    class Meta:
        model = Alliance
        fields = ["q", "kind", "status", "region", "parent"]

    def search(self, qs: QuerySet[Alliance], name: str, value: str) -> QuerySet[Alliance]:
        return qs.filter(Q(name__icontains=value) | Q(theme__icontains=value))


class MembershipFilterSet(filters.FilterSet):
    alliance = filters.ModelChoiceFilter(queryset=_ALLIANCES, label=_("Alliance"))
    status = filters.ChoiceFilter(choices=MembershipStatus.choices, label=_("Status"))
    role = filters.ChoiceFilter(choices=MemberRole.choices, label=_("Role"))

    class Meta:
        model = Membership
        fields = ["alliance", "status", "role"]
