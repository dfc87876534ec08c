"""Withdrawing a case: only its requester, only until it is accepted; the managers are told, and the report and
the lists treat it as finished."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from core.models import AuditEvent
from demands import report, services
from demands.choices import OPEN_STATUSES, DemandStatus, EventKind
from demands.error_codes import DemandErrorCode
from demands.models import Demand
from notifications.models import Notification

from .conftest import raise_demand


def test_the_requester_withdraws_a_submitted_case_and_the_managers_are_told(world: Any, alliances: Any) -> None:
    requester, staff, cbd_admin = world.users["norole"], world.users["staff_fz"], world.users["cbd_admin"]
    demand = raise_demand(world, alliance=alliances["cbd"])
    demand = services.demand_withdraw(actor=requester, demand=demand, reason="已自行招到")
    assert demand.status == DemandStatus.WITHDRAWN and demand.closed_at is not None
    event = demand.events.latest("id")
    assert (event.kind, event.from_status, event.to_status, event.note) == (
        EventKind.WITHDRAWN, DemandStatus.SUBMITTED, DemandStatus.WITHDRAWN, "已自行招到")
    assert AuditEvent.objects.filter(object_type="demands.demand", object_id=str(demand.pk), action="update").exists()
    for manager in (staff, cbd_admin):
        note = Notification.objects.get(user=manager, kind="demands.withdrawn")
        assert note.url == demand.get_absolute_url() and "已自行招到" in note.body
    assert not Notification.objects.filter(user=requester, kind="demands.withdrawn").exists()
    assert demand.deadline is None  # no deadline runs any more


def test_only_the_requester_may_withdraw(world: Any) -> None:
    demand = raise_demand(world)
    for other in ("staff_fz", "member", "admin"):
        with pytest.raises(PermissionDenied, match="Only whoever raised the demand may withdraw it"):
            services.demand_withdraw(actor=world.users[other], demand=demand)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED
    # a person's own case, recorded by a cadre: the person (through their account) withdraws it too
    own = raise_demand(world, actor=world.users["admin"], requester_kind="person",
                       requester_person=world.people["e1-a"], requester_name="成员e1-a")
    assert services.demand_withdraw(actor=world.users["member"], demand=own).status == DemandStatus.WITHDRAWN


def test_no_withdrawing_once_accepted(world: Any) -> None:
    demand = raise_demand(world)
    services.demand_accept(actor=world.users["staff_fz"], demand=demand)
    with pytest.raises(ValidationError, match="“accepted”; it cannot be withdrawn") as caught:
        services.demand_withdraw(actor=world.users["norole"], demand=demand)
    assert caught.value.code == DemandErrorCode.WITHDRAW_TOO_LATE
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="不能由提出人撤回"):
        services.demand_withdraw(actor=world.users["norole"], demand=demand)


def test_withdrawn_cases_are_finished_for_the_report_and_the_lists(world: Any) -> None:
    assert DemandStatus.WITHDRAWN not in OPEN_STATUSES
    kept, gone = raise_demand(world, title="留下"), raise_demand(world, title="撤回")
    services.demand_withdraw(actor=world.users["norole"], demand=gone)
    today = timezone.localdate()
    _rows, totals = report.scheduling_report(Demand.objects.all(), "region", today.replace(day=1), today)
    assert totals["received"] == 2 and totals["open"] == 1 and totals["overdue"] == 0
    services.demand_accept(actor=world.users["staff_fz"], demand=kept)
    services.demand_assign(actor=world.users["staff_fz"], demand=kept, organization=world.orgs["fz-b1"])
    services.demand_resolve(actor=world.users["secretary_b1"], demand=kept, resolution="已办结")
    _rows, totals = report.scheduling_report(Demand.objects.all(), "region", today.replace(day=1), today)
    assert totals["resolution_rate"] == 100  # the withdrawn case is not counted against the handlers


def test_withdraw_through_the_page_and_the_api(world: Any, client_for: Any) -> None:
    demand = raise_demand(world)
    requester = client_for("norole")
    page = requester.get(demand.get_absolute_url()).content.decode()
    assert 'data-testid="withdraw"' in page
    assert 'data-testid="withdraw"' not in client_for("staff_fz").get(demand.get_absolute_url()).content.decode()
    response = requester.post(f"/demands/{demand.pk}/do/withdraw/", {"reason": ""}, follow=True)
    assert "Withdrawn" in response.content.decode() or "撤回" in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.WITHDRAWN
    assert 'data-testid="withdraw"' not in requester.get(demand.get_absolute_url()).content.decode()
    other = raise_demand(world)
    answer = client_for("staff_fz").post(f"/api/v1/demands/{other.pk}/withdraw/", {}, content_type="application/json")
    assert answer.status_code == 403
    answer = requester.post(f"/api/v1/demands/{other.pk}/withdraw/", {"reason": "重复提交"},
                            content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
    again = requester.post(f"/api/v1/demands/{other.pk}/withdraw/", {}, content_type="application/json")
    [error] = again.json()["errors"]
    assert again.status_code == 400 and error["code"] == DemandErrorCode.WITHDRAW_TOO_LATE
