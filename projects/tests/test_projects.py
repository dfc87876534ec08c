"""Cooperation projects: owners, milestones and progress, status steps (and illegal ones), the result, who sees and
changes a project, and the one timeline from the meeting to the result."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import services as activity_services
from core.models import AuditEvent
from projects import selectors, services
from projects.choices import ProjectOrigin, ProjectStatus
from projects.models import Project

JSON = "application/json"


def make(world: Any, actor: Any = None, **data: Any) -> Project:
    values = {"title": "成渝产业协作", "description": "两地园区产业链对接", "origin": ProjectOrigin.DECISION,
              "decision": "联席会议决定共建产业协作平台", "decided_on": timezone.localdate() - dt.timedelta(days=30),
              **data}
    return services.project_create(actor=actor, data=values, owners=[world.orgs["fz-root"], world.orgs["jj-root"]],
                                   milestones=[{"title": "签订协议"}, {"title": "首批项目落地"}])


def test_progress_follows_milestones_and_the_result_completes(world: Any) -> None:
    project = make(world)
    assert project.status == ProjectStatus.ACTIVE and project.progress == 0
    assert project.owner_links.get(is_lead=True).organization == world.orgs["fz-root"]
    first = project.milestones.get(title="签订协议")
    services.milestone_complete(actor=None, milestone=first)
    project.refresh_from_db()
    assert project.progress == 50
    with pytest.raises(ValidationError, match="already reached"):
        services.milestone_complete(actor=None, milestone=first)
    services.project_report_progress(actor=None, project=project, note="对接企业12家", progress=90)
    project.refresh_from_db()
    assert project.progress == 50  # milestones decide, not the report
    with pytest.raises(ValidationError, match="Describe the result"):
        services.project_complete(actor=None, project=project, result=" ")
    services.project_complete(actor=None, project=project, result="落地项目3个，投资2亿元")
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED and project.progress == 100 and project.completed_on
    with pytest.raises(ValidationError, match="“completed”; it cannot become “suspended”"):
        services.project_set_status(actor=None, project=project, status=ProjectStatus.SUSPENDED)
    with pytest.raises(ValidationError, match="progress is reported while it is under way"):
        services.project_report_progress(actor=None, project=project, note="x")


def test_status_steps_and_cancelling_needs_a_reason(world: Any) -> None:
    project = make(world)
    services.project_set_status(actor=None, project=project, status=ProjectStatus.SUSPENDED, note="资金未到位")
    with pytest.raises(ValidationError, match="reason for cancelling"):
        services.project_set_status(actor=None, project=project, status=ProjectStatus.CANCELLED)
    services.project_set_status(actor=None, project=project, status=ProjectStatus.ACTIVE)
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    assert list(project.events.values_list("kind", flat=True)) == ["created", "status", "status"]


def test_who_sees_and_changes_a_project(world: Any, alliances: Any) -> None:
    project = make(world, alliance=alliances["cross"])
    local = services.project_create(actor=world.users["secretary_b1"], data={
        "title": "楼宇共享会议室", "description": "x"}, owners=[world.orgs["fz-b1"]])
    assert set(Project.objects.restrict(world.users["staff_jj"])) == {project}
    assert set(Project.objects.restrict(world.users["staff_fz"])) == {project, local}
    assert set(Project.objects.restrict(world.users["secretary_b1"])) == {local}
    assert set(Project.objects.restrict(world.users["member"])) == set()
    with pytest.raises(PermissionDenied):
        services.project_report_progress(actor=world.users["secretary_b1"], project=project, note="x")
    with pytest.raises(ValidationError, match="Choose owner organizations from the list"):
        services.project_create(actor=world.users["secretary_b1"], data={"title": "x", "description": "x"},
                                owners=[world.orgs["jj-e1"]])
    with pytest.raises(ValidationError, match="at least one owner"):
        services.project_create(actor=world.users["secretary_b1"], data={"title": "x", "description": "x"},
                                owners=[])
    assert AuditEvent.objects.filter(object_type="projects.project", action="create").count() == 2


def test_one_timeline_from_meeting_to_result(world: Any) -> None:
    start = timezone.now() - dt.timedelta(days=40)
    meeting = activity_services.activity_create(actor=None, lead=world.orgs["fz-root"], co_hosts=[
        world.orgs["jj-root"]], data={"kind": "forum", "theme": "成渝党建联盟联席会议", "starts_at": start,
                                      "ends_at": start + dt.timedelta(hours=3)})
    project = make(world, origin=ProjectOrigin.MEETING, origin_meeting=meeting)
    services.milestone_complete(actor=None, milestone=project.milestones.first())
    services.project_complete(actor=None, project=project, result="平台上线")
    loaded = selectors.project_detail_queryset(world.users["staff_fz"]).get(pk=project.pk)
    kinds = [item.kind for item in selectors.project_timeline(loaded, world.users["staff_fz"])]
    assert kinds[:2] == ["meeting", "decision"] and kinds[-1] == "result"
    assert kinds.index("created") < kinds.index("milestone") < kinds.index("result")


@pytest.mark.parametrize("hour", [9, 15, 23])
def test_a_milestone_reached_today_follows_the_creation_at_any_hour(world: Any, hour: int) -> None:
    """Reached today means now: before the fix a milestone reached in the afternoon was placed at noon, ahead of the
    project created that morning."""
    local = dt.datetime(2026, 11, 22, hour, 30, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(local, tick=True):
        project = make(world, origin=ProjectOrigin.OTHER, decision="", decided_on=None)
        services.milestone_complete(actor=None, milestone=project.milestones.first())
        past = project.milestones.last()
        services.milestone_complete(actor=None, milestone=past, done_on=timezone.localdate() - dt.timedelta(days=3))
        loaded = selectors.project_detail_queryset(world.users["staff_fz"]).get(pk=project.pk)
        items = selectors.project_timeline(loaded, world.users["staff_fz"])
    kinds = [item.kind for item in items]
    assert kinds == ["milestone", "created", "milestone"]
    assert items[0].at == dt.datetime(2026, 11, 19, 12, tzinfo=timezone.get_default_timezone())
    assert items[2].at >= items[1].at


def test_projects_through_pages_and_api(world: Any, client_for: Any, django_assert_max_num_queries: Any) -> None:
    staff = client_for("staff_fz")
    created = staff.post("/api/v1/projects/", {
        "title": "楼宇党建共享空间", "description": "x", "owners": [world.orgs["fz-b1"].pk, world.orgs["fz-b2"].pk],
        "lead": world.orgs["fz-b2"].pk, "milestones": [{"title": "选址"}]}, content_type=JSON)
    assert created.status_code == 201, created.json()
    pid = created.json()["id"]
    assert [o["id"] for o in created.json()["owner_links"] if o["is_lead"]] == [world.orgs["fz-b2"].pk]
    bad = staff.post("/api/v1/projects/", {"title": "x", "description": "x", "owners": [world.orgs["jj-e1"].pk]},
                     content_type=JSON)
    assert bad.status_code == 400 and "owners" in bad.json()
    milestone = created.json()["milestones"][0]["id"]
    reached = staff.post(f"/api/v1/projects/{pid}/milestones/{milestone}/reach/", {}, content_type=JSON)
    assert reached.status_code == 200 and reached.json()["done_on"]
    assert staff.get(f"/api/v1/projects/{pid}/").json()["progress"] == 100
    done = staff.post(f"/api/v1/projects/{pid}/complete/", {"result": "空间启用"}, content_type=JSON)
    assert done.json()["status"] == "completed"
    timeline = staff.get(f"/api/v1/projects/{pid}/timeline/").json()
    assert [i["kind"] for i in timeline] == ["created", "milestone", "result"]
    assert client_for("staff_jj").get(f"/api/v1/projects/{pid}/").status_code == 404
    page = staff.get(f"/projects/{pid}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "空间启用" in page and "Timeline" in page
    form = staff.post("/projects/add/", {"title": "", "owners": []}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Name at least one owner organization." in form
    staff.get("/projects/")
    with django_assert_max_num_queries(30) as few:
        staff.get("/projects/")
    for i in range(4):
        services.project_create(actor=None, data={"title": f"p{i}", "description": "x"}, owners=[world.orgs["fz-b1"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff.get("/projects/")


def test_finished_projects_keep_their_milestones_and_bad_status_is_refused(world: Any, client_for: Any) -> None:
    project = make(world)
    services.project_complete(actor=None, project=project, result="完成")
    with pytest.raises(ValidationError, match="milestones can no longer change"):
        services.milestone_add(actor=None, project=project, title="追加")
    with pytest.raises(ValidationError, match="milestones can no longer change"):
        services.milestone_complete(actor=None, milestone=project.milestones.first())
    project.refresh_from_db()
    assert project.progress == 100
    staff = client_for("staff_fz")
    bogus = staff.post(f"/projects/{project.pk}/do/status/", {"status": "bogus"})
    assert bogus.status_code == 302  # refused with a message, not a server error
    assert staff.post(f"/api/v1/projects/{project.pk}/status/", {"status": "bogus"},
                      content_type=JSON).status_code == 400


def test_owner_changes_are_audited_and_linked_cases_shown_only_to_who_sees_them(
        world: Any, alliances: Any, client_for: Any) -> None:
    from demands import services as demand_services
    from demands.models import DemandCategory

    demand = demand_services.demand_submit(actor=world.users["staff_jj"], data={
        "title": "锦江企业保密诉求", "description": "x", "category": DemandCategory.objects.get(code="other"),
        "region": world.regions["jj"], "requester_kind": "unit", "requester_name": "某公司", "contact_name": "王"})
    project = services.project_create(actor=None, data={"title": "跨区项目", "description": "x",
                                                         "alliance": alliances["cross"]},
                                      owners=[world.orgs["jj-e1"]], demands=[demand])
    page = client_for("staff_fz").get(f"/projects/{project.pk}/").content.decode()  # sees it via the alliance
    assert "跨区项目" in page and "锦江企业保密诉求" not in page
    timeline = client_for("staff_fz").get(f"/api/v1/projects/{project.pk}/timeline/").json()
    assert all("锦江企业保密诉求" not in item["text"] for item in timeline)
    assert "锦江企业保密诉求" in client_for("staff_jj").get(f"/projects/{project.pk}/").content.decode()
    services.project_update(actor=None, project=project, data={}, owners=[world.orgs["jj-e1"], world.orgs["fz-b2"]],
                            lead=world.orgs["fz-b2"], demands=[])
    change = AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.pk)).order_by("id").last()
    assert change is not None and change.changes["lead"]["after"] == world.orgs["fz-b2"].pk
    assert change.changes["demands"] == {"before": [demand.pk], "after": []}
    assert project.events.filter(kind="linked", note__contains="锦江企业保密诉求").exists()  # the unlinking
