"""The API skips a viewset's FilterSet when a request names no filter (``api.filters.FilterBackend``): that is only
right while every FilterSet, given no data, leaves the queryset as it is."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from api.urls import router


@pytest.mark.parametrize(("prefix", "viewset"), [(p, v) for p, v, _ in router.registry
                                             if getattr(v, "filterset_class", None)])
def test_a_filterset_without_data_filters_nothing(world: Any, prefix: str, viewset: Any) -> None:
    request = RequestFactory().get(f"/api/v1/{prefix}/")
    request.user = world.users["admin"]
    model = viewset.filterset_class._meta.model
    queryset = model._default_manager.order_by("pk")
    filtered = viewset.filterset_class(data={}, queryset=queryset, request=request)
    assert filtered.is_valid(), filtered.errors
    assert str(filtered.qs.query) == str(queryset.query)


def test_a_named_filter_still_filters(world: Any, client_for: Any) -> None:
    staff = client_for("staff_fz")
    everyone = staff.get("/api/v1/organizations/").json()
    branches = staff.get("/api/v1/organizations/", {"type": "branch"}).json()
    assert 0 < branches["count"] < everyone["count"]
    assert {row["type"] for row in branches["results"]} == {"branch"}
