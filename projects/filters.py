from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .choices import ProjectOrigin, ProjectStatus
from .models import Project


class ProjectFilterSet(filters.FilterSet):
    """One filter set for the project list, its export and the API."""

    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Title, description or result."))
    status = filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    origin = filters.ChoiceFilter(choices=ProjectOrigin.choices, label=_("Comes from"))
    owner = filters.ModelChoiceFilter(queryset=Organization.objects.all(), field_name="owners", label=_("Owner"))

    class Meta:
        model = Project
        fields = ["q", "status", "origin", "alliance", "workstream", "owner"]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(result__icontains=value))
