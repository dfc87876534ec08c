"""Recommendations in the platform: ranked with reasons, scoped to the viewer, following additions and withdrawals
without a rebuild; accepting a match assigns the demand or starts a project."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from demands import matches, recommend, resources, services
from demands.choices import DemandStatus, EventKind, MatchOutcome
from demands.models import DemandCategory, Match, Resource
from projects.choices import ProjectOrigin

from .conftest import offer, raise_demand


@pytest.fixture
def offers(world: Any) -> dict[str, Any]:
    return {
        "jobs": offer(world, "fz-b1", title="人社所专场招聘会", kind="channel",
                      description="每月一场专场招聘会，可对接数控技工、普工等岗位。"),
        "hall": offer(world, "fz-b2", title="二号楼多功能厅", kind="venue", description="可容纳80人的会议场地。"),
        "loan": offer(world, "fz-b1", title="科技贷", kind="funding", description="小微企业信用贷款，最快三天放款。"),
        "far": offer(world, "jj-e1", title="锦江人才市场招聘会", kind="channel",
                     description="专场招聘会，对接数控技工。"),
    }


def test_a_demand_gets_ranked_resources_with_reasons(world: Any, offers: Any) -> None:
    demand = raise_demand(world)  # 招聘数控技工 in Fengze
    found = recommend.recommend_resources(world.users["staff_fz"], demand)
    assert found[0].object == offers["jobs"]
    reasons = " | ".join(found[0].reasons)
    assert "Shared words:" in reasons and "数控" in reasons and "招聘" in reasons
    assert "usually serves “Talent and hiring” demands" in reasons and "In 丰泽区, where the demand is" in reasons
    assert offers["far"] not in [r.object for r in found]  # Jinjiang's resource is out of Fengze staff's sight
    handlers = recommend.recommend_handlers(world.users["staff_fz"], demand, found)
    assert handlers[0].object == world.orgs["fz-b1"] and "人社所专场招聘会" in handlers[0].reasons[0]


def test_the_index_follows_new_and_withdrawn_resources_without_a_rebuild(world: Any, offers: Any) -> None:
    staff = world.users["staff_fz"]
    demand = raise_demand(world, title="需要场地开展培训", description="需要可容纳50人的培训场地",
                          category=DemandCategory.objects.get(code="training"))
    first = [r.object.pk for r in recommend.recommend_resources(staff, demand)]
    assert first[0] == offers["hall"].pk
    index, built = recommend.RESOURCES.index, recommend.RESOURCES.built_at
    resources.resource_withdraw(actor=staff, resource=offers["hall"])
    course = offer(world, "fz-b2", title="电商直播培训课程", kind="training", description="培训场地与讲师，50人")
    after = [r.object.pk for r in recommend.recommend_resources(staff, demand)]
    assert offers["hall"].pk not in after and after[0] == course.pk
    assert recommend.RESOURCES.index is index and recommend.RESOURCES.built_at == built  # no rebuild
    resources.resource_update(actor=staff, resource=course, data={"available_until": demand.created_at.date()
                                                                  .replace(year=2000)})
    assert course.pk not in [r.object.pk for r in recommend.recommend_resources(staff, demand)]  # not available


def test_a_resource_finds_the_open_demands_it_could_serve(world: Any, offers: Any) -> None:
    demand = raise_demand(world)
    other = raise_demand(world, title="申请小微企业贷款", description="流动资金紧张，希望申请信用贷款",
                         category=DemandCategory.objects.get(code="financing"))
    found = recommend.recommend_demands(world.users["staff_fz"], offers["jobs"])
    assert [r.object for r in found][:1] == [demand] and other not in [r.object for r in found][:1]
    services.demand_decline(actor=world.users["staff_fz"], demand=demand, reason="重复提交")
    assert demand not in [r.object for r in recommend.recommend_demands(world.users["staff_fz"], offers["jobs"])]
    assert recommend.recommend_demands(world.users["staff_jj"], offers["far"]) == []  # Fengze's cases: not theirs


def test_accepting_a_match_accepts_and_assigns_in_one_step(world: Any, offers: Any) -> None:
    staff = world.users["staff_fz"]
    demand = raise_demand(world)
    reasons = recommend.recommend_resources(staff, demand)[0].reasons
    match = matches.match_accept(actor=staff, demand=demand, resource=offers["jobs"], outcome=MatchOutcome.ASSIGNED,
                                 reasons=reasons)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ASSIGNED and demand.handler_organization == world.orgs["fz-b1"]
    assert match.reasons == reasons and match.organization == world.orgs["fz-b1"]
    assert list(demand.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED, EventKind.ACCEPTED,
                                                                   EventKind.ASSIGNED]
    assert "人社所专场招聘会" in demand.events.get(kind=EventKind.ASSIGNED).note


def test_a_match_can_start_a_cooperation_project(world: Any, offers: Any) -> None:
    staff = world.users["staff_fz"]
    demand = raise_demand(world, actor=world.users["staff_fz"], requester_kind="organization",
                          requester_organization=world.orgs["fz-e1"])
    match = matches.match_accept(actor=staff, demand=demand, resource=offers["jobs"], outcome=MatchOutcome.PROJECT)
    project = match.project
    assert project is not None and project.origin == ProjectOrigin.MATCH
    assert list(project.demands.all()) == [demand] and list(project.resources.all()) == [offers["jobs"]]
    assert {o.code for o in project.owners.all()} == {"fz-b1", "fz-e1"}
    assert project.owner_links.get(is_lead=True).organization == world.orgs["fz-b1"]
    demand.refresh_from_db()
    assert demand.handler_organization == world.orgs["fz-b1"]
    assert match.reasons  # what the recommendation said, kept without the caller passing it


def test_the_case_page_lists_only_projects_the_viewer_may_see(world: Any, offers: Any, client_for: Any) -> None:
    demand = raise_demand(world)
    project = matches.match_accept(actor=world.users["staff_fz"], demand=demand, resource=offers["jobs"],
                                   outcome=MatchOutcome.PROJECT).project
    assert project is not None
    assert project.get_absolute_url() in client_for("staff_fz").get(demand.get_absolute_url()).content.decode()
    assert project.get_absolute_url() not in client_for("norole").get(demand.get_absolute_url()).content.decode()


def test_who_may_accept_a_match_and_what(world: Any, offers: Any) -> None:
    demand = raise_demand(world)
    with pytest.raises(PermissionDenied):
        matches.match_accept(actor=world.users["norole"], demand=demand, resource=offers["jobs"],
                             outcome=MatchOutcome.ASSIGNED)
    with pytest.raises(ValidationError, match="Choose a resource from the recommendations"):
        matches.match_accept(actor=world.users["staff_fz"], demand=demand, resource=offers["far"],
                             outcome=MatchOutcome.ASSIGNED)
    resources.resource_withdraw(actor=None, resource=offers["jobs"])
    offers["jobs"].refresh_from_db()
    with pytest.raises(ValidationError, match="withdrawn"):
        matches.match_accept(actor=world.users["staff_fz"], demand=demand, resource=offers["jobs"],
                             outcome=MatchOutcome.ASSIGNED)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SUBMITTED and not Match.objects.exists()  # nothing half-done


def test_recommendations_on_the_case_page(world: Any, offers: Any, client_for: Any) -> None:
    demand = raise_demand(world)
    staff = client_for("staff_fz")
    page = staff.get(demand.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="recommendations"' in page and "人社所专场招聘会" in page and "Shared words:" in page
    requester = client_for("norole").get(demand.get_absolute_url()).content.decode()
    assert 'data-testid="recommendations"' not in requester  # only the case's managers see them
    staff.post(f"/demands/{demand.pk}/do/match/", {"resource": offers["jobs"].pk, "outcome": "assigned"})
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ASSIGNED and Match.objects.get().reasons
    resource_page = staff.get(offers["jobs"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Demands it served" in resource_page and demand.title in resource_page


def test_a_change_committed_late_or_made_behind_the_platform_is_still_followed(world: Any, offers: Any) -> None:
    staff = world.users["staff_fz"]
    demand = raise_demand(world)
    assert recommend.recommend_resources(staff, demand)[0].object == offers["jobs"]
    # A row stamped 10 minutes before its transaction committed (a long import): still picked up.
    ten_minutes_ago = timezone.now() - dt.timedelta(minutes=10)
    Resource.objects.filter(pk=offers["jobs"].pk).update(status="withdrawn", updated_at=ten_minutes_ago)
    assert offers["jobs"] not in [r.object for r in recommend.recommend_resources(staff, demand)]
    # A row deleted in the database by hand disappears at the next reconciliation, without a rebuild.
    index = recommend.RESOURCES.index
    Resource.objects.filter(pk=offers["hall"].pk).delete()
    recommend.RESOURCES.built_at -= 10 * 3600
    recommend.recommend_resources(staff, demand)
    assert offers["hall"].pk not in index and recommend.RESOURCES.index is index


def test_no_match_on_a_finished_case_and_no_case_text_in_the_project(world: Any, offers: Any) -> None:
    staff = world.users["staff_fz"]
    demand = raise_demand(world)
    services.demand_decline(actor=staff, demand=demand, reason="重复提交")
    with pytest.raises(ValidationError, match="“declined”; a match can no longer be accepted"):
        matches.match_accept(actor=staff, demand=demand, resource=offers["jobs"], outcome=MatchOutcome.PROJECT)
    assert not Match.objects.exists()
    other = raise_demand(world, description="企业内部经营困难，涉及商业秘密")
    project = matches.match_accept(actor=staff, demand=other, resource=offers["jobs"],
                                   outcome=MatchOutcome.PROJECT).project
    assert project is not None and "商业秘密" not in project.description and other.title not in project.title


def test_filter_choices_and_linked_cases_stay_in_scope(world: Any, offers: Any, alliances: Any,
                                                       client_for: Any) -> None:
    demand = raise_demand(world)
    matches.match_accept(actor=world.users["staff_fz"], demand=demand, resource=offers["jobs"],
                         outcome=MatchOutcome.ASSIGNED)
    listing = client_for("norole").get("/demands/").content.decode()
    assert world.orgs["jj-e1"].name not in listing  # the filter's choices are not the whole organization table
    api = client_for("staff_jj").get("/api/v1/resources/", {"organization": world.orgs["fz-b1"].pk})
    assert api.status_code == 400  # an organization out of reach is refused like a missing one
    page = client_for("secretary_b1").get(offers["jobs"].get_absolute_url()).content.decode()
    assert demand.title in page  # the handler organization's secretary sees the case it handles
    # Jinjiang staff see the cross-regional alliance's resources but not Fengze's cases they served
    shared = offer(world, "fz-b2", title="共享直播间", kind="channel", description="直播 招聘 数控",
                   alliance=alliances["cross"])
    matches.match_accept(actor=world.users["staff_fz"], demand=raise_demand(world, title="直播招聘数控技工"),
                         resource=shared, outcome=MatchOutcome.ASSIGNED)
    page = client_for("staff_jj").get(shared.get_absolute_url()).content.decode()
    assert "共享直播间" in page and "直播招聘数控技工" not in page


def test_the_indexes_never_read_the_encrypted_phones(world: Any, offers: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    raise_demand(world)
    recommend.reset()
    with CaptureQueriesContext(connection) as queries:
        recommend.RESOURCES.get()
        recommend.DEMANDS.get()
    assert queries.captured_queries and not any("contact_phone" in q["sql"] for q in queries.captured_queries)
