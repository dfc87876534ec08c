from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Workstream
from organizations.models import Organization

from .choices import ProjectOrigin, ProjectStatus
from .models import Project


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def _organizations(request: Any) -> QuerySet[Organization]:
    return Organization.objects.restrict(_user(request))


def _alliances(request: Any) -> QuerySet[Alliance]:
    return Alliance.objects.restrict(_user(request))


def _workstreams(request: Any) -> QuerySet[Workstream]:
    return Workstream.objects.filter(alliance__in=_alliances(request))


class ProjectFilterSet(filters.FilterSet):
    """One filter set for the project list, its export and the API; relation choices are what the user sees."""

    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Title, description or result."))
    status = filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    origin = filters.ChoiceFilter(choices=ProjectOrigin.choices, label=_("Comes from"))
    owner = filters.ModelChoiceFilter(queryset=_organizations, field_name="owners", label=_("Owner"))
    alliance = filters.ModelChoiceFilter(queryset=_alliances, label=_("Alliance"))
    workstream = filters.ModelChoiceFilter(queryset=_workstreams, label=_("Workstream"))

    class Meta:
        model = Project
        fields = ["q", "status", "origin", "alliance", "workstream", "owner"]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(result__icontains=value))
