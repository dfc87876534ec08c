"""Shared fixtures: a small two-district world with one user per role."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the database rolls back between tests, and ids may come back."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    regions: dict[str, Any]
    orgs: dict[str, Any]
    people: dict[str, Any]
    users: dict[str, Any]


def make_id(region: str, birth: str, seq: str) -> str:
    from core.validators import id_check_char

    first17 = f"{region}{birth}{seq}"
    return first17 + id_check_char(first17)


def assert_reach_current(model: Any, users: Any) -> None:
    """The reach kept on ``model``'s rows (organizations.reach) equals a recomputation, and every user sees the same
    rows through it (``restrict``) as through the declared rule read from the relations (``reference_q``)."""
    from core.visibility import reference_q
    from organizations.visibility import computed_reach

    stored = dict(model.objects.values_list("pk", "reach"))
    assert computed_reach(model, stored) == stored
    for user in users:
        by_reach = model.objects.restrict(user).values_list("pk", flat=True)
        rule = reference_q(model, user)
        by_relations = model.objects.all() if rule is None else model.objects.filter(rule)
        assert set(by_reach) == set(by_relations.values_list("pk", flat=True)), user


def xlsx(headers: list[str], rows: list[list[Any]]) -> bytes:
    """A workbook with one header row and the given rows, as an upload would carry it."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def world(db: Any) -> World:
    """Two districts (Fengze, Jinjiang) with small trees, members, and one user per role.

    fz-root (Fengze CBD committee)
      ├── fz-b1 (building general branch)
      │     ├── fz-e1 (enterprise branch, two new)
      │     └── fz-e2 (enterprise branch, two new)
      └── fz-b2 (building general branch)
    jj-root (Jinjiang committee)
      └── jj-e1 (enterprise branch)
    """
    from accounts.models import Role, User
    from accounts.services import role_assign
    from organizations import services
    from organizations.choices import MemberStatus, OrganizationType, PersonKind, RegionLevel, Sector, UnitKind

    r: dict[str, Any] = {}
    r["fj"] = services.region_create(actor=None, data={"name": "福建省", "code": "350000", "level": RegionLevel.PROVINCE})
    r["qz"] = services.region_create(actor=None, data={"name": "泉州市", "code": "350500", "level": RegionLevel.CITY,
                                                       "parent": r["fj"]})
    r["fz"] = services.region_create(actor=None, data={"name": "丰泽区", "code": "350503",
                                                       "level": RegionLevel.DISTRICT, "parent": r["qz"]})
    r["sc"] = services.region_create(actor=None, data={"name": "四川省", "code": "510000", "level": RegionLevel.PROVINCE})
    r["jj"] = services.region_create(actor=None, data={"name": "锦江区", "code": "510104",
                                                       "level": RegionLevel.DISTRICT, "parent": r["sc"]})
    unit = services.unit_create(actor=None, data={"name": "泉州某科技有限公司", "kind": UnitKind.PRIVATE,
                                                  "region": r["fz"], "credit_code": "91350503MA0000001X"})

    def org(code: str, name: str, parent: Any, region: Any, type_: str, sector: str, **extra: Any) -> Any:
        return services.organization_create(actor=None, data={"code": code, "name": name, "parent": parent,
                                                              "region": region, "type": type_, "sector": sector,
                                                              **extra})

    o: dict[str, Any] = {}
    o["fz-root"] = org("fz-root", "丰泽CBD总部党委", None, r["fz"], OrganizationType.COMMITTEE, Sector.PARK)
    o["fz-b1"] = org("fz-b1", "一号楼联合党总支", o["fz-root"], r["fz"], OrganizationType.GENERAL_BRANCH, Sector.BUILDING)
    o["fz-e1"] = org("fz-e1", "某科技公司党支部", o["fz-b1"], r["fz"], OrganizationType.BRANCH, Sector.NON_PUBLIC,
                     unit=unit, contact_phone="13800001111")
    o["fz-e2"] = org("fz-e2", "某协会党支部", o["fz-b1"], r["fz"], OrganizationType.BRANCH, Sector.SOCIAL)
    o["fz-b2"] = org("fz-b2", "二号楼联合党总支", o["fz-root"], r["fz"], OrganizationType.GENERAL_BRANCH, Sector.BUILDING)
    o["jj-root"] = org("jj-root", "锦江区商圈党委", None, r["jj"], OrganizationType.COMMITTEE, Sector.PARK)
    o["jj-e1"] = org("jj-e1", "成都某百货党支部", o["jj-root"], r["jj"], OrganizationType.BRANCH, Sector.NON_PUBLIC)

    def person(key: str, org_key: str, id_seq: str) -> Any:
        return services.person_create(actor=None, data={
            "kind": PersonKind.MEMBER, "name": f"成员{key}", "organization": o[org_key],
            "member_status": MemberStatus.FULL, "id_number": make_id(r["fz"].code, "19900101", id_seq),
            "phone": f"1380000{id_seq}0"})

    p = {"e1-a": person("e1-a", "fz-e1", "001"), "e1-b": person("e1-b", "fz-e1", "002"),
         "b2-a": person("b2-a", "fz-b2", "003"), "jj-a": person("jj-a", "jj-e1", "004")}

    u: dict[str, Any] = {}
    for name, role, scope in [
        ("admin", Role.PLATFORM_ADMIN, {}),
        ("staff_fz", Role.DEPARTMENT_STAFF, {"region": r["fz"]}),
        ("staff_jj", Role.DEPARTMENT_STAFF, {"region": r["jj"]}),
        ("secretary_b1", Role.SECRETARY, {"organization": o["fz-b1"]}),
        ("member", Role.MEMBER, {}),
        ("auditor", Role.AUDITOR, {}),
    ]:
        u[name] = User.objects.create_user(username=name, password="Correct-Horse-42")
        role_assign(actor=None, user=u[name], role=role, **scope)
    u["norole"] = User.objects.create_user(username="norole", password="Correct-Horse-42")
    p["e1-a"].user = u["member"]
    p["e1-a"].save(update_fields=["user"])
    return World(regions=r, orgs=o, people=p, users=u)


@pytest.fixture
def client_for(world: World) -> Any:
    def make(username: str) -> Client:
        c = Client()
        c.force_login(world.users[username])
        return c

    return make
