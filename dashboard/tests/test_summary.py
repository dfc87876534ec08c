"""The dashboard's pre-aggregated figures equal live counts after every kind of write, for every kind of scope."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.permissions import clear_scope_cache
from dashboard.selectors import dashboard_counts
from organizations import services
from organizations.choices import MemberStatus, OrganizationType, PersonKind, Sector
from organizations.models import Organization, Person, RegionTally, Unit

pytestmark = pytest.mark.django_db

USERS = ["admin", "staff_fz", "staff_jj", "secretary_b1", "member", "auditor", "norole"]


def live(user: Any) -> dict[str, Any]:
    orgs = Organization.objects.restrict(user)
    by_sector = Counter(orgs.values_list("sector", flat=True))
    return {"organizations": orgs.count(), "sectors": dict(by_sector),
            "two_new": orgs.two_new().count(), "members": Person.objects.restrict(user).members().count(),
            "units": Unit.objects.restrict(user).count()}


def shown(user: Any) -> dict[str, Any]:
    counts = dashboard_counts(user)
    labels = {str(label): code for code, label in Sector.choices}
    return {"organizations": counts["organizations"],
            "sectors": {labels[row["sector"]]: row["count"] for row in counts["by_sector"]},
            "two_new": counts["two_new"], "members": counts["members"], "units": counts["units"]}


def assert_all_agree(world: Any) -> None:
    for name in USERS:
        user = world.users[name]
        clear_scope_cache(user)
        assert shown(user) == live(user), name


def tallies() -> dict[tuple[int, str], tuple[int, int]]:
    return {(t.region_id, t.sector): (t.organizations, t.members) for t in RegionTally.objects.all()
            if t.organizations or t.members}


def assert_rebuild_agrees() -> None:
    kept = tallies()
    services.rebuild_region_tallies()
    assert tallies() == kept


def new_member(world: Any, org: str, seq: str, **extra: Any) -> Person:
    from conftest import make_id

    return services.person_create(actor=world.users["admin"], data={
        "kind": PersonKind.MEMBER, "name": f"新成员{seq}", "organization": world.orgs[org],
        "member_status": MemberStatus.FULL, "id_number": make_id(world.regions["fz"].code, "19850101", seq),
        **extra})


def test_figures_match_live_counts_for_every_scope(world: Any) -> None:
    assert dashboard_counts(world.users["admin"])["members"] == 4
    assert dashboard_counts(world.users["staff_fz"])["organizations"] == 5
    assert_all_agree(world)
    assert_rebuild_agrees()


def test_every_kind_of_write_keeps_the_tallies_equal_to_live_counts(world: Any) -> None:
    admin = world.users["admin"]
    # an organization is added
    new = services.organization_create(actor=admin, data={
        "name": "新建党支部", "parent": world.orgs["fz-b2"], "region": world.regions["fz"],
        "type": OrganizationType.BRANCH, "sector": Sector.SOCIAL})
    assert_all_agree(world)
    # members are added, one of them to the new organization; a contact (not a member) changes nothing
    a = new_member(world, "fz-e2", "101")
    b = new_member(world, "jj-e1", "102")
    services.person_create(actor=admin, data={"kind": PersonKind.CONTACT, "name": "联络员",
                                              "organization": new})
    assert_all_agree(world)
    # a member is transferred within a district and across districts
    services.person_update(actor=admin, person=a, data={"organization": new})
    services.person_update(actor=admin, person=b, data={"organization": world.orgs["fz-e1"]})
    assert_all_agree(world)
    # an organization with members changes sector, then region
    services.organization_update(actor=admin, organization=world.orgs["fz-e1"], data={"sector": Sector.SOE})
    assert_all_agree(world)
    services.organization_update(actor=admin, organization=Organization.objects.get(pk=world.orgs["fz-e1"].pk),
                                 data={"region": world.regions["jj"]})
    assert_all_agree(world)
    # a member leaves; an empty organization is deleted
    services.person_delete(actor=admin, person=b)
    services.person_delete(actor=admin, person=Person.objects.get(pk=a.pk))
    Person.objects.filter(organization=new).delete()  # the contact
    services.organization_delete(actor=admin, organization=Organization.objects.get(pk=new.pk))
    assert_all_agree(world)
    assert_rebuild_agrees()


def test_repair_brings_drifted_counts_back(world: Any) -> None:
    # a write behind the services' back (a manual SQL fix, say) leaves the counts wrong until the repair runs
    Person.objects.filter(pk=world.people["b2-a"].pk).update(kind=PersonKind.CONTACT)
    assert dashboard_counts(world.users["admin"])["members"] == 4
    assert services.recount_members() == 1
    assert_all_agree(world)
    assert_rebuild_agrees()


def test_the_province_figures_cost_a_fixed_number_of_queries(world: Any) -> None:
    for i in range(30):
        services.organization_create(actor=None, data={
            "name": f"支部{i}", "parent": world.orgs["fz-b2"], "region": world.regions["fz"],
            "type": OrganizationType.BRANCH, "sector": Sector.SOCIAL})
    for name, most in [("admin", 3), ("staff_fz", 3), ("secretary_b1", 3), ("member", 4)]:
        user = world.users[name]
        dashboard_counts(user)  # the scope is read once per request
        with CaptureQueriesContext(connection) as ctx:
            dashboard_counts(user)
        assert len(ctx.captured_queries) <= most, (name, [q["sql"] for q in ctx.captured_queries])


def test_summary_api(world: Any, client_for: Any) -> None:
    body = client_for("staff_fz").get("/api/v1/dashboard/").json()
    assert body["organizations"] == 5 and body["members"] == 3 and body["two_new"] == 2
    assert {row["count"] for row in body["by_sector"]} >= {1}
    assert client_for("norole").get("/api/v1/dashboard/").json()["organizations"] == 0
    from django.test import Client

    assert Client().get("/api/v1/dashboard/").status_code in (401, 403)
