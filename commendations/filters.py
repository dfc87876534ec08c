from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import visible

from .choices import CampaignStatus, Finding, NominationStatus
from .models import Campaign, Honour, Nomination, Objection

_ORGANIZATIONS = visible("organizations.Organization")
_CAMPAIGNS = visible("commendations.Campaign")


class CampaignFilterSet(filters.FilterSet):
    """One filter set for the campaign list, its export and the API."""

    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    status = filters.MultipleChoiceFilter(choices=CampaignStatus.choices, label=_("Status"))
    year = filters.NumberFilter(label=_("Year"))
    issuer = filters.ModelChoiceFilter(queryset=_ORGANIZATIONS, label=_("Issuing organization"))

    class Meta:
        model = Campaign
        fields = ["q", "status", "year", "issuer"]


class NominationFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Nominee's name."))
    campaign = filters.ModelChoiceFilter(queryset=_CAMPAIGNS, label=_("Campaign"))
    status = filters.MultipleChoiceFilter(choices=NominationStatus.choices, label=_("Status"))
    nominator = filters.ModelChoiceFilter(queryset=_ORGANIZATIONS, label=_("Nominating organization"))

    class Meta:
        model = Nomination
        fields = ["q", "campaign", "status", "nominator"]

    def search(self, queryset: QuerySet[Nomination], name: str, value: str) -> QuerySet[Nomination]:
        return queryset.filter(Q(person__name__icontains=value) | Q(organization__name__icontains=value))


class ObjectionFilterSet(filters.FilterSet):
    open = filters.BooleanFilter(field_name="finding", lookup_expr="exact", method="waiting",
                                 label=_("Waiting for a finding"))
    finding = filters.ChoiceFilter(choices=Finding.choices, label=_("Finding"))
    campaign = filters.ModelChoiceFilter(queryset=_CAMPAIGNS, field_name="notice__campaign", label=_("Campaign"))

    class Meta:
        model = Objection
        fields = ["open", "finding", "campaign"]

    def waiting(self, queryset: QuerySet[Objection], name: str, value: bool | None) -> QuerySet[Objection]:
        if value is None:
            return queryset
        return queryset.filter(finding="") if value else queryset.exclude(finding="")


class HonourFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Name or honour."))
    year = filters.NumberFilter(label=_("Year"))
    person = filters.NumberFilter(field_name="person_id", label=_("Person"))
    organization = filters.NumberFilter(field_name="organization_id", label=_("Organization"))

    class Meta:
        model = Honour
        fields = ["q", "year", "person", "organization"]

    def search(self, queryset: QuerySet[Honour], name: str, value: str) -> QuerySet[Honour]:
        return queryset.filter(Q(person__name__icontains=value) | Q(organization__name__icontains=value)
                               | Q(category_name__icontains=value))
