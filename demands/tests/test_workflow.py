"""The demand workflow: every step, the illegal ones, who may take each, deadlines in working days with
controlled time, reminders and escalation, and who sees a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import role_assign
from core.models import AuditEvent
from demands import deadlines, services, workdays
from demands.choices import DemandStatus, EventKind
from demands.models import DeadlineTier, Demand, DemandCategory, Holiday
from notifications.models import Notification

from .conftest import raise_demand


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_default_timezone())


def test_full_path_to_a_rated_result_with_a_timeline(world: Any) -> None:
    staff, requester = world.users["staff_fz"], world.users["norole"]
    demand = raise_demand(world)
    assert demand.status == DemandStatus.SUBMITTED and demand.created_by == requester
    services.demand_accept(actor=staff, demand=demand)
    services.demand_assign(actor=staff, demand=demand, organization=world.orgs["fz-b1"], note="请人社所对接")
    secretary = world.users["secretary_b1"]  # the handler organization's secretary
    services.demand_start(actor=secretary, demand=demand)
    services.demand_resolve(actor=secretary, demand=demand, resolution="组织专场招聘会，招到18名技工。")
    demand = services.demand_rate(actor=requester, demand=demand, rating=5, comment="很满意")
    assert demand.status == DemandStatus.CLOSED and demand.rating == 5 and demand.closed_at
    kinds = list(demand.events.values_list("kind", flat=True))
    assert kinds == [EventKind.SUBMITTED, EventKind.ACCEPTED, EventKind.ASSIGNED, EventKind.STARTED,
                     EventKind.RESOLVED, EventKind.RATED]
    assert demand.events.get(kind=EventKind.ASSIGNED).note == "请人社所对接"
    assert AuditEvent.objects.filter(object_type="demands.demand", object_id=str(demand.pk)).count() == 6  # create + 5 steps
    phone_audit = AuditEvent.objects.get(object_type="demands.demand", object_id=str(demand.pk), action="create")
    assert "13800001234" not in str(phone_audit.changes)  # the phone is masked in the audit trail


def test_illegal_steps_are_refused_with_the_current_status(world: Any) -> None:
    staff = world.users["staff_fz"]
    demand = raise_demand(world)
    with pytest.raises(ValidationError, match="“submitted”; it cannot be resolved"):
        services.demand_resolve(actor=staff, demand=demand, resolution="x")
    with pytest.raises(ValidationError, match="Give a reason"):
        services.demand_decline(actor=staff, demand=demand, reason=" ")
    services.demand_decline(actor=staff, demand=demand, reason="属于司法程序事项，请通过诉讼解决。")
    with pytest.raises(ValidationError, match="“declined”; it cannot be accepted"):
        services.demand_accept(actor=staff, demand=demand)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.DECLINED and demand.events.count() == 2


def test_who_may_take_each_step(world: Any) -> None:
    demand = raise_demand(world)
    with pytest.raises(PermissionDenied):  # another district's staff
        services.demand_accept(actor=world.users["staff_jj"], demand=demand)
    with pytest.raises(PermissionDenied):  # the requester does not accept their own case
        services.demand_accept(actor=world.users["norole"], demand=demand)
    services.demand_accept(actor=world.users["staff_fz"], demand=demand)
    with pytest.raises(ValidationError, match="Choose an organization from the list"):
        services.demand_assign(actor=world.users["staff_fz"], demand=demand, organization=world.orgs["jj-e1"])
    services.demand_assign(actor=world.users["staff_fz"], demand=demand, organization=world.orgs["fz-e2"])
    with pytest.raises(PermissionDenied):  # not the handler
        services.demand_start(actor=world.users["member"], demand=demand)
    services.demand_resolve(actor=world.users["staff_fz"], demand=demand, resolution="已对接")
    with pytest.raises(PermissionDenied, match="Only whoever raised"):
        services.demand_rate(actor=world.users["staff_fz"], demand=demand, rating=5)


def test_a_low_rating_reopens_the_case_for_review(world: Any) -> None:
    staff, requester = world.users["staff_fz"], world.users["norole"]
    demand = raise_demand(world)
    services.demand_accept(actor=staff, demand=demand)
    services.demand_assign(actor=staff, demand=demand, organization=world.orgs["fz-e1"])
    services.demand_resolve(actor=staff, demand=demand, resolution="已转交")
    with pytest.raises(ValidationError, match="Say what is still wrong"):
        services.demand_rate(actor=requester, demand=demand, rating=2)
    with pytest.raises(ValidationError, match="from 1"):
        services.demand_rate(actor=requester, demand=demand, rating=7)
    demand = services.demand_rate(actor=requester, demand=demand, rating=2, comment="只转交，没有解决")
    assert demand.status == DemandStatus.REVIEW and demand.closed_at is None
    assert list(demand.events.values_list("kind", flat=True))[-2:] == [EventKind.RATED, EventKind.REOPENED]
    services.demand_assign(actor=staff, demand=demand, organization=world.orgs["fz-b1"])  # someone else
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ASSIGNED


def test_claiming_by_an_alliance_member(world: Any, alliances: Any) -> None:
    alliance = alliances["cbd"]
    member_org = world.orgs["fz-e1"]
    demand = raise_demand(world, alliance=alliance)
    with pytest.raises(ValidationError, match="linked to an alliance"):
        services.demand_accept(actor=world.users["staff_fz"], demand=raise_demand(world), open_for_claim=True)
    services.demand_accept(actor=world.users["staff_fz"], demand=demand, open_for_claim=True)
    claimed = services.demand_claim(actor=None, demand=demand, organization=member_org)
    assert claimed.claimed and claimed.handler_organization == member_org
    assert claimed.status == DemandStatus.ASSIGNED and not claimed.open_for_claim


def test_deadlines_count_working_days_and_holidays(world: Any) -> None:
    friday = local(2026, 9, 25, 10)  # accept within 1 working day: Monday, unless Monday is a holiday
    assert workdays.deadline(friday, 1) == local(2026, 9, 28, 17, 30)
    Holiday.objects.create(date=dt.date(2026, 9, 28), name="调休")
    Holiday.objects.create(date=dt.date(2026, 9, 27), name="调休上班", is_working_day=True)  # a worked Sunday
    assert workdays.deadline(friday, 1) == local(2026, 9, 27, 17, 30)
    assert workdays.deadline(friday, 2) == local(2026, 9, 29, 17, 30)
    demand = raise_demand(world, urgency="critical", now=friday)
    assert demand.accept_due == local(2026, 9, 27, 17, 30)
    premises = raise_demand(world, category=DemandCategory.objects.get(code="premises"), now=friday)
    assert premises.accept_due == local(2026, 9, 29, 17, 30)  # the premises tier allows 2 days
    services.demand_accept(actor=world.users["staff_fz"], demand=demand, now=local(2026, 9, 27, 9))
    demand.refresh_from_db()
    assert demand.resolve_due == local(2026, 10, 1, 17, 30)  # critical: 3 working days


def test_tier_lookup_prefers_the_most_specific(world: Any) -> None:
    talent = DemandCategory.objects.get(code="talent")
    assert services.tier_for(talent, "normal").resolve_days == 10
    assert services.tier_for(talent, "critical").resolve_days == 3
    DeadlineTier.objects.create(category=talent, urgency="critical", accept_days=1, resolve_days=2)
    assert services.tier_for(talent, "critical").resolve_days == 2


def test_reminders_and_escalation_with_controlled_time(world: Any) -> None:
    staff_fz = world.users["staff_fz"]
    qz_staff = User.objects.create_user(username="qz_staff", password="x-Correct-Horse-42")
    role_assign(actor=None, user=qz_staff, role=Role.DEPARTMENT_STAFF, region=world.regions["qz"])
    monday = local(2026, 6, 1, 9)
    demand = raise_demand(world, now=monday)  # accept by Tuesday 17:30; reminded 2 working days before
    assert deadlines.run_deadlines(monday) == {"reminded": 1, "escalated": 0}
    assert Notification.objects.filter(user=staff_fz, kind="demands.due_soon").count() == 1
    assert deadlines.run_deadlines(monday + dt.timedelta(hours=3)) == {"reminded": 0, "escalated": 0}  # once
    wednesday = local(2026, 6, 3, 9)
    assert deadlines.run_deadlines(wednesday) == {"reminded": 0, "escalated": 1}
    demand.refresh_from_db()
    assert demand.escalation_level == 1
    assert Notification.objects.filter(user=qz_staff, title__startswith="逾期升级督办").count() == 1  # one level up
    assert deadlines.run_deadlines(wednesday) == {"reminded": 0, "escalated": 0}
    # Accepted late, assigned; the resolution deadline passes too: the handler's parent gets it.
    services.demand_accept(actor=staff_fz, demand=demand, now=wednesday)
    services.demand_assign(actor=staff_fz, demand=demand, organization=world.orgs["fz-e1"])
    demand.refresh_from_db()
    late = demand.resolve_due + dt.timedelta(hours=1)
    assert deadlines.run_deadlines(late)["escalated"] == 1
    demand.refresh_from_db()
    assert demand.escalation_level == 2 and demand.escalated_to == world.orgs["fz-e1"].parent
    assert demand.events.filter(kind=EventKind.ESCALATED).count() == 2
    # Each escalation is a state change by the system, audited (the second widened who sees the case).
    from core.models import AuditEvent

    audited = [e.changes for e in AuditEvent.objects.filter(object_type="demands.demand", object_id=str(demand.pk),
                                                            actor=None, action="update").order_by("id")
               if "escalation_level" in e.changes]
    assert [c["escalation_level"] for c in audited] == [[0, 1], [1, 2]]
    assert audited[1]["escalated_to"][1] == world.orgs["fz-e1"].parent.pk


def test_who_sees_a_case(world: Any) -> None:
    demand = raise_demand(world)
    other = raise_demand(world, actor=world.users["staff_jj"], region=world.regions["jj"])

    def seen(user: str) -> set[int]:
        return set(Demand.objects.restrict(world.users[user]).values_list("pk", flat=True))

    assert seen("norole") == {demand.pk}  # the requester sees their own
    assert seen("staff_fz") == {demand.pk} and seen("staff_jj") == {other.pk}
    assert seen("secretary_b1") == set()  # not yet theirs
    services.demand_accept(actor=world.users["staff_fz"], demand=demand)
    services.demand_assign(actor=world.users["staff_fz"], demand=demand, organization=world.orgs["fz-b1"])
    assert seen("secretary_b1") == {demand.pk}  # the handler now sees it
    assert seen("admin") == {demand.pk, other.pk}
    assert set(Demand.objects.restrict(world.users["secretary_b1"], "change").values_list("pk", flat=True)) == set()


def test_deadline_notices_are_written_in_each_recipients_language(world: Any) -> None:
    qz_staff = User.objects.create_user(username="qz_staff", password="x-Correct-Horse-42", language="en")
    role_assign(actor=None, user=qz_staff, role=Role.DEPARTMENT_STAFF, region=world.regions["qz"])
    demand = raise_demand(world, now=local(2026, 6, 1, 9))
    assert deadlines.run_deadlines(local(2026, 6, 1, 9)) == {"reminded": 1, "escalated": 0}
    chinese = Notification.objects.get(user=world.users["staff_fz"], kind="demands.due_soon")  # the platform's
    assert chinese.title == f"即将到期：{demand.title}"
    assert deadlines.run_deadlines(local(2026, 6, 3, 9)) == {"reminded": 0, "escalated": 1}
    english = Notification.objects.get(user=qz_staff, kind="demands.escalated")
    assert english.title == f"Overdue, escalated: {demand.title}"
    assert "the case was escalated" in english.body
    # The case history is one record, in the platform's language.
    note = demand.events.get(kind=EventKind.ESCALATED).note
    assert note and "deadline" not in note
