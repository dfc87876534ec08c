from __future__ import annotations

from typing import Any

import pytest

from alliances.models import Alliance, Membership


def test_create_alliance_through_api(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    response = client.post("/api/v1/alliances/", {
        "name": "丰泽楼宇党建联盟", "kind": "building", "regions": [world.regions["fz"].pk],
        "theme": "党建引领"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [w["code"] for w in body["workstreams"]] == ["organization", "resources", "activities", "talent"]
    assert body["regions"] == [world.regions["fz"].pk]
    bad = client.post("/api/v1/alliances/", {"name": "锦江联盟", "kind": "building",
                                             "regions": [world.regions["jj"].pk]}, content_type="application/json")
    assert bad.status_code == 403
    empty = client.post("/api/v1/alliances/", {"name": "空", "kind": "building", "regions": []},
                        content_type="application/json")
    assert empty.status_code == 400
    assert "regions" in empty.json()
    assert not Alliance.objects.filter(name__in=["锦江联盟", "空"]).exists()


def test_invite_accept_flow_through_api(alliances: Any, world: Any, client_for: Any) -> None:
    admin = client_for("cbd_admin")
    invited = admin.post("/api/v1/alliance-memberships/", {
        "alliance": alliances["cbd"].pk, "organization": world.orgs["fz-e2"].pk, "mode": "invite"},
        content_type="application/json")
    assert invited.status_code == 201, invited.content
    mid = invited.json()["id"]
    assert admin.post(f"/api/v1/alliance-memberships/{mid}/accept/").status_code == 403
    secretary = client_for("secretary_b1")
    accepted = secretary.post(f"/api/v1/alliance-memberships/{mid}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "active"
    again = secretary.post(f"/api/v1/alliance-memberships/{mid}/accept/")
    assert again.status_code == 400
    twice = admin.post("/api/v1/alliance-memberships/", {
        "alliance": alliances["cbd"].pk, "organization": world.orgs["fz-e2"].pk, "mode": "invite"},
        content_type="application/json")
    assert twice.status_code == 400


def test_cannot_invite_outside_the_alliance_regions(alliances: Any, world: Any, client_for: Any) -> None:
    response = client_for("cbd_admin").post("/api/v1/alliance-memberships/", {
        "alliance": alliances["cbd"].pk, "organization": world.orgs["jj-e1"].pk, "mode": "invite"},
        content_type="application/json")
    assert response.status_code == 400
    assert not Membership.objects.filter(alliance=alliances["cbd"], organization=world.orgs["jj-e1"]).exists()


def test_an_organization_out_of_reach_is_answered_as_one_that_does_not_exist(alliances: Any, world: Any,
                                                                            client_for: Any) -> None:
    """Naming an organization in another province must not tell that it exists (the answer of a missing id)."""
    def answer(organization_id: int) -> Any:
        response = client_for("cbd_admin").post("/api/v1/alliance-memberships/", {
            "alliance": alliances["cbd"].pk, "organization": organization_id, "mode": "invite"},
            content_type="application/json")
        assert response.status_code == 400
        return response.json()

    out_of_reach, missing = answer(world.orgs["jj-e1"].pk), answer(999999)
    assert list(out_of_reach) == list(missing) == ["organization", "errors"]
    assert out_of_reach["organization"][0] == missing["organization"][0].replace("999999", str(world.orgs["jj-e1"].pk))
    assert [e["code"] for e in out_of_reach["errors"]] == [e["code"] for e in missing["errors"]] == ["does_not_exist"]


def test_refuse_needs_reason(alliances: Any, world: Any, client_for: Any) -> None:
    applied = client_for("secretary_b1").post("/api/v1/alliance-memberships/", {
        "alliance": alliances["cbd"].pk, "organization": world.orgs["fz-e2"].pk, "mode": "apply"},
        content_type="application/json")
    assert applied.status_code == 201, applied.content
    mid = applied.json()["id"]
    admin = client_for("cbd_admin")
    assert admin.post(f"/api/v1/alliance-memberships/{mid}/refuse/", {"reason": ""},
                      content_type="application/json").status_code == 400
    refused = admin.post(f"/api/v1/alliance-memberships/{mid}/refuse/", {"reason": "不在商圈范围内"},
                         content_type="application/json")
    assert refused.json()["status"] == "refused"
    # The applicant still sees its refused application and the reason.
    rows = client_for("secretary_b1").get(f"/api/v1/alliance-memberships/?alliance={alliances['cbd'].pk}").json()
    assert any(r["id"] == mid and r["reason"] == "不在商圈范围内" for r in rows["results"])


ALLIANCES_VISIBLE = {
    "admin": {"cbd", "cross"}, "auditor": {"cbd", "cross"}, "staff_fz": {"cbd", "cross"}, "staff_jj": {"cross"},
    "secretary_b1": {"cbd"}, "member": {"cbd"}, "cbd_admin": {"cbd"}, "norole": set(),
}


@pytest.mark.parametrize("role", list(ALLIANCES_VISIBLE))
def test_alliance_permission_matrix(alliances: Any, world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    rows = client.get("/api/v1/alliances/").json()["results"]
    assert {k for k, a in alliances.items() if a.pk in {r["id"] for r in rows}} == ALLIANCES_VISIBLE[role]
    for key, alliance in alliances.items():
        expected = 200 if key in ALLIANCES_VISIBLE[role] else 404
        assert client.get(f"/api/v1/alliances/{alliance.pk}/").status_code == expected, (role, key)
    memberships = client.get("/api/v1/alliance-memberships/?page_size=200").json()["results"]
    shown_alliances = {m["alliance"] for m in memberships}
    assert shown_alliances <= {alliances[k].pk for k in ALLIANCES_VISIBLE[role]}


def test_cross_regional_staff_see_members_not_their_internals(alliances: Any, world: Any, client_for: Any) -> None:
    client = client_for("staff_jj")
    rows = client.get(f"/api/v1/alliance-memberships/?alliance={alliances['cross'].pk}").json()["results"]
    assert {r["organization_name"] for r in rows} == {world.orgs["fz-b2"].name, world.orgs["jj-e1"].name}
    assert client.get(f"/api/v1/organizations/{world.orgs['fz-b2'].pk}/").status_code == 404
    assert client.get(f"/api/v1/members/{world.people['b2-a'].pk}/").status_code == 404


def test_workstreams_and_organizers_through_the_api(alliances: Any, world: Any, client_for: Any) -> None:
    cbd = alliances["cbd"]
    admin = client_for("cbd_admin")
    added = admin.post(f"/api/v1/alliances/{cbd.pk}/workstreams/", {"code": "culture", "name": "文化共建"},
                       content_type="application/json")
    assert added.status_code == 200, added.content
    assert "culture" in [w["code"] for w in added.json()["workstreams"]]
    twice = admin.post(f"/api/v1/alliances/{cbd.pk}/workstreams/", {"code": "culture", "name": "又一个"},
                       content_type="application/json")
    assert twice.status_code == 400 and "code" in twice.json()
    talent = cbd.workstreams.get(code="talent")
    off = admin.post(f"/api/v1/alliances/{cbd.pk}/workstreams/change/", {"id": talent.pk, "is_active": False},
                     content_type="application/json")
    assert off.status_code == 200
    assert [w["is_active"] for w in off.json()["workstreams"] if w["code"] == "talent"] == [False]
    organizer = admin.post(f"/api/v1/alliances/{cbd.pk}/organizers/", {"part": "host",
                                                                      "organization": world.orgs["fz-root"].pk},
                           content_type="application/json")
    assert organizer.status_code == 200, organizer.content
    oid = organizer.json()["organizers"][0]["id"]
    neither = admin.post(f"/api/v1/alliances/{cbd.pk}/organizers/", {"part": "host"}, content_type="application/json")
    assert neither.status_code == 400
    assert client_for("secretary_b1").post(f"/api/v1/alliances/{cbd.pk}/organizers/{oid}/remove/").status_code == 403
    removed = admin.post(f"/api/v1/alliances/{cbd.pk}/organizers/{oid}/remove/")
    assert removed.status_code == 200 and removed.json()["organizers"] == []
