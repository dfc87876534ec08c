"""One FilterSet per listable model, shared by the HTML lists and the REST API. Tree filters include
descendants. Choice querysets are scoped to the requesting user."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import SubtreeFilter, visible

from .choices import TWO_NEW_SECTORS, MemberStatus, OrganizationType, PersonKind, RegionLevel, Sector, UnitKind
from .models import Organization, Person, Region, Unit

# Choices offered to the requesting user: what they see.
_ORGANIZATIONS = visible("organizations.Organization")
_REGIONS = visible("organizations.Region")


class RegionFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    level = filters.ChoiceFilter(choices=RegionLevel.choices, label=_("Level"))
    within = SubtreeFilter(queryset=_REGIONS, label=_("Within region"))

    class Meta:
        model = Region
        fields = ["q", "level", "within"]

    def search(self, qs: QuerySet[Region], name: str, value: str) -> QuerySet[Region]:
        return qs.filter(Q(name__icontains=value) | Q(name_en__icontains=value) | Q(code__startswith=value))


class UnitFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=UnitKind.choices, label=_("Kind"))
    region = SubtreeFilter(queryset=_REGIONS, path_field="region__path", label=_("Region"))
    industry = filters.CharFilter(lookup_expr="icontains", label=_("Industry"))

    class Meta:
        model = Unit
        fields = ["q", "kind", "region", "industry"]

    def search(self, qs: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return qs.filter(Q(name__icontains=value) | Q(credit_code__iexact=value) | Q(address__icontains=value))


class OrganizationFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    under = SubtreeFilter(queryset=_ORGANIZATIONS, label=_("Under organization"))
    parent = filters.ModelChoiceFilter(queryset=_ORGANIZATIONS, label=_("Parent"))
    type = filters.ChoiceFilter(choices=OrganizationType.choices, label=_("Type"))
    sector = filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    two_new = filters.ChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))], method="filter_two_new", label=_("Two new"),
        empty_label=_("Any"),
    )
    region = SubtreeFilter(queryset=_REGIONS, path_field="region__path", label=_("Region"))
    depth = filters.NumberFilter(label=_("Depth"))

    class Meta:
        model = Organization
        fields = ["q", "under", "parent", "type", "sector", "two_new", "region", "depth"]

    def search(self, qs: QuerySet[Organization], name: str, value: str) -> QuerySet[Organization]:
        return qs.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code=value))

    def filter_two_new(self, qs: QuerySet[Organization], name: str, value: str) -> QuerySet[Organization]:
        if value == "true":
            return qs.two_new()  # type: ignore[attr-defined]
        if value == "false":
            return qs.exclude(sector__in=TWO_NEW_SECTORS)
        return qs


class PersonFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    organization = SubtreeFilter(
        queryset=_ORGANIZATIONS, path_field="organization__path", label=_("Organization (and below)")
    )
    kind = filters.ChoiceFilter(choices=PersonKind.choices, label=_("Kind"))
    member_status = filters.ChoiceFilter(choices=MemberStatus.choices, label=_("Membership"))
    joined_after = filters.DateFilter(field_name="joined_party_on", lookup_expr="gte", label=_("Joined on or after"))
    joined_before = filters.DateFilter(
        field_name="joined_party_on", lookup_expr="lte", label=_("Joined on or before")
    )

    class Meta:
        model = Person
        fields = ["q", "organization", "kind", "member_status", "joined_after", "joined_before"]

    def search(self, qs: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        # Deliberately no search by ID or phone number: search terms travel in URLs and access logs.
        return qs.filter(Q(name__icontains=value) | Q(title__icontains=value))
