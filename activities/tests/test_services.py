from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import selectors, services
from activities.choices import ActivityStatus, AttendanceMethod
from activities.models import Activity, ActivityHost, Attendance
from core.models import AuditEvent
from pairing import services as pairing_services
from pairing.selectors import pair_progress

from .conftest import at, make_activity, propose


def hosts(activity: Activity) -> dict[str, bool]:
    return {link.organization.code: link.is_lead for link in ActivityHost.objects.filter(activity=activity)
            .select_related("organization")}


def test_linking_a_pair_makes_both_sides_cohosts_and_is_audited(world: Any, organs: Any, pair: Any) -> None:
    activity = make_activity(organs["fz-o1"], actor=world.users["staff_fz"], pairs=[pair],
                             co_hosts=[world.orgs["fz-e2"]])
    assert hosts(activity) == {"fz-o1": True, "fz-e1": False, "fz-e2": False}
    assert list(activity.pairs.all()) == [pair]
    events = AuditEvent.objects.filter(object_type="activities.activity", object_id=str(activity.pk))
    assert {e.action for e in events} == {"create", "update"}
    relation_event = events.get(action="update")
    assert relation_event.changes["pairs"] == [None, [pair.pk]]
    assert relation_event.actor == world.users["staff_fz"]


def test_lead_must_be_an_organization_the_actor_is_responsible_for(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_activity(world.orgs["jj-e1"], actor=world.users["secretary_b1"])
    assert "lead" in exc.value.message_dict
    assert not Activity.objects.exists()
    # Inside the secretary's subtree it works, and an organization outside their reach cannot be a co-host.
    make_activity(world.orgs["fz-e1"], actor=world.users["secretary_b1"])
    with pytest.raises(ValidationError) as exc:
        make_activity(world.orgs["fz-e1"], actor=world.users["secretary_b1"], co_hosts=[world.orgs["jj-e1"]])
    assert exc.value.message_dict["co_hosts"] == ["Choose co-hosts and invited organizations from the list."]


def test_alliance_members_and_pair_partners_can_be_cohosts_from_outside_ones_subtree(
        world: Any, alliances: Any, organs: Any, pair: Any) -> None:
    from accounts.models import Role, User
    from accounts.services import role_assign

    organ_secretary = User.objects.create_user(username="o1_sec", password="x-Correct-Horse-42")
    role_assign(actor=None, user=organ_secretary, role=Role.SECRETARY, organization=organs["fz-o1"])
    # fz-e1 is outside the organ secretary's subtree, but it is the organ's pair partner.
    activity = make_activity(organs["fz-o1"], actor=organ_secretary, pairs=[pair])
    assert set(hosts(activity)) == {"fz-o1", "fz-e1"}
    # The alliance's administrator leads an activity of an alliance member and co-hosts another member.
    admin = world.users["cbd_admin"]
    a2 = make_activity(world.orgs["fz-e1"], actor=admin, alliance=alliances["cbd"], co_hosts=[world.orgs["fz-b1"]])
    assert set(hosts(a2)) == {"fz-e1", "fz-b1"}
    with pytest.raises(ValidationError) as exc:  # not a member of the alliance
        make_activity(world.orgs["fz-e2"], actor=admin, alliance=alliances["cbd"])
    assert "lead" in exc.value.message_dict


def test_pair_rules_are_checked_and_nothing_is_written(world: Any, organs: Any, programme: Any, pair: Any) -> None:
    early = dt.datetime(2023, 6, 1, 9, tzinfo=timezone.get_default_timezone())
    with pytest.raises(ValidationError) as exc:
        make_activity(organs["fz-o1"], starts=early, pairs=[pair])
    assert "outside the period of the pair" in exc.value.message_dict["pairs"][0]
    ended = propose(programme, organs["fz-o2"], world.orgs["fz-e2"])
    pairing_services.pair_end(actor=None, pair=ended, reason="调整")
    ended.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        make_activity(organs["fz-o2"], pairs=[ended])
    assert "has ended" in exc.value.message_dict["pairs"][0]
    assert not Activity.objects.exists()


def test_ends_before_start_and_wrong_workstream_are_refused(world: Any, alliances: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_activity(world.orgs["fz-e1"], hours=-1)
    assert "ends_at" in exc.value.message_dict
    other = alliances["cross"].workstreams.first()
    with pytest.raises(ValidationError) as exc:
        make_activity(world.orgs["fz-e1"], alliance=alliances["cbd"], workstream=other)
    assert "workstream" in exc.value.message_dict


def test_lifecycle_steps_and_their_refusals(world: Any) -> None:
    staff = world.users["staff_fz"]
    future = make_activity(world.orgs["fz-e1"], actor=staff, starts=at(days=3))
    services.activity_open(actor=staff, activity=future)
    with pytest.raises(ValidationError, match="only after it has started"):
        services.activity_hold(actor=staff, activity=future)
    with pytest.raises(ValidationError, match="cannot be opened for registration"):
        services.activity_open(actor=staff, activity=future)
    with pytest.raises(ValidationError) as exc:
        services.activity_cancel(actor=staff, activity=future, reason="  ")
    assert "reason" in exc.value.message_dict
    cancelled = services.activity_cancel(actor=staff, activity=future, reason="台风")
    assert cancelled.status == ActivityStatus.CANCELLED and cancelled.cancel_reason == "台风"
    with pytest.raises(ValidationError, match="cancelled activity is kept as history"):
        services.activity_update(actor=staff, activity=cancelled, data={"theme": "x"})

    past = make_activity(world.orgs["fz-e1"], actor=staff)
    with pytest.raises(ValidationError, match="registration can no longer open"):
        services.activity_open(actor=staff, activity=past)
    with pytest.raises(ValidationError) as exc:
        services.activity_record(actor=staff, activity=past, minutes=" ")
    assert "minutes" in exc.value.message_dict
    recorded = services.activity_record(actor=staff, activity=past, minutes="学习了党纪处分条例。", outcomes="形成共识")
    assert recorded.status == ActivityStatus.RECORDED and recorded.recorded_by == staff
    with pytest.raises(ValidationError, match="it cannot be cancelled"):
        services.activity_cancel(actor=staff, activity=recorded, reason="x")
    with pytest.raises(ValidationError, match="cannot move into the future"):
        services.activity_update(actor=staff, activity=recorded, data={"starts_at": at(days=2),
                                                                       "ends_at": at(days=2, hours=2)})
    steps = AuditEvent.objects.filter(object_type="activities.activity", object_id=str(recorded.pk),
                                      action="update").values_list("changes", flat=True)
    assert any(c.get("status") == ["planned", "recorded"] for c in steps)


def test_members_and_other_districts_cannot_change(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"])
    for user in ("member", "staff_jj", "auditor"):
        with pytest.raises(PermissionDenied):
            services.activity_update(actor=world.users[user], activity=activity, data={"theme": "改"})
    # The member of fz-e1 sees their organization's activity; Jinjiang staff do not.
    assert Activity.objects.restrict(world.users["member"]).filter(pk=activity.pk).exists()
    assert not Activity.objects.restrict(world.users["staff_jj"]).filter(pk=activity.pk).exists()


def test_delete_only_planned_without_attendance(world: Any) -> None:
    staff = world.users["staff_fz"]
    held = make_activity(world.orgs["fz-e1"])
    services.sign_in(activity=held, person=world.people["e1-a"], now=held.starts_at)
    with pytest.raises(ValidationError, match="cancel it instead"):
        services.activity_delete(actor=staff, activity=held)
    planned = make_activity(world.orgs["fz-e1"], starts=at(days=5))
    services.activity_delete(actor=staff, activity=planned)
    assert not Activity.objects.filter(pk=planned.pk).exists()
    assert AuditEvent.objects.filter(object_id=str(planned.pk), action="delete").exists()


# Sign-in -----------------------------------------------------------------------------------------------------------


def test_sign_in_credits_the_persons_organization_once(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], co_hosts=[world.orgs["fz-b2"]], starts=at(hours=-1))
    row = services.sign_in(activity=activity, person=world.people["b2-a"])
    assert row.organization == world.orgs["fz-b2"] and row.method == AttendanceMethod.QR
    with pytest.raises(ValidationError, match="already signed in at") as exc:
        services.sign_in(activity=activity, person=world.people["b2-a"])
    assert exc.value.code == "twice"
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_sign_in_only_inside_the_window(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(days=1))
    with pytest.raises(ValidationError, match="Sign-in opens at") as exc:
        services.sign_in(activity=activity, person=world.people["e1-a"])
    assert exc.value.code == "too_early"
    with pytest.raises(ValidationError, match="Sign-in closed at") as exc:
        services.sign_in(activity=activity, person=world.people["e1-a"], now=activity.ends_at + dt.timedelta(hours=2))
    assert exc.value.code == "too_late"
    # 59 minutes before the start is inside the window.
    services.sign_in(activity=activity, person=world.people["e1-a"],
                     now=activity.starts_at - dt.timedelta(minutes=59))


def test_guests_sign_in_with_name_and_unit(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-1))
    with pytest.raises(ValidationError) as exc:
        services.sign_in_guest(activity=activity, name=" ", unit="")
    assert set(exc.value.message_dict) == {"name", "unit"}
    guest = services.sign_in_guest(activity=activity, name=" 王  芳 ", unit="泉州市图书馆")
    assert guest.is_guest and guest.guest_name == "王 芳" and guest.organization is None
    with pytest.raises(ValidationError, match="already signed in"):
        services.sign_in_guest(activity=activity, name="王 芳", unit="泉州市图书馆")
    closed = make_activity(world.orgs["fz-e1"], starts=at(hours=-1), allow_guests=False)
    with pytest.raises(ValidationError, match="does not take guest sign-ins"):
        services.sign_in_guest(activity=closed, name="李四", unit="某单位")


def test_cancelled_activity_takes_no_sign_in(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=1))
    services.activity_cancel(actor=None, activity=activity, reason="改期")
    with pytest.raises(ValidationError, match="was cancelled"):
        services.sign_in(activity=activity, person=world.people["e1-a"], now=activity.starts_at)


def test_manual_attendance(world: Any) -> None:
    staff = world.users["staff_fz"]
    upcoming = make_activity(world.orgs["fz-e1"], starts=at(days=2))
    with pytest.raises(ValidationError, match="once the activity has started"):
        services.attendance_mark(actor=staff, activity=upcoming, people=[world.people["e1-a"]])
    activity = make_activity(world.orgs["fz-e1"])
    services.sign_in(activity=activity, person=world.people["e1-a"], now=activity.starts_at)
    added, already = services.attendance_mark(actor=staff, activity=activity,
                                              people=[world.people["e1-a"], world.people["e1-b"]])
    assert [a.person for a in added] == [world.people["e1-b"]] and already == [world.people["e1-a"]]
    assert added[0].method == AttendanceMethod.MANUAL and added[0].recorded_by == staff
    with pytest.raises(ValidationError) as exc:  # a Jinjiang member is not the Fengze secretary's to mark
        services.attendance_mark(actor=world.users["secretary_b1"], activity=activity, people=[world.people["jj-a"]])
    assert "people" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.attendance_mark(actor=world.users["member"], activity=activity, people=[world.people["e1-b"]])


# Enter once, reuse everywhere -------------------------------------------------------------------------------------


def test_one_activity_counts_for_the_pair_and_every_cohost(world: Any, organs: Any, pair: Any) -> None:
    activity = make_activity(organs["fz-o1"], pairs=[pair], starts=at(days=-2))
    assert selectors.pair_activity_dates(pair) == []  # planned: not yet counted
    services.activity_record(actor=None, activity=activity, minutes="联学联建")
    today = timezone.localdate()
    progress = pair_progress(pair, selectors.pair_activity_dates(pair), today)
    current = next(q for q in progress.quarters if q.starts_on <= timezone.localtime(activity.starts_at).date() <= q.ends_on)
    assert current.done == 1
    for org in (organs["fz-o1"], world.orgs["fz-e1"]):
        assert selectors.organization_activities(world.users["admin"], org).filter(pk=activity.pk).exists()
    # Unlinking the pair in the one record removes it from the pair's progress.
    services.activity_update(actor=None, activity=activity, data={}, pairs=[])
    assert selectors.pair_activity_dates(pair) == []


def test_follow_up_items(world: Any) -> None:
    staff = world.users["staff_fz"]
    activity = make_activity(world.orgs["fz-e1"])
    item = services.followup_add(actor=staff, activity=activity, title="协调停车位", owner_organization=world.orgs["fz-b1"],
                                 due_on=timezone.localdate() + dt.timedelta(days=10))
    with pytest.raises(PermissionDenied):
        services.followup_complete(actor=world.users["staff_jj"], item=item)
    done = services.followup_complete(actor=world.users["secretary_b1"], item=item, result="已协调")
    assert done.status == "done" and done.result == "已协调"
    with pytest.raises(ValidationError, match="already done"):
        services.followup_complete(actor=staff, item=done)
    with pytest.raises(ValidationError) as exc:
        services.followup_add(actor=world.users["secretary_b1"], activity=activity, title="x",
                              owner_organization=world.orgs["jj-e1"])
    assert "owner_organization" in exc.value.message_dict
