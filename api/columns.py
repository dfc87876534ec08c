"""Load only the columns a list's serializer reads.

A list page of 50 members read with every column of the member, its organization and its unit parses about 60
values a row (timestamps among them) and builds objects nobody reads; that was half of the time of a member page
(measured at 100k organizations). ``columns_read(serializer)`` walks the serializer's readable fields through the
model's fields; ``load_only_what_is_read`` turns that into ``only()`` and ``select_related()``.

A field read from a model property says which columns the property needs in the model's ``computed_from``
(``{"is_two_new": ("sector",)}``). Anything the walk cannot account for (a method, a property not declared, a
``source="*"``) leaves the queryset as it is: a missing column would cost a query per row, a few extra columns
only a little time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers


@dataclass
class Columns:
    only: set[str] = field(default_factory=set)  # only() paths: "name", "region__name"
    related: set[str] = field(default_factory=set)  # select_related() paths: "region"


def _walk(model: type[models.Model], attrs: list[str], prefix: str, columns: Columns) -> bool:
    """Record the columns behind one source path; False when it cannot be accounted for."""
    name, rest = attrs[0], attrs[1:]
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        needs = getattr(model, "computed_from", {}).get(name)
        if needs is None or rest:
            return False
        columns.only.update(prefix + column for column in needs)
        return True
    if model_field.many_to_many or model_field.one_to_many or (model_field.one_to_one and not model_field.concrete):
        return not rest  # read by a prefetch, which loads its own rows
    if model_field.is_relation:
        columns.only.add(prefix + name)
        if not rest:
            return True  # the key alone (a primary-key field reads the ``_id`` column)
        columns.related.add(prefix + name)
        related = model_field.related_model
        assert isinstance(related, type)
        return _walk(related, rest, f"{prefix}{name}__", columns)
    if rest:
        return False
    columns.only.add(prefix + name)
    return True


def columns_read(serializer: serializers.ModelSerializer) -> Columns | None:
    """The columns (and the relations to join) that ``serializer`` reads, or None when that is not known."""
    model: type[models.Model] = serializer.Meta.model
    assert model._meta.pk is not None
    columns = Columns(only={model._meta.pk.name})
    for serializer_field in serializer.fields.values():
        if serializer_field.write_only:
            continue
        attrs = list(serializer_field.source_attrs)
        if not attrs or isinstance(serializer_field, serializers.Serializer | serializers.ListSerializer):
            return None
        if not _walk(model, attrs, "", columns):
            return None
    return columns


@cache
def _columns_of(serializer_class: type[serializers.ModelSerializer]) -> Columns | None:
    # A serializer's fields are fixed by its class here (none adds or drops fields per request), and building
    # them costs about a millisecond: walk them once per process.
    return columns_read(serializer_class())


def load_only_what_is_read(queryset: models.QuerySet[Any], serializer_class: Any) -> models.QuerySet[Any]:
    columns = _columns_of(serializer_class) if issubclass(serializer_class, serializers.ModelSerializer) else None
    if columns is None:
        return queryset
    return queryset.select_related(None).select_related(*sorted(columns.related)).only(*sorted(columns.only))
