from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import visible

from . import selectors
from .choices import DemandStatus, ResourceKind, ResourceStatus, Urgency
from .models import Demand, DemandCategory, Resource, overdue_q

# Choices offered to the requesting user: what they see.
_ALLIANCES = visible("alliances.Alliance")
_ORGANIZATIONS = visible("organizations.Organization")
_REGIONS = visible("organizations.Region")


class DemandFilterSet(filters.FilterSet):
    """One filter set for the demand list, its export and the API. Relation choices offer only what the user
    sees (an id out of reach is refused like a missing one)."""

    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Title, description or requester."))
    status = filters.MultipleChoiceFilter(choices=DemandStatus.choices, label=_("Status"))
    category = filters.ModelMultipleChoiceFilter(queryset=DemandCategory.objects.all(), label=_("Category"))
    urgency = filters.MultipleChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    alliance = filters.ModelChoiceFilter(queryset=_ALLIANCES, label=_("Alliance"))
    region = filters.ModelChoiceFilter(queryset=_REGIONS, label=_("Region"))
    handler_organization = filters.ModelChoiceFilter(queryset=_ORGANIZATIONS, label=_("Handler"))
    mine = filters.BooleanFilter(method="filter_mine", label=_("Raised by me"),
                                 help_text=_("Recorded by me, raised by my person record or by the unit I speak for."))

    class Meta:
        model = Demand
        fields = ["q", "status", "category", "urgency", "overdue", "alliance", "region", "handler_organization",
                  "mine"]

    def search(self, queryset: QuerySet[Demand], name: str, value: str) -> QuerySet[Demand]:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(requester_name__icontains=value))

    def filter_mine(self, queryset: QuerySet[Demand], name: str, value: Any) -> QuerySet[Demand]:
        if value is None:
            return queryset
        mine = selectors.raised_by_q(getattr(self.request, "user", None))
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_overdue(self, queryset: QuerySet[Demand], name: str, value: Any) -> QuerySet[Demand]:
        if value is None:
            return queryset
        late = overdue_q(timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class ResourceFilterSet(filters.FilterSet):
    """One filter set for the resource list, its export and the API."""

    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Title, description or provider."))
    kind = filters.MultipleChoiceFilter(choices=ResourceKind.choices, label=_("Kind"))
    status = filters.ChoiceFilter(choices=ResourceStatus.choices, label=_("Status"))
    available_on = filters.DateFilter(method="filter_available", label=_("Available on"))
    organization = filters.ModelChoiceFilter(queryset=_ORGANIZATIONS, label=_("Offering organization"))
    region = filters.ModelChoiceFilter(queryset=_REGIONS, label=_("Region"))
    alliance = filters.ModelChoiceFilter(queryset=_ALLIANCES, label=_("Alliance"))

    class Meta:
        model = Resource
        fields = ["q", "kind", "status", "available_on", "organization", "region", "alliance"]

    def search(self, queryset: QuerySet[Resource], name: str, value: str) -> QuerySet[Resource]:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(provider_name__icontains=value) | Q(organization__name__icontains=value))

    def filter_available(self, queryset: QuerySet[Resource], name: str, value: Any) -> QuerySet[Resource]:
        if not value:
            return queryset
        return queryset.filter(Q(available_from__isnull=True) | Q(available_from__lte=value),
                               Q(available_until__isnull=True) | Q(available_until__gte=value),
                               status=ResourceStatus.ACTIVE).exclude(capacity=0)
