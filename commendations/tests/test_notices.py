"""Each step tells whoever acts next, once, and nobody out of scope; the workbench lists what waits, in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from commendations import services
from commendations.choices import Opinion
from notifications.models import Notification
from workbench.registry import KINDS

from .conftest import make_campaign, secretary
from .test_procedure import TZ, nominate


def kinds_of(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def items(user: Any, key: str) -> list[str]:
    found, _total = KINDS[key].provider(user, timezone.now())
    return [item.title for item in found]


def test_each_step_tells_the_next_party_once(world: Any, sec_root: Any) -> None:
    sec_e1 = secretary(world, "fz-e1", "sec_e1")
    campaign = make_campaign(world)
    # The window: the secretaries of the nominating organizations (fz-b1 and fz-e1), not Jinjiang's staff.
    assert kinds_of(world.users["secretary_b1"]) == ["commendations.window"]
    assert kinds_of(sec_e1) == ["commendations.window"]
    assert kinds_of(world.users["staff_jj"]) == []
    # fz-b1's two categories and fz-e1's one, both under the secretary's general branch.
    assert items(world.users["secretary_b1"], "commendations.nominate") == [campaign.title] * 3
    assert items(sec_e1, "commendations.nominate") == [campaign.title]

    nomination = nominate(world, campaign, world.people["e1-b"], actor=world.users["secretary_b1"])
    services.nomination_submit(actor=world.users["secretary_b1"], nomination=nomination)
    assert kinds_of(sec_root) == ["commendations.to_review"]
    assert items(sec_root, "commendations.review") == ["成员e1-b"]
    assert items(world.users["staff_jj"], "commendations.review") == []

    services.nomination_review(actor=sec_root, nomination=nomination, opinion=Opinion.RETURN, comment="补充材料")
    assert kinds_of(world.users["secretary_b1"]) == ["commendations.window", "commendations.returned"]
    assert items(world.users["secretary_b1"], "commendations.returned") == ["成员e1-b"]
    assert items(sec_root, "commendations.review") == []
    services.nomination_submit(actor=world.users["secretary_b1"], nomination=nomination)
    assert items(world.users["secretary_b1"], "commendations.returned") == []
    assert kinds_of(sec_root) == ["commendations.to_review", "commendations.to_review"]


def test_objections_reach_the_campaign_managers_and_the_desk(world: Any, sec_root: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=TZ), tick=False) as clock:
        campaign = make_campaign(world, start=dt.date(2026, 9, 1))
        nomination = nominate(world, campaign, world.people["e1-b"])
        services.nomination_submit(actor=None, nomination=nomination)
        services.nomination_review(actor=None, nomination=nomination, opinion=Opinion.PASS)
        clock.move_to(dt.datetime(2026, 9, 14, 10, tzinfo=TZ))
        services.campaign_close_nominations(actor=None, campaign=campaign)
        notice = services.notice_start(actor=None, campaign=campaign, starts_on=dt.date(2026, 9, 14),
                                       contact="组织部")
        services.objection_file(actor=world.users["member"], notice=notice, nomination=nomination,
                                objector_name="王某", objector_unit="某公司", objector_phone="13912345678",
                                text="有异议")
        assert kinds_of(sec_root) == ["commendations.to_review", "commendations.objection"]
        # The issuer's secretary answers for it; its region's staff are told only when it has none.
        assert kinds_of(world.users["staff_fz"]) == []
        assert items(sec_root, "commendations.objections") == ["成员e1-b"]
        assert items(world.users["staff_fz"], "commendations.objections") == ["成员e1-b"]
        assert items(world.users["staff_jj"], "commendations.objections") == []
        assert items(world.users["member"], "commendations.objections") == []  # the objector reads, not finds


def test_the_workbench_kinds_read_in_a_fixed_number_of_queries(world: Any, sec_root: Any,
                                                               django_assert_max_num_queries: Any) -> None:
    campaign = make_campaign(world, quotas={"fz-b1": (3, 1), "fz-e1": (1, 0)})
    for key in ("e1-a", "e1-b"):
        services.nomination_submit(actor=None, nomination=nominate(world, campaign, world.people[key]))
    for user in (sec_root, world.users["secretary_b1"], world.users["staff_fz"]):
        for key in ("commendations.review", "commendations.returned", "commendations.objections",
                    "commendations.nominate"):
            with django_assert_max_num_queries(3):
                KINDS[key].provider(user, timezone.now() + dt.timedelta(hours=1))


def test_the_integrity_contact_is_asked_for_the_integrity_opinion(world: Any, sec_root: Any) -> None:
    inspector = secretary(world, "fz-b2", "inspector")  # stands for the discipline-inspection body's contact
    campaign = make_campaign(world, open_=False)
    services.stage_add(actor=None, campaign=campaign, name="纪工委廉政意见", organization=world.orgs["fz-b2"],
                       integrity=True)
    campaign = services.campaign_open(actor=None, campaign=campaign)
    nomination = nominate(world, campaign, world.people["e1-b"])
    services.nomination_submit(actor=None, nomination=nomination)
    services.nomination_review(actor=sec_root, nomination=nomination, opinion=Opinion.PASS)
    assert kinds_of(inspector) == ["commendations.integrity"]
    assert Notification.objects.get(user=inspector).title == "征求廉政意见：成员e1-b（优秀共产党员）"
    assert items(inspector, "commendations.review") == ["成员e1-b"]
    services.nomination_review(actor=inspector, nomination=nomination, opinion=Opinion.PASS, comment="无问题")
    nomination.refresh_from_db()
    assert nomination.status == "passed"


def test_deadline_reminders_once_each(world: Any, sec_root: Any) -> None:
    from commendations.tasks import send_deadline_reminders

    def deadlines(user: Any) -> list[str]:
        return list(Notification.objects.filter(user=user, kind="commendations.deadline").order_by("id")
                    .values_list("title", flat=True))

    start = dt.date(2026, 9, 1)
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=TZ), tick=False) as clock:
        campaign = make_campaign(world, start=start)  # nominations until 11 Sep, review until 21 Sep, decide by 11 Oct
        nomination = nominate(world, campaign, world.people["e1-b"])
        services.nomination_submit(actor=None, nomination=nomination)
        assert send_deadline_reminders(start) == 0  # ten days ahead
        assert send_deadline_reminders(dt.date(2026, 9, 8)) == 1
        assert send_deadline_reminders(dt.date(2026, 9, 9)) == 1  # still closing, but told once
        assert deadlines(world.users["secretary_b1"]) == [f"推荐即将截止：{campaign.title}"]  # the platform's language
        clock.move_to(dt.datetime(2026, 9, 12, 10, tzinfo=TZ))
        services.campaign_close_nominations(actor=None, campaign=campaign)
        assert send_deadline_reminders(dt.date(2026, 9, 19)) == 1  # one stage still holds a nomination
        assert deadlines(sec_root) == [f"审核即将截止：{campaign.title}"]
        assert "在“党委审核”环节待审核的推荐：1 个" in Notification.objects.get(user=sec_root, kind="commendations.deadline").body
        assert send_deadline_reminders(dt.date(2026, 10, 12)) == 1  # the decision is overdue
        assert deadlines(sec_root)[-1] == f"表彰决定逾期：{campaign.title}"
        send_deadline_reminders(dt.date(2026, 10, 13))
        assert len(deadlines(sec_root)) == 2
