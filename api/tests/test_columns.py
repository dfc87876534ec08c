"""API lists read only the columns their serializer shows (``api.columns``), and answer exactly as before."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from api.columns import columns_read
from organizations import selectors
from organizations.api.serializers import OrganizationSerializer, PersonSerializer
from organizations.models import Organization


def _page_sql(queries: list[dict[str, Any]], table: str) -> str:
    return next(q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
                and "LIMIT" in q["sql"] and "COUNT(" not in q["sql"])


def test_lists_answer_as_the_full_serializer_does_from_fewer_columns(world: Any, client_for: Any) -> None:
    staff, user = client_for("staff_fz"), world.users["staff_fz"]
    cases = [("/api/v1/organizations/", "organizations_organization", OrganizationSerializer,
              selectors.organization_list(user)),
             ("/api/v1/members/", "organizations_person", PersonSerializer, selectors.member_list(user))]
    for url, table, serializer, full in cases:
        with CaptureQueriesContext(connection) as queries:
            rows = staff.get(url).json()["results"]
        expected = json.loads(JSONRenderer().render(serializer(list(full), many=True).data))
        assert rows == expected and rows
        page = _page_sql(queries.captured_queries, table)
        assert '"created_at"' not in page and '"updated_at"' not in page
    member = next(r for r in staff.get("/api/v1/members/").json()["results"] if r["name"] == "成员e1-a")
    assert member["id_number_masked"].startswith("3505") and "*" in member["phone_masked"]


def test_what_cannot_be_accounted_for_loads_every_column() -> None:
    class WithMethod(serializers.ModelSerializer):  # type: ignore[type-arg]
        url = serializers.CharField(source="get_absolute_url", read_only=True)

        class Meta:
            model = Organization
            fields = ["id", "name", "url"]

    class WithSerializerMethod(serializers.ModelSerializer):  # type: ignore[type-arg]
        label = serializers.SerializerMethodField()

        class Meta:
            model = Organization
            fields = ["id", "label"]

        def get_label(self, obj: Organization) -> str:
            return obj.name

    assert columns_read(WithMethod()) is None
    assert columns_read(WithSerializerMethod()) is None
    known = columns_read(OrganizationSerializer())
    assert known is not None
    assert {"sector", "contact_phone_masked", "region__name", "region", "parent"} <= known.only
    assert "contact_phone" not in known.only  # the list shows the stored masked copy: nothing to decrypt
    assert known.related == {"region"} and "created_at" not in known.only
