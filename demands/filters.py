from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AWAITING_ACCEPTANCE, AWAITING_RESOLUTION, DemandStatus, Urgency
from .models import Demand, DemandCategory


class DemandFilterSet(filters.FilterSet):
    """One filter set for the demand list, its export and the API."""

    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Title, description or requester."))
    status = filters.MultipleChoiceFilter(choices=DemandStatus.choices, label=_("Status"))
    category = filters.ModelMultipleChoiceFilter(queryset=DemandCategory.objects.all(), label=_("Category"))
    urgency = filters.MultipleChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Demand
        fields = ["q", "status", "category", "urgency", "overdue", "alliance", "region"]

    def search(self, queryset: QuerySet[Demand], name: str, value: str) -> QuerySet[Demand]:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(requester_name__icontains=value))

    def filter_overdue(self, queryset: QuerySet[Demand], name: str, value: Any) -> QuerySet[Demand]:
        if value is None:
            return queryset
        now = timezone.now()
        late = Q(status__in=AWAITING_ACCEPTANCE, accept_due__lt=now) | Q(status__in=AWAITING_RESOLUTION,
                                                                         resolve_due__lt=now)
        return queryset.filter(late) if value else queryset.exclude(late)
