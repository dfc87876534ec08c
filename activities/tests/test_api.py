from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from activities.models import Activity, ActivitySeries, Attendance
from core.models import AuditEvent

from .conftest import at, make_activity

JSON = "application/json"


def test_activity_lifecycle_through_the_api(world: Any, client_for: Any, organs: Any, pair: Any) -> None:
    client = client_for("staff_fz")
    starts = at(days=-1)
    created = client.post("/api/v1/activities/", {
        "kind": "party_day", "theme": "联学主题党日", "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=2)).isoformat(), "lead": organs["fz-o1"].pk, "pairs": [pair.pk]},
        content_type=JSON)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {h["id"] for h in body["hosts"]} == {organs["fz-o1"].pk, world.orgs["fz-e1"].pk}
    aid = body["id"]
    marked = client.post(f"/api/v1/activities/{aid}/attendance/", {"people": [world.people["e1-a"].pk]},
                         content_type=JSON)
    assert marked.status_code == 201 and len(marked.json()["added"]) == 1
    assert client.get(f"/api/v1/activities/{aid}/attendance/").json()["count"] == 1
    empty = client.post(f"/api/v1/activities/{aid}/record/", {"minutes": ""}, content_type=JSON)
    assert empty.status_code == 400 and "minutes" in empty.json()
    recorded = client.post(f"/api/v1/activities/{aid}/record/", {"minutes": "共学"}, content_type=JSON)
    assert recorded.json()["status"] == "recorded"
    illegal = client.post(f"/api/v1/activities/{aid}/cancel/", {"reason": "x"}, content_type=JSON)
    assert illegal.status_code == 400 and "已记录" in str(illegal.json())  # names the current status
    link = client.get(f"/api/v1/activities/{aid}/signin-link/").json()
    assert "/activities/signin/" in link["url"]
    assert client_for("member").get(f"/api/v1/activities/{aid}/signin-link/").status_code == 403
    follow = client.post(f"/api/v1/activities/{aid}/follow-ups/", {"title": "对接招聘",
                                                                     "owner_organization": world.orgs["fz-e1"].pk},
                         content_type=JSON)
    assert follow.status_code == 201
    assert AuditEvent.objects.filter(object_type="activities.activity", object_id=str(aid)).count() >= 3


def test_bad_payloads_get_precise_errors_and_write_nothing(world: Any, client_for: Any) -> None:
    client = client_for("secretary_b1")
    starts = at(days=2)
    bad = client.post("/api/v1/activities/", {
        "kind": "nonsense", "theme": "", "starts_at": "yesterday", "ends_at": starts.isoformat(),
        "lead": world.orgs["fz-e1"].pk}, content_type=JSON)
    assert bad.status_code == 400 and {"kind", "theme", "starts_at"} <= set(bad.json())
    outside = client.post("/api/v1/activities/", {
        "kind": "forum", "theme": "论坛", "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=1)).isoformat(), "lead": world.orgs["jj-e1"].pk,
        "co_hosts": [world.orgs["jj-root"].pk]}, content_type=JSON)
    assert outside.status_code == 400 and {"lead", "co_hosts"} <= set(outside.json())
    assert not Activity.objects.exists()


def test_api_lists_are_scoped(world: Any, client_for: Any) -> None:
    fz = make_activity(world.orgs["fz-e1"])
    jj = make_activity(world.orgs["jj-e1"])
    ids = {a["id"] for a in client_for("staff_jj").get("/api/v1/activities/").json()["results"]}
    assert ids == {jj.pk}
    assert client_for("staff_jj").get(f"/api/v1/activities/{fz.pk}/").status_code == 404
    assert client_for("member").patch(f"/api/v1/activities/{fz.pk}/", {"theme": "x"},
                                      content_type=JSON).status_code == 403
    assert client_for("norole").get("/api/v1/activities/").json()["count"] == 0
    filtered = client_for("admin").get(f"/api/v1/activities/?host={world.orgs['fz-root'].pk}").json()
    assert [a["id"] for a in filtered["results"]] == [fz.pk]


def test_series_matrix_and_ledger_endpoints(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    month = timezone.localdate().replace(day=1)
    created = client.post("/api/v1/activity-series/", {
        "name": "一月一课", "owner": world.orgs["fz-root"].pk, "kind": "micro_lesson",
        "first_month": month.isoformat(), "last_month": month.isoformat(),
        "participants": [world.orgs["fz-e1"].pk, world.orgs["fz-e2"].pk]}, content_type=JSON)
    assert created.status_code == 201, created.json()
    series = ActivitySeries.objects.get()
    make_activity(world.orgs["fz-e1"], series=series, kind="micro_lesson",
                  starts=timezone.now() - dt.timedelta(minutes=5), hours=1)
    matrix = client.get(f"/api/v1/activity-series/{series.pk}/matrix/").json()
    assert {row["name"] for row in matrix} == {world.orgs["fz-e1"].name, world.orgs["fz-e2"].name}
    ledger = client.get(f"/api/v1/ledger/?organization={world.orgs['fz-e1'].pk}").json()
    assert {row["rule"] for row in ledger["rows"]} >= {"支部委员会", "党课"}
    assert client_for("staff_jj").get(f"/api/v1/ledger/?organization={world.orgs['fz-e1'].pk}").status_code == 404
    assert client.get("/api/v1/ledger/").status_code == 400
    assert Attendance.objects.count() == 0
