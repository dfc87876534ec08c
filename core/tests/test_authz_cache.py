"""The authorization cache (``core.authz_cache``): tokens, scopes and region spans kept between requests are never
used after a write that changes them, whichever way the write is made."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from accounts.models import Role, RoleAssignment
from accounts.services import api_token_create, role_assign, role_revoke
from conftest import make_id, xlsx
from core import authz_cache
from core.tree import move_subtree
from organizations import services
from organizations.choices import OrganizationType, Sector
from organizations.tests.test_import import MEMBER_HEADERS_EN, upload

ORGANIZATIONS = "/api/v1/organizations/?page_size=200"


def cache_keys() -> list[str]:
    """Every key the cache holds: Redis (the PostgreSQL run, as in production) or the local-memory cache."""
    store = cache._cache  # type: ignore[attr-defined]
    if hasattr(store, "get_client"):
        return [k.decode() for k in store.get_client().scan_iter()]
    return [str(k) for k in store]


def api_client(user: Any) -> Client:
    token, _created = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def listed(client: Client) -> set[int]:
    response = client.get(ORGANIZATIONS)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_second_request_reads_token_roles_spans_and_totals_from_the_cache(world: Any) -> None:
    client = api_client(world.users["staff_fz"])
    with CaptureQueriesContext(connection) as first:
        first_ids = listed(client)
    with CaptureQueriesContext(connection) as second:
        assert listed(client) == first_ids
    sql = " ".join(query["sql"] for query in second.captured_queries)
    assert len(first) - len(second) == 4, [q["sql"][:80] for q in second.captured_queries]
    assert "authtoken_token" not in sql and "accounts_roleassignment" not in sql
    assert "organizations_regiontally" not in sql
    # The token is a secret: the cache holds only its digest.
    key = Token.objects.get(user=world.users["staff_fz"]).key
    assert not any(key in cache_key for cache_key in cache_keys())


def test_without_the_setting_every_request_reads_the_database(world: Any, settings: Any) -> None:
    settings.AUTHZ_CACHE = False
    client = api_client(world.users["staff_fz"])
    listed(client)
    with CaptureQueriesContext(connection) as again:
        listed(client)
    assert "authtoken_token" in " ".join(query["sql"] for query in again.captured_queries)


def test_role_changes_apply_at_the_next_request(world: Any) -> None:
    user = world.users["staff_fz"]
    client = api_client(user)
    assert world.orgs["fz-b1"].pk in listed(client) and world.orgs["jj-e1"].pk not in listed(client)
    role_assign(actor=None, user=user, role=Role.DEPARTMENT_STAFF, region=world.regions["jj"])
    assert world.orgs["jj-e1"].pk in listed(client)
    for assignment in RoleAssignment.objects.filter(user=user):
        role_revoke(actor=None, assignment=assignment)
    assert listed(client) == set()


def test_a_revoked_token_or_a_deactivated_account_is_refused_at_the_next_request(world: Any) -> None:
    user = world.users["staff_fz"]
    client = api_client(user)
    listed(client)
    new_key = api_token_create(actor=user)
    assert client.get(ORGANIZATIONS).status_code == 401
    client = Client(HTTP_AUTHORIZATION=f"Token {new_key}")
    listed(client)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(ORGANIZATIONS).status_code == 401


def test_an_organization_added_after_every_tree_is_listed_at_the_next_request(world: Any) -> None:
    client = api_client(world.users["staff_fz"])
    listed(client)  # the region's span is now cached
    added = services.organization_create(actor=None, data={
        "name": "丰泽新设党支部", "parent": None, "region": world.regions["fz"], "type": OrganizationType.BRANCH,
        "sector": Sector.SOCIAL})
    assert added.path > max(o.path for o in world.orgs.values())
    assert added.pk in listed(client)


def test_a_moved_subtree_stays_in_its_secretarys_scope(world: Any) -> None:
    client = api_client(world.users["secretary_b1"])
    before = listed(client)
    assert world.orgs["fz-e1"].pk in before
    move_subtree(world.orgs["fz-b1"], world.orgs["jj-root"])  # new paths, written without save signals
    assert listed(client) == before


def test_a_member_moved_by_an_import_sees_their_new_organization(world: Any, client_for: Any) -> None:
    staff = client_for("staff_fz")  # signing in saves the account, which would invalidate the cache by itself
    member = api_client(world.users["member"])
    assert listed(member) == {world.orgs["fz-e1"].pk}
    row = ["成员e1-a", "男", make_id(world.regions["fz"].code, "19900101", "001"), "13800000010", "fz-b2",
           "Full member", "", ""]
    response = upload(staff, "members", xlsx(MEMBER_HEADERS_EN, [row]))
    assert response.context["result"].updated == 1
    assert listed(member) == {world.orgs["fz-b2"].pk}


def test_list_counts_follow_an_import_that_writes_without_signals(world: Any, client_for: Any) -> None:
    staff = client_for("staff_fz")  # signing in saves the account: before the first count
    client = api_client(world.users["staff_fz"])

    def members() -> int:
        response = client.get("/api/v1/members/")
        assert response.status_code == 200
        return int(response.json()["count"])

    before = members()
    rows = [["新成员甲", "女", make_id(world.regions["fz"].code, "19910101", "101"), "", "fz-b2", "Full member", "",
             ""], ["新成员乙", "男", make_id(world.regions["fz"].code, "19920202", "102"), "", "fz-e2", "Full member",
                   "", ""]]
    response = upload(staff, "members", xlsx(MEMBER_HEADERS_EN, rows))
    assert response.context["result"].created == 2  # bulk inserts: no save signals
    assert members() == before + 2


def test_a_value_read_while_a_write_commits_is_not_used(db: Any) -> None:
    calls: list[str] = []

    def read_during_a_write() -> str:
        calls.append("read")
        authz_cache.bump()  # another request's transaction commits while this one reads the old data
        return "old"

    assert authz_cache.cached("probe", read_during_a_write) == "old"
    assert authz_cache.cached("probe", lambda: "new") == "new"
    assert authz_cache.cached("probe", lambda: "newer") == "new"


def test_a_lost_generation_does_not_revive_old_entries(db: Any) -> None:
    assert authz_cache.cached("probe", lambda: "first") == "first"
    cache.delete(authz_cache.GENERATION_KEY)  # lost (evicted, say), while the entry survived
    assert authz_cache.cached("probe", lambda: "second") == "second"


@pytest.mark.parametrize("failing", ["get_many", "set"])
def test_an_unreachable_cache_falls_back_to_the_database(world: Any, monkeypatch: Any, failing: str) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, failing, broken)
    client = api_client(world.users["staff_fz"])
    assert world.orgs["fz-b1"].pk in listed(client)


def test_a_write_succeeds_while_the_cache_is_unreachable(world: Any, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", broken)
    monkeypatch.setattr(cache, "add", broken)
    services.organization_create(actor=None, data={
        "name": "缓存故障时新设支部", "parent": world.orgs["fz-b2"], "region": world.regions["fz"],
        "type": OrganizationType.BRANCH, "sector": Sector.SOCIAL})


def test_a_table_generation_invalidates_only_the_values_that_read_that_table(db: Any) -> None:
    demands = ["demands.Demand"]
    assert authz_cache.cached("count", lambda: 1, tables=demands) == 1
    assert authz_cache.cached("scope", lambda: 1) == 1
    authz_cache.bump("demands.Demand")
    assert authz_cache.cached("count", lambda: 2, tables=demands) == 2
    assert authz_cache.cached("scope", lambda: 2) == 1
    authz_cache.bump()  # a role or an organization changed: every value, those reading tables too
    assert authz_cache.cached("count", lambda: 3, tables=demands) == 3
    cache.delete(authz_cache.table_generation_key("demands.Demand"))  # lost: old entries are not revived
    assert authz_cache.cached("count", lambda: 4, tables=demands) == 4
