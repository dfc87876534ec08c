"""The workbench: what waits for each role, computed from the records, gone once done, the same through
/api/v1/todo/, scoped, and with a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities import services as activity_services
from activities.tests.conftest import at, make_activity
from alliances import services as alliance_services
from demands import services as demand_services
from demands.tests.conftest import raise_demand
from workbench.registry import collect


def kinds(user: Any, now: dt.datetime | None = None) -> dict[str, int]:
    return {g.key: g.count for g in collect(user, now)}


def test_each_role_finds_what_waits_for_it_and_it_goes_once_done(world: Any, alliances: Any) -> None:
    staff, secretary, requester = world.users["staff_fz"], world.users["secretary_b1"], world.users["norole"]
    demand = raise_demand(world, alliance=alliances["cbd"])
    assert kinds(staff)["demands.decide"] == 1 and kinds(world.users["cbd_admin"])["demands.decide"] == 1
    assert "demands.decide" not in kinds(world.users["staff_jj"]) and "demands.decide" not in kinds(secretary)
    demand_services.demand_accept(actor=staff, demand=demand)
    assert "demands.decide" not in kinds(staff) and kinds(staff)["demands.assign"] == 1
    demand_services.demand_assign(actor=staff, demand=demand, organization=world.orgs["fz-e1"])
    assert "demands.assign" not in kinds(staff) and kinds(secretary)["demands.handle"] == 1
    demand.refresh_from_db()
    with time_machine.travel(demand.resolve_due + dt.timedelta(hours=1)):  # the deadline passed
        assert kinds(staff)["demands.overdue"] == 1
        [group] = [g for g in collect(secretary) if g.key == "demands.handle"]
        assert group.overdue == 1
    demand_services.demand_resolve(actor=secretary, demand=demand, resolution="已对接")
    assert "demands.handle" not in kinds(secretary) and kinds(requester)["demands.rate"] == 1
    demand_services.demand_rate(actor=requester, demand=demand, rating=5)
    assert "demands.rate" not in kinds(requester)


def test_invitations_applications_and_registrations(world: Any, alliances: Any) -> None:
    cbd, admin = alliances["cbd"], world.users["cbd_admin"]
    alliance_services.membership_invite(actor=admin, alliance=cbd, organization=world.orgs["fz-e2"])
    assert kinds(world.users["secretary_b1"])["alliances.invitations"] == 1  # fz-e2 is in their subtree
    alliance_services.membership_apply(actor=world.users["staff_fz"], alliance=cbd, organization=world.orgs["fz-b2"])
    assert kinds(admin)["alliances.applications"] == 1
    activity = activity_services.activity_open(actor=None, activity=make_activity(world.orgs["fz-e1"],
                                                                                  starts=at(days=3)))
    assert kinds(world.users["staff_fz"])["activities.hosting"] == 1
    activity_services.register(actor=world.users["member"], activity=activity)
    assert kinds(world.users["member"])["activities.registrations"] == 1


def test_held_activities_wait_for_their_record(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-5))
    assert kinds(world.users["secretary_b1"])["activities.record"] == 1
    activity_services.activity_record(actor=world.users["secretary_b1"], activity=activity, minutes="学习")
    assert "activities.record" not in kinds(world.users["secretary_b1"])


def test_the_page_and_the_api_show_the_same_items_in_bounded_queries(world: Any, client_for: Any) -> None:
    client = client_for("staff_fz")
    raise_demand(world)

    def home_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/")
        assert page.status_code == 200 and 'data-testid="todo-demands.decide"' in page.content.decode()
        return len(ctx)

    home_queries()  # the caches warm
    few = home_queries()
    for n in range(8):
        raise_demand(world, title=f"需求{n}")
    assert home_queries() == few  # no query per item
    body = client.get("/api/v1/todo/").json()
    assert body["count"] == 9 and {row["kind"] for row in body["results"]} == {"demands.decide"}
    assert client_for("staff_jj").get("/api/v1/todo/").json()["count"] == 0


def test_a_user_without_a_role_gets_a_home_that_fits(world: Any, client_for: Any) -> None:
    page = client_for("norole").get("/").content.decode()
    assert 'data-testid="todo-empty"' in page and 'href="/demands/add/"' in page
    assert 'data-testid="nav-api"' not in page and "/organizations/tree/" not in page
    staff_page = client_for("staff_fz").get("/").content.decode()
    assert 'data-testid="nav-api"' in staff_page and 'data-testid="nav-accounts"' in staff_page


def test_the_ledger_shows_this_periods_gaps_to_the_secretary(world: Any) -> None:
    now = timezone.now()
    gaps = {g.key: g for g in collect(world.users["secretary_b1"], now)}.get("activities.ledger")
    assert gaps is not None and gaps.count >= 1  # nothing held yet this period by fz-b1 and its branches
    assert all(item.due is not None and item.due >= timezone.localdate(now) for item in gaps.items)


def test_pairs_and_projects_wait_for_their_managers(world: Any, programme: Any, organs: Any) -> None:
    from pairing import services as pairing_services
    from projects import services as project_services
    from projects.tests.test_projects import make

    pair = pairing_services.pair_create(actor=None, programme=programme, organ=organs["fz-o1"],
                                        partners=[world.orgs["fz-e1"]], data={"starts_on": dt.date(2024, 5, 16)})
    staff = world.users["staff_fz"]  # manages the programme's owner (fz-organs, in Fengze)
    assert kinds(staff)["pairing.proposed"] == 1
    pairing_services.pair_activate(actor=staff, pair=pair)
    assert "pairing.proposed" not in kinds(staff)
    year = timezone.localdate().year + 1
    with time_machine.travel(dt.datetime(year, 5, 1, 9, tzinfo=timezone.get_default_timezone())):
        assert kinds(staff)["pairing.reviews"] == 1

    project = make(world)
    milestone = project.milestones.order_by("position", "id").first()
    milestone.due_on = timezone.localdate() - dt.timedelta(days=1)
    milestone.save()
    assert kinds(staff)["projects.milestones"] == 1
    project_services.project_request_progress(actor=world.users["admin"], project=project)
    assert kinds(staff)["projects.progress"] == 1
    project_services.project_report_progress(actor=staff, project=project, note="已签约")
    assert "projects.progress" not in kinds(staff)


def test_every_shortcut_opens_for_the_role_it_is_shown_to(world: Any, alliances: Any, client_for: Any) -> None:
    from workbench.shortcuts import shortcuts

    for role in ["admin", "auditor", "staff_fz", "secretary_b1", "member", "norole", "cbd_admin"]:
        client = client_for(role)
        for shortcut in shortcuts(world.users[role]):
            assert client.get(shortcut.url).status_code == 200, (role, shortcut.url)
