"""Member and organization lists read through the tree, and their unfiltered counts come from the kept figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.permissions import clear_scope_cache
from organizations import selectors, services
from organizations.choices import MemberStatus, OrganizationType, PersonKind, Sector
from organizations.models import Organization, Person

pytestmark = pytest.mark.django_db
USERS = ["admin", "staff_fz", "staff_jj", "secretary_b1", "member", "auditor", "norole"]


def test_member_list_is_the_scoped_members_in_tree_order(world: Any) -> None:
    services.person_create(actor=None, data={"kind": PersonKind.CONTACT, "name": "联络员",
                                             "organization": world.orgs["fz-e1"]})
    for name in USERS:
        user = world.users[name]
        listed = list(selectors.member_list(user))
        assert {p.pk for p in listed} == set(Person.objects.restrict(user).members().values_list("pk", flat=True))
        keys = [(p.organization.path, p.name, p.pk) for p in listed]
        assert keys == sorted(keys), name


@pytest.mark.parametrize("username", USERS)
def test_api_counts_equal_the_rows_listed(world: Any, client_for: Any, username: str) -> None:
    client = client_for(username)
    for url, live in [("/api/v1/members/", Person.objects.restrict(world.users[username]).members()),
                      ("/api/v1/organizations/", Organization.objects.restrict(world.users[username]))]:
        body = client.get(url + "?page_size=2").json()
        seen = len(body["results"])
        while body["next"]:
            body = client.get(body["next"]).json()
            seen += len(body["results"])
        assert body["count"] == seen == live.count(), (username, url)


def test_unfiltered_counts_follow_writes_and_filtered_ones_are_counted(world: Any, client_for: Any) -> None:
    from conftest import make_id

    client = client_for("staff_fz")
    assert client.get("/api/v1/members/").json()["count"] == 3
    services.person_create(actor=None, data={
        "kind": PersonKind.MEMBER, "name": "新党员", "organization": world.orgs["fz-e2"],
        "member_status": MemberStatus.PROBATIONARY, "id_number": make_id(world.regions["fz"].code, "19950101", "201")})
    clear_scope_cache(world.users["staff_fz"])
    assert client.get("/api/v1/members/").json()["count"] == 4
    assert client.get("/api/v1/members/?member_status=probationary").json()["count"] == 1
    services.organization_create(actor=None, data={"name": "新支部", "parent": world.orgs["fz-b2"],
                                                   "region": world.regions["fz"], "type": OrganizationType.BRANCH,
                                                   "sector": Sector.SOCIAL})
    assert client.get("/api/v1/organizations/").json()["count"] == 6
    assert client.get(f"/api/v1/organizations/?under={world.orgs['fz-b1'].pk}").json()["count"] == 3


def test_unfiltered_member_page_does_not_count_members(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    client.get("/api/v1/members/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/members/")
    person_table_counts = [q["sql"] for q in ctx.captured_queries
                           if "COUNT(" in q["sql"].upper() and "organizations_person" in q["sql"]]
    assert person_table_counts == []
