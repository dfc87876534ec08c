"""Every role × every list, detail and export: exactly what the scope allows, 404 outside it, 0 leaks."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

ALL_ORGS = {"fz-root", "fz-b1", "fz-e1", "fz-e2", "fz-b2", "jj-root", "jj-e1"}
FZ_ORGS = {"fz-root", "fz-b1", "fz-e1", "fz-e2", "fz-b2"}
ALL_PEOPLE = {"e1-a", "e1-b", "b2-a", "jj-a"}

VISIBLE_ORGS = {
    "admin": ALL_ORGS,
    "auditor": ALL_ORGS,
    "staff_fz": FZ_ORGS,
    "staff_jj": {"jj-root", "jj-e1"},
    "secretary_b1": {"fz-b1", "fz-e1", "fz-e2"},
    "member": {"fz-e1"},
    "norole": set(),
}
VISIBLE_PEOPLE = {
    "admin": ALL_PEOPLE,
    "auditor": ALL_PEOPLE,
    "staff_fz": {"e1-a", "e1-b", "b2-a"},
    "staff_jj": {"jj-a"},
    "secretary_b1": {"e1-a", "e1-b"},
    "member": {"e1-a"},
    "norole": set(),
}
UNIT_VISIBLE = {"admin": True, "auditor": True, "staff_fz": True, "staff_jj": False, "secretary_b1": True,
                "member": True, "norole": False}
ROLES = list(VISIBLE_ORGS)


def _codes(world: Any, ids: set[int]) -> set[str]:
    return {code for code, org in world.orgs.items() if org.pk in ids}


def _people(world: Any, ids: set[int]) -> set[str]:
    return {key for key, p in world.people.items() if p.pk in ids}


@pytest.mark.parametrize("role", ROLES)
def test_api_organization_list_and_detail(world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    response = client.get("/api/v1/organizations/?page_size=200")
    if role == "norole":
        assert response.json()["count"] == 0
    assert _codes(world, {row["id"] for row in response.json()["results"]}) == VISIBLE_ORGS[role]
    assert response.json()["count"] == len(VISIBLE_ORGS[role])
    for code, org in world.orgs.items():
        detail = client.get(f"/api/v1/organizations/{org.pk}/")
        assert detail.status_code == (200 if code in VISIBLE_ORGS[role] else 404), (role, code)


@pytest.mark.parametrize("role", ROLES)
def test_api_member_list_and_detail(world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    rows = client.get("/api/v1/members/?page_size=200").json()["results"]
    assert _people(world, {row["id"] for row in rows}) == VISIBLE_PEOPLE[role]
    for key, person in world.people.items():
        detail = client.get(f"/api/v1/members/{person.pk}/")
        assert detail.status_code == (200 if key in VISIBLE_PEOPLE[role] else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_api_units_regions_audit(world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    units = client.get("/api/v1/units/").json()["results"]
    assert (len(units) == 1) is UNIT_VISIBLE[role]
    regions = client.get("/api/v1/regions/").json()["results"]
    assert len(regions) == (0 if role == "norole" else len(world.regions))
    audit = client.get("/api/v1/audit-events/")
    assert (audit.json()["count"] > 0) is (role in {"admin", "auditor"})


@pytest.mark.parametrize("role", ROLES)
def test_ui_lists_details_and_exports(world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    page = client.get("/organizations/?per_page=100").content.decode()
    for code, org in world.orgs.items():
        assert (f'href="/organizations/{org.pk}/"' in page) is (code in VISIBLE_ORGS[role]), (role, code)
        assert client.get(f"/organizations/{org.pk}/").status_code == (200 if code in VISIBLE_ORGS[role] else 404)
    for key, person in world.people.items():
        status = client.get(f"/organizations/people/{person.pk}/").status_code
        assert status == (200 if key in VISIBLE_PEOPLE[role] else 404), (role, key)

    export = client.post("/organizations/", {"export": "xlsx"})
    names = {row[0] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True)}
    assert names == {world.orgs[c].name for c in VISIBLE_ORGS[role]}

    export = client.post("/organizations/people/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {world.people[k].name for k in VISIBLE_PEOPLE[role]}
    assert all("*" in (r[3] or "*") for r in rows), "exported ID numbers must be masked"


@pytest.mark.parametrize("role", ["staff_jj", "secretary_b1", "member", "norole"])
def test_filters_cannot_widen_scope(world: Any, client_for: Any, role: str) -> None:
    """Asking for a subtree outside the scope yields nothing (the choice is not even offered)."""
    client = client_for(role)
    root = world.orgs["fz-root"] if role == "staff_jj" else world.orgs["jj-root"]
    rows = client.get(f"/api/v1/organizations/?under={root.pk}").json()
    assert rows.get("count", 0) == 0 or "under" in rows


def test_audit_log_page_only_for_auditors(world: Any, client_for: Any) -> None:
    assert client_for("auditor").get("/audit/").status_code == 200
    assert client_for("admin").get("/audit/").status_code == 200
    for role in ["staff_fz", "secretary_b1", "member", "norole"]:
        assert client_for(role).get("/audit/").status_code == 404


@pytest.mark.parametrize("role", ["auditor", "member", "norole"])
def test_read_only_roles_cannot_write(world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    org = world.orgs["fz-e1"]
    assert client.patch(f"/api/v1/organizations/{org.pk}/", {"name": "x"},
                        content_type="application/json").status_code in (403, 404)
    assert client.post("/api/v1/organizations/", {"name": "x"}, content_type="application/json").status_code == 403
    org.refresh_from_db()
    assert org.name == "某科技公司党支部"


def test_secretary_writes_only_inside_subtree(world: Any, client_for: Any) -> None:
    client = client_for("secretary_b1")
    inside, outside_visible_parent = world.orgs["fz-e1"], world.orgs["fz-b2"]
    ok = client.patch(f"/api/v1/organizations/{inside.pk}/", {"short_name": "科技支部"},
                      content_type="application/json")
    assert ok.status_code == 200
    # fz-b2 is outside the secretary's subtree: invisible, so 404 rather than 403.
    assert client.patch(f"/api/v1/organizations/{outside_visible_parent.pk}/", {"short_name": "x"},
                        content_type="application/json").status_code == 404
    # Creating under an organization outside the subtree is refused with a field error.
    bad = client.post("/api/v1/organizations/", {"name": "新支部", "type": "branch", "sector": "non_public",
                                                 "region": world.regions["fz"].pk, "parent": world.orgs["fz-root"].pk},
                      content_type="application/json")
    assert bad.status_code == 400
    assert "parent" in bad.json()
