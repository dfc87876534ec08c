"""The filter pieces every app's FilterSets share, and the audit log's FilterSet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters as filters
from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import AuditAction, AuditEvent
from .tree import subtree_q


def user_of(request: Any) -> Any:
    return getattr(request, "user", None)


def visible(label: str) -> Callable[[Any], QuerySet[Any]]:
    """A filter's choices: the rows of ``label`` the requesting user sees (``visible("alliances.Alliance")``)."""
    def choices(request: Any) -> QuerySet[Any]:
        return apps.get_model(label)._default_manager.restrict(user_of(request))

    return choices


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(filters.ModelChoiceFilter):
    """Keeps rows whose tree node (``field_name`` → a path) lies in the chosen node's subtree."""

    def __init__(self, *args: Any, path_field: str = "path", **kwargs: Any) -> None:
        self.path_field = path_field
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        qs = qs.filter(subtree_q(value.path, self.path_field))
        return qs.distinct() if self.distinct else qs




class AuditEventFilterSet(filters.FilterSet):
    actor = filters.CharFilter(field_name="actor_name", lookup_expr="iexact", label=_("Actor"))
    action = filters.ChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    object_type = filters.CharFilter(label=_("Object type"))
    object_id = filters.CharFilter(label=_("Object ID"))
    since = filters.DateTimeFilter(field_name="timestamp", lookup_expr="gte", label=_("Since"))
    until = filters.DateTimeFilter(field_name="timestamp", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "object_type", "object_id", "since", "until"]
