"""Lists in tree order under a region scope are bounded by the span of tree paths the region's organizations
occupy (``organizations.models.region_spans``); the bound must never drop a row the scope reaches."""

from __future__ import annotations

from typing import Any

from accounts.models import Role, User
from accounts.services import role_assign
from organizations import selectors, services
from organizations.choices import MemberStatus, OrganizationType, PersonKind, RegionLevel, Sector
from organizations.models import Organization, Person, region_spans


def _org(name: str, parent: Any, region: Any) -> Organization:
    return services.organization_create(actor=None, data={"name": name, "parent": parent, "region": region,
                                                          "type": OrganizationType.BRANCH, "sector": Sector.SOCIAL})


def test_region_lists_keep_every_row_the_scope_reaches(world: Any) -> None:
    fz, jj = world.regions["fz"], world.regions["jj"]
    # Fengze organizations placed among Jinjiang's and after every other tree; a Jinjiang one inside Fengze's tree.
    among = _org("驻锦江的丰泽支部", world.orgs["jj-e1"], fz)
    last = _org("丰泽新设党支部", None, fz)
    inside = _org("锦江驻丰泽支部", world.orgs["fz-b2"], jj)
    services.person_create(actor=None, data={"kind": PersonKind.MEMBER, "name": "跨区成员", "organization": among,
                                             "member_status": MemberStatus.FULL})
    spans = region_spans((fz.path, jj.path))
    fz_paths = sorted(Organization.objects.filter(region=fz).values_list("path", flat=True))
    assert spans[fz.path] == (fz_paths[0], fz_paths[-1])
    for username in ("staff_fz", "staff_jj", "admin", "secretary_b1", "member"):
        user = world.users[username]
        listed = [o.pk for o in selectors.organization_list(user)]
        assert listed == list(Organization.objects.restrict(user).order_by("path").values_list("pk", flat=True))
        members = {p.pk for p in selectors.member_list(user)}
        assert members == set(Person.objects.restrict(user).members().values_list("pk", flat=True))
    staff_fz = [o.pk for o in selectors.organization_list(world.users["staff_fz"])]
    assert among.pk in staff_fz and last.pk in staff_fz and inside.pk not in staff_fz
    assert "跨区成员" in {p.name for p in selectors.member_list(world.users["staff_fz"])}
    assert spans[fz.path][1] in str(selectors.organization_list(world.users["staff_fz"]).query)


def test_a_region_without_organizations_lists_nothing(world: Any) -> None:
    empty = services.region_create(actor=None, data={"name": "洛江区", "code": "350504",
                                                     "level": RegionLevel.DISTRICT, "parent": world.regions["qz"]})
    user = User.objects.create_user("staff_lj", password="x")
    role_assign(actor=None, user=user, role=Role.DEPARTMENT_STAFF, region=empty)
    assert region_spans((empty.path,)) == {}
    assert not selectors.organization_list(user).exists() and not selectors.member_list(user).exists()
