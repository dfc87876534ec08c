"""Both sides of a pair hear of each step; the programme's managers hear when a yearly review falls due."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import role_assign
from notifications.models import Notification
from pairing import services
from pairing.selectors import review_due_on
from pairing.tasks import send_review_reminders

from .conftest import propose


def test_both_sides_hear_of_each_step(world: Any, programme: Any, organs: Any) -> None:
    organ_secretary = User.objects.create_user(username="sec_o1", password="x-Correct-Horse-42")
    role_assign(actor=None, user=organ_secretary, role=Role.SECRETARY, organization=organs["fz-o1"])
    pair = propose(programme, organs["fz-o1"], world.orgs["fz-e1"])
    enterprise_side = world.users["secretary_b1"]  # answers for fz-e1, which has no secretary of its own
    for user in (organ_secretary, enterprise_side):
        assert list(Notification.objects.filter(user=user).values_list("kind", flat=True)) == ["pairing.proposed"]
    services.pair_activate(actor=None, pair=pair)
    services.pair_end(actor=None, pair=pair, reason="企业迁出")
    ended = Notification.objects.filter(user=enterprise_side).latest("id")
    assert ended.kind == "pairing.step" and "企业迁出" in ended.body


def test_review_reminders_once_a_year_before_the_anniversary(world: Any, programme: Any, organs: Any) -> None:
    owner_secretary = User.objects.create_user(username="sec_organs", password="x-Correct-Horse-42")
    role_assign(actor=None, user=owner_secretary, role=Role.SECRETARY, organization=organs["fz-organs"])
    pair = services.pair_activate(actor=None, pair=propose(programme, organs["fz-o1"], world.orgs["fz-e1"],
                                                           starts_on=dt.date(2024, 5, 16)))
    year = timezone.localdate().year + 1  # next year's anniversary, whatever today is
    due_on = review_due_on(pair, year)
    assert due_on == dt.date(year, 5, 16)
    with time_machine.travel(dt.datetime(year, 4, 1, 9, tzinfo=timezone.get_default_timezone())):
        assert send_review_reminders() == 0  # more than 30 days ahead
    with time_machine.travel(dt.datetime(year, 4, 20, 9, tzinfo=timezone.get_default_timezone())):
        assert send_review_reminders() == 1
        assert send_review_reminders() == 1  # still due, but told once
        assert Notification.objects.filter(user=owner_secretary, kind="pairing.review_due").count() == 1
        services.review_record(actor=None, pair=pair, year=year, rating="good")
        assert send_review_reminders() == 0  # recorded: no longer due
