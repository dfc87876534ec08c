from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from alliances.models import Workstream
from core.filters import visible

from .choices import ProjectOrigin, ProjectStatus
from .models import Project

# Choices offered to the requesting user: what they see.
_ALLIANCES = visible("alliances.Alliance")
_ORGANIZATIONS = visible("organizations.Organization")


def _workstreams(request: Any) -> QuerySet[Workstream]:
    return Workstream.objects.filter(alliance__in=_ALLIANCES(request))


class ProjectFilterSet(filters.FilterSet):
    """One filter set for the project list, its export and the API; relation choices are what the user sees."""

    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Title, description or result."))
    status = filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    origin = filters.ChoiceFilter(choices=ProjectOrigin.choices, label=_("Comes from"))
    owner = filters.ModelChoiceFilter(queryset=_ORGANIZATIONS, field_name="owners", label=_("Owner"))
    alliance = filters.ModelChoiceFilter(queryset=_ALLIANCES, label=_("Alliance"))
    workstream = filters.ModelChoiceFilter(queryset=_workstreams, label=_("Workstream"))

    class Meta:
        model = Project
        fields = ["q", "status", "origin", "alliance", "workstream", "owner"]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(result__icontains=value))
