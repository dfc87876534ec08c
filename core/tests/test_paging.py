"""Lists count up to LIST_COUNT_LIMIT rows and then say "more than" (core.paging), on the web and in the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_api_count_is_exact_below_the_limit_and_a_bound_above(world: Any, client_for: Any, settings: Any) -> None:
    client = client_for("admin")
    total = Organization.objects.count()
    assert total > 3
    settings.LIST_COUNT_LIMIT = total
    body = client.get("/api/v1/organizations/?q=").json()  # a parameter: counted, not the kept total
    assert (body["count"], body["count_is_exact"]) == (total, True)

    settings.LIST_COUNT_LIMIT = 3
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/organizations/?q=").json()
    assert (body["count"], body["count_is_exact"]) == (3, False)
    assert len(body["results"]) == 3 and body["next"] is None  # the pages reach as far as was counted
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]

    # The unfiltered list takes its total from the regional tallies: exact, whatever the limit.
    body = client.get("/api/v1/organizations/").json()
    assert (body["count"], body["count_is_exact"]) == (total, True)


def test_web_list_says_more_than_when_the_count_stops(world: Any, client_for: Any, settings: Any) -> None:
    client = client_for("admin")
    total = Organization.objects.count()
    page = client.get("/organizations/").content.decode()
    assert f"共 {total} 条结果" in page and "超过" not in page
    settings.LIST_COUNT_LIMIT = 3
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/organizations/").content.decode()
    assert "超过 3 条结果" in page and "条结果</p>" not in page
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("SELECT COUNT(")
              and "organizations_organization" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0], counts
