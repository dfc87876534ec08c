"""The activity list's attendance figure, computed per row of the page (a sub-query, not a GROUP BY)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import selectors, services
from activities.models import Activity, Attendance

from .conftest import at, make_activity

pytestmark = pytest.mark.django_db


def test_attendee_count_is_the_attendance_of_each_activity(world: Any) -> None:
    busy = make_activity(world.orgs["fz-e1"], starts=at(hours=-1), co_hosts=[world.orgs["fz-b1"]])
    quiet = make_activity(world.orgs["fz-e1"], starts=at(hours=-2))
    empty = make_activity(world.orgs["fz-b1"], starts=at(hours=-3))
    for key in ("e1-a", "e1-b"):
        services.sign_in(activity=busy, person=world.people[key], now=busy.starts_at)
    services.sign_in_guest(activity=busy, name="王芳", unit="泉州市图书馆", now=busy.starts_at)
    services.sign_in(activity=quiet, person=world.people["e1-a"], now=quiet.starts_at)

    listed = {a.pk: a.attendee_count for a in selectors.activity_list(world.users["admin"])}
    assert listed[busy.pk] == 3 and listed[quiet.pk] == 1 and listed[empty.pk] == 0
    # Two hosts do not double the figure (the old join counted DISTINCT for this reason).
    assert listed == {a.pk: Attendance.objects.filter(activity=a).count() for a in Activity.objects.all()}


def test_activity_page_takes_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    client = client_for("admin")

    def page_queries() -> int:
        client.get("/api/v1/activities/")  # warm: roles are cached between requests (core.authz_cache)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/activities/").status_code == 200
        return len(ctx.captured_queries)

    make_activity(world.orgs["fz-e1"], starts=at(hours=-1))
    few = page_queries()
    for hours in range(2, 8):
        activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-hours), co_hosts=[world.orgs["fz-b1"]])
        services.sign_in(activity=activity, person=world.people["e1-a"], now=activity.starts_at)
    assert page_queries() == few
