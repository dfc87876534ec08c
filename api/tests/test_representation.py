"""Serializers with ``api.representation.FastReadMixin`` answer exactly what DRF's own reading answers."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from api.representation import FastReadMixin
from organizations.api import serializers as organization_serializers  # noqa: F401 - registers the subclasses


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


FAST = sorted({c for c in _subclasses(FastReadMixin) if issubclass(c, serializers.ModelSerializer)},
              key=lambda c: c.__qualname__)


def test_the_fast_serializers_are_found() -> None:
    assert {"OrganizationSerializer", "PersonSerializer"} <= {c.__name__ for c in FAST}


@pytest.mark.parametrize("serializer_class", FAST, ids=lambda c: c.__name__)
def test_same_output_as_drf(world: Any, serializer_class: Any) -> None:
    rows = list(serializer_class.Meta.model._default_manager.all()[:50])
    assert rows, "the world fixture has rows of every model listed here"
    serializer = serializer_class(rows, many=True)
    fast = serializer.data
    child = serializer.child
    assert [serializers.Serializer.to_representation(child, row) for row in rows] == fast
    # Empty values (no unit, no phone, no founding date) and set ones both occur in the fixture.
    assert any(None in row.values() for row in fast)
