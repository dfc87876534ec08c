"""The invited hear of an upcoming activity once; whoever takes part hears of a new time or venue and of a
cancellation; both sides of a pair hear that a joint activity was recorded; a registration is confirmed."""

from __future__ import annotations

from typing import Any

from activities import services
from notifications.models import Notification

from .conftest import at, make_activity


def kinds(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user, kind__startswith="activities.").order_by("id")
                .values_list("kind", flat=True))


def test_invited_changed_registered_cancelled(world: Any) -> None:
    staff, secretary, member = world.users["staff_fz"], world.users["secretary_b1"], world.users["member"]
    activity = services.activity_open(actor=staff, activity=make_activity(world.orgs["fz-root"], actor=staff,
                                                                          starts=at(days=7)))
    services.activity_update(actor=staff, activity=activity, data={}, invited_organizations=[world.orgs["fz-b1"]])
    assert kinds(secretary) == ["activities.invited"]
    services.activity_update(actor=staff, activity=activity, data={}, invited_organizations=[world.orgs["fz-b1"]])
    assert kinds(secretary) == ["activities.invited"]  # nothing new: nobody told again
    services.register(actor=member, activity=activity)
    confirmed = Notification.objects.get(user=member)
    assert confirmed.kind == "activities.registered" and "党群服务中心" in confirmed.body  # their own confirmation
    services.activity_update(actor=staff, activity=activity, data={"venue": "CBD党群服务中心三楼"})
    assert kinds(member)[-1] == kinds(secretary)[-1] == "activities.changed"
    assert "三楼" in Notification.objects.filter(user=member).latest("id").body
    services.activity_update(actor=staff, activity=activity, data={"theme": "只改主题"})
    assert kinds(member)[-1] == "activities.changed" and kinds(member).count("activities.changed") == 1
    services.activity_cancel(actor=staff, activity=activity, reason="台风预警")
    assert kinds(member)[-1] == kinds(secretary)[-1] == "activities.cancelled"
    assert kinds(staff) == []  # the one who did it


def test_an_activity_entered_after_the_fact_invites_nobody(world: Any) -> None:
    make_activity(world.orgs["fz-root"], starts=at(days=-3), co_hosts=[world.orgs["fz-b1"]])
    assert kinds(world.users["secretary_b1"]) == []


def test_recording_a_joint_activity_tells_both_sides_of_the_pair(world: Any, pair: Any) -> None:
    activity = make_activity(world.orgs["fz-o1"], pairs=[pair], starts=at(hours=-3))
    services.activity_record(actor=world.users["staff_fz"], activity=activity, minutes="联学联建")
    assert kinds(world.users["secretary_b1"]) == ["activities.pair_recorded"]  # answers for fz-e1
    services.activity_record(actor=world.users["staff_fz"], activity=activity, minutes="更正")
    assert kinds(world.users["secretary_b1"]) == ["activities.pair_recorded"]  # a correction: not again
