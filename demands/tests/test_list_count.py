"""The count of an unfiltered demand list is kept between pages (core.paging.cached_count_key) and follows every
write to a demand, every change of the reader's scope, and nothing else."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from accounts.services import role_assign
from alliances.tests.conftest import alliances  # noqa: F401  (fixture)
from demands import services
from demands.resources import resource_create

from .conftest import raise_demand

DEMANDS = "/api/v1/demands/"


def api_client(user: Any) -> Client:
    token, _created = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def counted(client: Client, url: str = DEMANDS) -> tuple[int, bool]:
    """(the list's count, whether this request counted it in the database)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["count"], counts_demands(queries)


def counts_demands(queries: CaptureQueriesContext) -> bool:
    return any("COUNT(" in q["sql"].upper() and "demands_demand" in q["sql"] for q in queries.captured_queries)


def test_kept_between_pages_until_a_demand_is_written(world: Any) -> None:
    raise_demand(world)
    client = api_client(world.users["staff_fz"])
    assert counted(client) == (1, True)
    assert counted(client) == (1, False)
    assert counted(client, DEMANDS + "?page_size=10") == (1, False)  # paging parameters count the same rows
    raise_demand(world)
    assert counted(client) == (2, True)
    # A write elsewhere (a resource) leaves the kept count alone.
    with translation.override("en"):
        resource_create(actor=None, data={
            "title": "会议室", "kind": "venue", "description": "可容纳30人。", "organization": world.orgs["fz-b1"],
            "region": world.regions["fz"]})
    assert counted(client) == (2, False)


def test_filtered_lists_count_every_time(world: Any) -> None:
    raise_demand(world)
    client = api_client(world.users["staff_fz"])
    url = DEMANDS + "?status=submitted"
    assert counted(client, url) == (1, True)
    assert counted(client, url) == (1, True)


def test_each_reader_has_their_own_count_and_it_follows_visibility(world: Any,
                                                                   alliances: Any) -> None:  # noqa: F811
    secretary = User.objects.create_user(username="secretary_jj_root", password="Correct-Horse-42")
    role_assign(actor=None, user=secretary, role=Role.SECRETARY, organization=world.orgs["jj-root"])
    demand = raise_demand(world, alliance=alliances["cross"])
    staff, member_side = api_client(world.users["staff_fz"]), api_client(secretary)
    assert counted(staff)[0] == 1 and counted(member_side)[0] == 0
    # Accepted and opened for claiming: now the alliance's member below jj-root may see (and claim) it.
    services.demand_accept(actor=world.users["staff_fz"], demand=demand, open_for_claim=True)
    assert counted(member_side) == (1, True)
    # A role taken away changes the scope: the kept count is not used.
    role_assign(actor=None, user=world.users["staff_jj"], role=Role.SECRETARY, organization=world.orgs["jj-e1"])
    assert counted(api_client(world.users["staff_jj"]))[0] == 1


def test_the_web_list_keeps_it_too(world: Any, client_for: Any) -> None:
    raise_demand(world)
    client = client_for("staff_fz")
    client.get("/demands/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/demands/")
    assert not counts_demands(queries)
    raise_demand(world)
    page = client.get("/demands/").content.decode()
    assert "共 2 条结果" in page  # the page's language is the platform's (zh-Hans) for this account


def test_a_list_page_counts_the_unread_notifications_once(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    client.get("/demands/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/demands/")
    assert sum("notifications_notification" in q["sql"] for q in queries.captured_queries) == 1
