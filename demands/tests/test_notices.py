"""Every step of a case reaches whoever must act next and whoever it concerns, once, in their language."""

from __future__ import annotations

from typing import Any

from demands import services
from notifications.models import Notification

from .conftest import raise_demand


def kinds(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user, kind__startswith="demands.").order_by("id")
                .values_list("kind", flat=True))


def test_each_step_reaches_whoever_must_act(world: Any, alliances: Any) -> None:
    staff, requester, secretary = world.users["staff_fz"], world.users["norole"], world.users["secretary_b1"]
    cbd_admin = world.users["cbd_admin"]
    secretary.language = "en"
    secretary.save()
    demand = raise_demand(world, alliance=alliances["cbd"])  # raised by the enterprise contact
    assert kinds(staff) == kinds(cbd_admin) == ["demands.submitted"]  # the region's staff, the alliance's admins
    assert kinds(requester) == []  # not the one who raised it
    note = Notification.objects.get(user=staff, kind="demands.submitted")
    assert note.title == "新需求：招聘数控技工" and note.url == demand.get_absolute_url()
    services.demand_accept(actor=staff, demand=demand)
    assert kinds(requester) == ["demands.decided"]
    # fz-e1 has no secretary of its own: its building branch's secretary answers for it
    services.demand_assign(actor=staff, demand=demand, organization=world.orgs["fz-e1"])
    assert kinds(secretary) == ["demands.assigned"]
    assert Notification.objects.get(user=secretary, kind="demands.assigned").title == "Assigned to 某科技公司党支部: 招聘数控技工"  # English
    assert kinds(requester) == ["demands.decided", "demands.moved"]
    services.demand_resolve(actor=secretary, demand=demand, resolution="组织专场招聘会。")
    resolved = Notification.objects.filter(user=requester, kind__startswith="demands.").latest("id")
    assert resolved.kind == "demands.resolved" and resolved.title.startswith("已办结，请评价")
    assert "组织专场招聘会" in resolved.body
    services.demand_rate(actor=requester, demand=demand, rating=2, comment="只来了3人")
    assert kinds(secretary)[-1] == kinds(staff)[-1] == kinds(cbd_admin)[-1] == "demands.rated_low"
    assert kinds(staff).count("demands.rated_low") == 1
    assert not Notification.objects.filter(user=requester, kind="demands.rated_low").exists()


def test_a_declined_case_tells_the_requester_why(world: Any) -> None:
    demand = raise_demand(world)
    services.demand_decline(actor=world.users["staff_fz"], demand=demand, reason="属于司法程序事项")
    note = Notification.objects.get(user=world.users["norole"])
    assert note.kind == "demands.decided" and "属于司法程序事项" in note.body


def test_a_comment_tells_those_it_names_who_may_see_the_case(world: Any) -> None:
    demand = raise_demand(world)
    services.demand_comment(actor=world.users["norole"], demand=demand,
                            note="请 @staff_fz 看看，@staff_jj 也看看，@nobody 不存在")
    assert kinds(world.users["staff_fz"]) == ["demands.submitted", "demands.mentioned"]
    assert kinds(world.users["staff_jj"]) == []  # out of scope: naming them shows them nothing
    assert Notification.objects.get(user=world.users["staff_fz"], kind="demands.mentioned").body.startswith("请 @")
