"""The REST API: a campaign set up and opened, a nomination drafted, submitted, reviewed by the stage's reviewer
(who does not manage it), the errors with their stable codes, ids out of reach answered as missing, honours."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from commendations.models import Honour, Nomination

from .conftest import make_campaign

JSON = "application/json"


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type=JSON)


def test_set_up_and_open_a_campaign(world: Any, client_for: Any) -> None:
    staff = client_for("staff_fz")
    today = timezone.localdate().isoformat()
    response = post(staff, "/api/v1/commendation-campaigns/", {
        "title": "两优一先", "year": 2026, "issuer": world.orgs["fz-root"].pk, "nominate_from": today,
        "nominate_until": today, "review_until": today, "decide_by": today})
    assert response.status_code == 201, response.json()
    url = f"/api/v1/commendation-campaigns/{response.json()['id']}/"
    assert post(staff, url + "open/").json()["errors"][0]["code"] == "commendation_incomplete"
    category = post(staff, url + "categories/", {"kind": "person", "name": "优秀共产党员", "quota_total": 2})
    assert category.status_code == 201
    bad = post(staff, url + "categories/", {"kind": "organization", "name": "先进基层党组织", "quota_total": 1,
                                            "organization_types": ["branch", "club"]})
    assert bad.status_code == 400 and "club" in str(bad.json())
    over = post(staff, url + "quotas/", {"category": category.json()["id"], "organization": world.orgs["fz-b1"].pk,
                                         "number": 3})
    assert over.status_code == 400 and over.json()["errors"][0]["code"] == "commendation_over_quota"
    assert post(staff, url + "quotas/", {"category": category.json()["id"], "organization": world.orgs["fz-b1"].pk,
                                         "number": 2}).status_code == 200
    assert post(staff, url + "stages/", {"name": "党委审核", "organization": world.orgs["fz-root"].pk}
                ).status_code == 201
    opened = post(staff, url + "open/")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    # Jinjiang's staff do not see it; a Fengze committee of theirs cannot be named.
    assert client_for("staff_jj").get(url).status_code == 404
    assert post(client_for("staff_jj"), "/api/v1/commendation-campaigns/", {
        "title": "x", "year": 2026, "issuer": world.orgs["fz-root"].pk, "nominate_from": today,
        "nominate_until": today, "review_until": today, "decide_by": today}).json()["errors"][0]["code"] == \
        "does_not_exist"


def test_nominate_submit_review_through_the_api(world: Any, sec_root: Any, client_for: Any) -> None:
    campaign = make_campaign(world)
    category = campaign.categories.get(name="优秀共产党员")
    branch = client_for("secretary_b1")
    body = {"campaign": campaign.pk, "category": category.pk, "nominator": world.orgs["fz-b1"].pk,
            "person": world.people["e1-b"].pk, "deeds": "带头服务企业", "declared": True}
    out_of_reach = post(branch, "/api/v1/nominations/", {**body, "person": world.people["jj-a"].pk})
    assert out_of_reach.status_code == 400 and out_of_reach.json()["errors"][0]["code"] == "does_not_exist"
    created = post(branch, "/api/v1/nominations/", body)
    assert created.status_code == 201, created.json()
    url = f"/api/v1/nominations/{created.json()['id']}/"
    submitted = post(branch, url + "submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["snapshot"]["organization"] == "某科技公司党支部"
    edit = branch.patch(url, {"deeds": "改写"}, content_type=JSON)
    assert edit.status_code == 400 and edit.json()["errors"][0]["code"] == "commendation_not_editable"
    assert Nomination.objects.get().deeds == "带头服务企业"

    root = Client()
    root.force_login(sec_root)
    reviewed = post(root, url + "review/", {"opinion": "return", "comment": "补充事迹"})
    assert reviewed.status_code == 201 and reviewed.json()["stage"] == "党委审核"
    assert branch.patch(url, {"deeds": "补充后的事迹"}, content_type=JSON).status_code == 200
    assert post(branch, url + "submit/").json()["status"] == "submitted"
    assert post(branch, url + "review/", {"opinion": "pass"}).status_code == 403  # not a reviewer of the stage
    assert post(client_for("member"), url + "review/", {"opinion": "pass"}).status_code == 404
    assert [r["opinion"] for r in branch.get(url + "reviews/").json()] == ["return"]


def test_honours_are_listed_as_their_holders_are_seen(world: Any, client_for: Any) -> None:
    campaign = make_campaign(world, open_=False)
    Honour.objects.create(person=world.people["e1-b"], category_name="优秀共产党员", year=campaign.year)
    listed = client_for("secretary_b1").get("/api/v1/honours/").json()["results"]
    assert [(h["person_name"], h["category_name"]) for h in listed] == [("成员e1-b", "优秀共产党员")]
    assert client_for("staff_jj").get("/api/v1/honours/").json()["results"] == []
