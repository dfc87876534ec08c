"""Exact query counts on the write paths (as Zulip pins them): checking the same permission twice, reading a row
again or validating a related row that was just read shows up here as a failure. The counts are the same on SQLite
and PostgreSQL. What each query is for, in order, is written beside the number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import services as activity_services
from activities.tests.conftest import at, make_activity
from demands import services as demand_services
from demands.models import DemandCategory


def assert_queries(expected: int, write: Callable[[], Any]) -> Any:
    with CaptureQueriesContext(connection) as ctx:
        result = write()
    sql = "\n".join(q["sql"][:160] for q in ctx.captured_queries)
    assert len(ctx) == expected, f"{len(ctx)} queries, not {expected}:\n{sql}"
    return result


def test_recording_an_activity_by_post(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-3))
    client.get("/")  # a page before: the session is marked seen (not written again within a minute), the roles cached
    # session, user, visible alliances, the activity (view) | savepoint, the activity locked where the user may
    # change it, savepoint, update, audit, release ×2, its pairs (none to tell)
    response = assert_queries(12, lambda: client.post(f"/activities/{activity.pk}/do/record/", {"minutes": "联学"}))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "recorded"


def test_changing_only_the_theme_of_an_activity(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-3))
    staff = world.users["staff_fz"]
    # roles, savepoint, the activity locked where the user may change it, savepoint, update, audit, release ×2;
    # the hosts, pairs and invitations are neither read nor rewritten
    assert_queries(8, lambda: activity_services.activity_update(actor=staff, activity=activity,
                                                                data={"theme": "新主题"}))
    activity.refresh_from_db()
    assert activity.theme == "新主题"


@pytest.fixture
def demand_data(world: Any) -> dict[str, Any]:
    return {"title": "招聘数控技工", "description": "企业扩产。", "category": DemandCategory.objects.get(code="talent"),
            "region": world.regions["fz"], "requester_kind": "unit", "requester_name": "某科技公司",
            "contact_name": "王经理", "contact_phone": "13800001234"}


def test_the_demand_workflow(world: Any, demand_data: Any) -> None:
    staff = world.users["staff_fz"]
    # savepoint, deadline tier, holidays, the rating constraint (savepoint, check, release), the demand with its
    # reach, audit, timeline, release | who manages it (the region's staff), each told once (have they been?),
    # the notifications
    demand = assert_queries(13, lambda: demand_services.demand_submit(actor=world.users["norole"], data=demand_data))
    # roles, savepoint, the case locked (with its category and region), may the user manage it, tier, holidays,
    # update, audit, timeline, release | the requester (whoever raised it: read with the case) told once
    demand = assert_queries(12, lambda: demand_services.demand_accept(actor=staff, demand=demand))
    # savepoint, the case locked, may the user manage it, may the handler be chosen, the handler's tokens, update
    # (with the new reach), audit, timeline, release | the handler's secretaries (or those above), told once; the
    # requester told once
    demand = assert_queries(14, lambda: demand_services.demand_assign(actor=staff, demand=demand,
                                                                     organization=world.orgs["fz-e1"]))
    assert demand.status == "assigned"
    assert f"i:{world.orgs['fz-e1'].pk}" in type(demand).objects.get(pk=demand.pk).reach
