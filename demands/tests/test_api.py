"""The REST API of the three lists: a case from raising to rating, resources, matches, the report; scoping and bad
payloads."""

from __future__ import annotations

from typing import Any

from django.test import Client

from demands import services
from demands.models import DemandCategory, Resource

from .conftest import offer

JSON = "application/json"


def test_a_demand_through_the_api(world: Any, client_for: Any) -> None:
    requester = client_for("norole")
    talent = DemandCategory.objects.get(code="talent")
    bad = requester.post("/api/v1/demands/", {"title": "", "category": 999999, "region": world.regions["fz"].pk,
                                              "contact_phone": "123"}, content_type=JSON)
    assert bad.status_code == 400 and {"title", "category", "contact_phone", "description"} <= set(bad.json())
    made = requester.post("/api/v1/demands/", {
        "title": "招聘数控技工", "description": "急需数控技工20名", "category": talent.pk, "region": world.regions["fz"].pk,
        "requester_kind": "unit", "requester_name": "某科技公司", "contact_name": "王经理",
        "contact_phone": "13800001234"}, content_type=JSON)
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["status"] == "submitted" and body["contact_phone_masked"] == "138****1234"
    assert "contact_phone" not in body and body["accept_due"]
    did = body["id"]
    staff, secretary = client_for("staff_fz"), client_for("secretary_b1")
    assert requester.post(f"/api/v1/demands/{did}/accept/", {}, content_type=JSON).status_code == 403
    assert staff.post(f"/api/v1/demands/{did}/accept/", {}, content_type=JSON).json()["status"] == "accepted"
    out_of_reach = staff.post(f"/api/v1/demands/{did}/assign/", {"organization": world.orgs["jj-e1"].pk},
                              content_type=JSON)
    assert out_of_reach.status_code == 400 and "对象不存在" in str(out_of_reach.json())
    assigned = staff.post(f"/api/v1/demands/{did}/assign/", {"organization": world.orgs["fz-b1"].pk},
                          content_type=JSON)
    assert assigned.json()["handler_organization"] == world.orgs["fz-b1"].pk
    assert secretary.post(f"/api/v1/demands/{did}/resolve/", {"resolution": ""}, content_type=JSON).status_code == 400
    assert secretary.post(f"/api/v1/demands/{did}/resolve/", {"resolution": "专场招聘会招到18人"},
                          content_type=JSON).json()["status"] == "resolved"
    assert staff.post(f"/api/v1/demands/{did}/rate/", {"rating": 5}, content_type=JSON).status_code == 403
    assert requester.post(f"/api/v1/demands/{did}/rate/", {"rating": 9}, content_type=JSON).status_code == 400
    rated = requester.post(f"/api/v1/demands/{did}/rate/", {"rating": 5}, content_type=JSON)
    assert rated.json()["status"] == "closed"
    comment = requester.post(f"/api/v1/demands/{did}/events/", {"note": "谢谢"}, content_type=JSON)
    assert comment.status_code == 201
    kinds = [e["kind"] for e in requester.get(f"/api/v1/demands/{did}/events/").json()]
    assert kinds == ["submitted", "accepted", "assigned", "resolved", "rated", "comment"]
    assert client_for("staff_jj").get(f"/api/v1/demands/{did}/").status_code == 404
    assert client_for("staff_jj").post(f"/api/v1/demands/{did}/events/", {"note": "x"},
                                       content_type=JSON).status_code == 404
    assert client_for("member").get("/api/v1/demands/").json()["count"] == 0


def test_resources_matches_and_the_report_through_the_api(world: Any, client_for: Any) -> None:
    staff = client_for("staff_fz")
    made = staff.post("/api/v1/resources/", {
        "title": "人社所专场招聘会", "kind": "channel", "description": "每月专场招聘会，对接数控技工。",
        "organization": world.orgs["fz-b1"].pk, "region": world.regions["fz"].pk}, content_type=JSON)
    assert made.status_code == 201, made.json()
    rid = made.json()["id"]
    elsewhere = staff.post("/api/v1/resources/", {
        "title": "x", "kind": "venue", "description": "x", "organization": world.orgs["jj-e1"].pk,
        "region": world.regions["jj"].pk}, content_type=JSON)
    assert elsewhere.status_code == 400 and "对象不存在" in str(elsewhere.json()["organization"])
    assert staff.delete(f"/api/v1/resources/{rid}/").status_code == 405  # withdraw instead
    demand = services.demand_submit(actor=None, data={  # recorded by the system: no creator who sees it
        "title": "招聘数控技工", "description": "急需数控技工", "category": DemandCategory.objects.get(code="talent"),
        "region": world.regions["fz"], "requester_kind": "unit", "requester_name": "某公司", "contact_name": "王"})
    recs = staff.get(f"/api/v1/demands/{demand.pk}/recommendations/").json()
    assert recs["resources"][0]["id"] == rid and recs["resources"][0]["reasons"]
    assert recs["handlers"][0]["id"] == world.orgs["fz-b1"].pk
    assert client_for("norole").get(f"/api/v1/demands/{demand.pk}/recommendations/").status_code == 404
    served = staff.get(f"/api/v1/resources/{rid}/could-serve/").json()
    assert served[0]["id"] == demand.pk
    match = staff.post(f"/api/v1/demands/{demand.pk}/match/", {"resource": rid, "outcome": "assigned"},
                       content_type=JSON)
    assert match.status_code == 201 and match.json()["organization"] == world.orgs["fz-b1"].pk
    withdrawn = staff.post(f"/api/v1/resources/{rid}/withdraw/", {"reason": "暂停"}, content_type=JSON)
    assert withdrawn.json()["status"] == "withdrawn"
    report = staff.get("/api/v1/demand-report/", {"group": "handler"}).json()
    assert report["rows"][0]["name"] == world.orgs["fz-b1"].name and report["rows"][0]["open"] == 1
    assert "overdue" in report["definitions"] and report["totals"]["received"] == 1
    assert staff.get("/api/v1/demand-report/", {"group": "nope"}).status_code == 400
    assert client_for("staff_jj").get("/api/v1/demand-report/").json()["totals"]["received"] == 0
    assert Resource.objects.count() == 1


def test_resource_api_scoping(world: Any, client_for: Any) -> None:
    resource = offer(world, "jj-e1")
    assert client_for("staff_fz").get(f"/api/v1/resources/{resource.pk}/").status_code == 404
    assert client_for("staff_jj").get(f"/api/v1/resources/{resource.pk}/").status_code == 200
    patched = client_for("staff_fz").patch(f"/api/v1/resources/{resource.pk}/", {"title": "x"}, content_type=JSON)
    assert patched.status_code == 404


def test_errors_carry_stable_codes_beside_the_translated_message(world: Any, client_for: Any) -> None:
    """A client can rely on ``code``; the message is in the user's language (api.errors)."""
    from demands.error_codes import DemandErrorCode
    from demands.tests.conftest import raise_demand

    staff, requester = client_for("staff_fz"), client_for("norole")
    did = raise_demand(world).pk
    assert staff.post(f"/api/v1/demands/{did}/accept/", {}, content_type=JSON).status_code == 200
    again = staff.post(f"/api/v1/demands/{did}/accept/", {}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.status_code == 400
    [error] = again.json()["errors"]
    assert error["code"] == DemandErrorCode.STEP_NOT_ALLOWED and error["field"] is None
    assert "不能" in error["message"] and again.json()["non_field_errors"] == [error["message"]]
    bad = requester.post("/api/v1/demands/", {"title": "", "region": world.regions["fz"].pk}, content_type=JSON)
    codes = {(e["field"], e["code"]) for e in bad.json()["errors"]}
    assert {("title", "blank"), ("category", "required")} <= codes
    denied = requester.post(f"/api/v1/demands/{did}/decline/", {"reason": "x"}, content_type=JSON)
    assert (denied.status_code, denied.json()["code"]) == (403, "permission_denied")
    hidden = client_for("staff_jj").get(f"/api/v1/demands/{did}/")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    anonymous = Client().get("/api/v1/demands/")
    assert anonymous.status_code in (401, 403) and anonymous.json()["code"] == "not_authenticated"
