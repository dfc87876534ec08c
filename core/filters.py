"""The filter pieces every app's FilterSets share, and the audit log's FilterSet."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import django_filters as filters
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import IntegerField, QuerySet
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


# The range of the database's integer columns (64-bit): a value beyond it made SQLite raise OverflowError (a 500)
# before the look-up could simply find nothing.
INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1


def _fits(value: Any) -> bool:
    """False only for an integer outside the database's range; anything else is for the field to judge."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return True
    return INTEGER_MIN <= number <= INTEGER_MAX


class _IntegerKeyBound:
    """For model choice fields: a choice whose key (the primary key, or ``to_field_name``) is an integer column and
    whose value lies outside that column's range is an invalid choice, decided before any query."""

    queryset: QuerySet[Any]
    to_field_name: str | None
    error_messages: dict[str, Any]

    def _refuse_out_of_range(self, values: Any) -> None:
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if not isinstance(key, IntegerField):
            return
        for value in values:
            if not _fits(value):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": value})


class _BoundedChoice(_IntegerKeyBound):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:  # type: ignore[attr-defined]  # a form field's, by the mixin's use
            self._refuse_out_of_range([value])
        return super().to_python(value)  # type: ignore[misc]


class _BoundedMultipleChoice(_IntegerKeyBound):
    def _check_values(self, value: Any) -> Any:
        self._refuse_out_of_range(value)
        return super()._check_values(value)  # type: ignore[misc]


@functools.cache
def _bounded(field_class: type[forms.Field], mixin: type[_IntegerKeyBound]) -> type[forms.Field]:
    """``field_class`` (a filter's, whatever it is) with the range check in front."""
    if issubclass(field_class, mixin):
        return field_class
    return type(f"Bounded{field_class.__name__}", (mixin, field_class), {})


def bound_integers(filterset: filters.FilterSet) -> filters.FilterSet:
    """Make ``filterset`` answer an out-of-range integer (``?category=99999999999999999999``) with a form error,
    as it answers any other invalid value: model choices by id get the check above, numbers a range. Called where
    the web lists and the API build their FilterSets, before the form exists; it changes the instance's own copies
    of the filters only."""
    for filter_ in filterset.filters.values():
        field_class = filter_.field_class
        if issubclass(field_class, forms.ModelMultipleChoiceField):
            filter_.field_class = _bounded(field_class, _BoundedMultipleChoice)
        elif issubclass(field_class, forms.ModelChoiceField):
            filter_.field_class = _bounded(field_class, _BoundedChoice)
        elif issubclass(field_class, forms.IntegerField):  # also DecimalField (NumberFilter) and FloatField
            filter_.extra.setdefault("min_value", INTEGER_MIN)
            filter_.extra.setdefault("max_value", INTEGER_MAX)
    return filterset


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
