"""The commendation procedure end to end at the service level: set-up, windows, quotas, nomination and its frozen
details, returns, review stages with the conflict-of-interest exclusion, the public notice on the working-day
calendar, objections (founded blocks, unfounded keeps), the decision and its honours, revoking; and bad input
refused with a clear message and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from commendations import services
from commendations.choices import CampaignStatus, Finding, NominationStatus, ObjectionAction, Opinion
from commendations.error_codes import CommendationErrorCode as Code
from commendations.models import Campaign, Category, Honour, Nomination, NominationEvent, Objection
from core.models import AuditEvent
from demands.models import Holiday
from notifications.models import Notification
from organizations import services as org_services
from organizations.choices import MemberStatus, PersonKind

from .conftest import make_campaign, secretary

TZ = dt.timezone(dt.timedelta(hours=8))
DEEDS = "疫情防控期间带头值守楼宇卡口，组织党员志愿者服务企业复工。"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def code_of(exc: Any) -> Any:
    return exc.value.error_list[0].code if hasattr(exc.value, "error_list") else None


def person_in(world: Any, org: str, name: str, seq: str, **extra: Any) -> Any:
    from conftest import make_id

    return org_services.person_create(actor=None, data={
        "kind": PersonKind.MEMBER, "name": name, "organization": world.orgs[org],
        "member_status": MemberStatus.FULL, "id_number": make_id(world.regions["fz"].code, "19880101", seq),
        "phone": f"1390000{seq}0", **extra})


def nominate(world: Any, campaign: Campaign, who: Any, *, by: str = "fz-b1", actor: Any = None,
             category: str = "优秀共产党员", **data: Any) -> Nomination:
    cat = campaign.categories.get(name=category)
    kwargs = {"organization": who} if category == "先进基层党组织" else {"person": who}
    return services.nomination_create(actor=actor, campaign=campaign, category=cat, nominator=world.orgs[by],
                                      data={"deeds": DEEDS, "declared": True, **data}, **kwargs)


def test_set_up_is_checked_before_opening(world: Any) -> None:
    campaign = make_campaign(world, open_=False, stages=())
    with pytest.raises(ValidationError) as exc:
        services.campaign_open(actor=None, campaign=campaign)
    assert code_of(exc) == Code.INCOMPLETE and "review stage" in exc.value.messages[0]
    category = campaign.categories.get(name="优秀共产党员")
    with pytest.raises(ValidationError, match="would add up to 7, more than its 5 places"):
        services.quota_set(actor=None, category=category, organization=world.orgs["fz-b2"], number=4)
    with pytest.raises(ValidationError, match="under the issuing organization"):
        services.quota_set(actor=None, category=category, organization=world.orgs["jj-e1"], number=1)
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=None, data={
            "issuer": world.orgs["fz-root"], "title": "x", "year": 2026, "notice_days": 3,
            "nominate_from": dt.date(2026, 6, 1), "nominate_until": dt.date(2026, 5, 1),
            "review_until": dt.date(2026, 6, 20), "decide_by": dt.date(2026, 6, 30)})
    assert set(exc.value.message_dict) == {"notice_days", "nominate_until"}
    # Staff of another district cannot issue a campaign for Fengze's committee.
    with pytest.raises(ValidationError, match="outside your scope"):
        services.campaign_create(actor=world.users["staff_jj"], data={
            "issuer": world.orgs["fz-root"], "title": "x", "year": 2026, "nominate_from": dt.date(2026, 6, 1),
            "nominate_until": dt.date(2026, 6, 10), "review_until": dt.date(2026, 6, 20),
            "decide_by": dt.date(2026, 6, 30)})
    assert Campaign.objects.count() == 1


def test_windows_are_enforced_with_named_dates(world: Any) -> None:
    start = dt.date(2026, 6, 1)
    with time_machine.travel(at(dt.date(2026, 5, 20)), tick=False) as clock:
        campaign = make_campaign(world, start=start)
        with pytest.raises(ValidationError) as exc:
            nominate(world, campaign, world.people["e1-b"])
        assert code_of(exc) == Code.WINDOW_NOT_OPEN and exc.value.messages == [
            "Nominations are not open until 1 Jun 2026."]
        clock.move_to(at(dt.date(2026, 6, 5)))
        nomination = nominate(world, campaign, world.people["e1-b"])
        submitted = services.nomination_submit(actor=None, nomination=nominate(world, campaign,
                                                                              world.people["e1-a"]))
        with pytest.raises(ValidationError, match="open until 11 Jun 2026; they close after that day"):
            services.campaign_close_nominations(actor=None, campaign=campaign)
        clock.move_to(at(dt.date(2026, 6, 12)))
        with pytest.raises(ValidationError) as exc:
            services.nomination_submit(actor=None, nomination=nomination)
        assert code_of(exc) == Code.WINDOW_CLOSED and "closed on 11 Jun 2026" in exc.value.messages[0]
        campaign = services.campaign_close_nominations(actor=None, campaign=campaign)
        assert campaign.status == CampaignStatus.REVIEWING
        with pytest.raises(ValidationError, match="“reviewing”; nominations are taken while it is open"):
            nominate(world, campaign, world.people["b2-a"], by="fz-b1")
        clock.move_to(at(dt.date(2026, 6, 22)))
        with pytest.raises(ValidationError, match="The review closed on 21 Jun 2026"):
            services.nomination_review(actor=None, nomination=submitted, opinion=Opinion.PASS)
        # A review that needs longer is not stuck: its window moves; the set-up does not.
        with pytest.raises(ValidationError, match="“reviewing”; its set-up can no longer change"):
            services.campaign_update(actor=None, campaign=campaign, data={"title": "改名"})
        services.campaign_update(actor=world.users["staff_fz"], campaign=campaign,
                                 data={"review_until": dt.date(2026, 6, 30)})
        services.nomination_review(actor=None, nomination=submitted, opinion=Opinion.PASS)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT


def test_quota_eligibility_and_editing(world: Any, sec_root: Any) -> None:
    campaign = make_campaign(world)
    secretary_b1 = world.users["secretary_b1"]
    e2 = person_in(world, "fz-e2", "陈某某", "011")
    probationary = person_in(world, "fz-e2", "林某某", "012", member_status=MemberStatus.PROBATIONARY)
    first = nominate(world, campaign, world.people["e1-b"], actor=secretary_b1)
    second = nominate(world, campaign, world.people["e1-a"], actor=secretary_b1)
    third = nominate(world, campaign, e2, actor=secretary_b1)
    services.nomination_submit(actor=secretary_b1, nomination=first)
    services.nomination_submit(actor=secretary_b1, nomination=second)
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(actor=secretary_b1, nomination=third)
    assert code_of(exc) == Code.OVER_QUOTA and exc.value.messages == [
        "The quota of 优秀共产党员 for 一号楼联合党总支 is 2; 2 are already submitted."]
    third.refresh_from_db()
    assert third.status == NominationStatus.DRAFT

    with pytest.raises(ValidationError, match="already nominated"):
        nominate(world, campaign, world.people["e1-b"], actor=secretary_b1)
    with pytest.raises(ValidationError, match="under it"):
        nominate(world, campaign, world.people["b2-a"], actor=secretary_b1)
    with pytest.raises(PermissionDenied):  # fz-b2 is not theirs
        nominate(world, campaign, world.people["b2-a"], by="fz-b2", actor=secretary_b1)
    with pytest.raises(ValidationError, match="has no places"):
        nominate(world, campaign, world.people["b2-a"], by="fz-b2")
    services.nomination_withdraw(actor=secretary_b1, nomination=third, reason="名额已满")
    late = nominate(world, campaign, probationary, actor=secretary_b1, declared=False)
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(actor=secretary_b1, nomination=late)
    assert code_of(exc) == Code.NOT_ELIGIBLE
    assert "declaration" in exc.value.messages[0] and "优秀共产党员 is for full party members" in exc.value.messages[0]
    with pytest.raises(ValidationError, match="not open to a General branch"):
        services.nomination_submit(actor=None, nomination=nominate(
            world, campaign, world.orgs["fz-b1"], by="fz-b1", category="先进基层党组织"))
    with pytest.raises(ValidationError, match="within 300 characters"):
        services.nomination_update(actor=secretary_b1, nomination=late, data={"deeds": "事" * 301})

    # Submitted: frozen details, and no more editing; every change before was audited.
    first.refresh_from_db()
    assert first.snapshot["name"] == "成员e1-b" and first.snapshot["organization_path"] == [
        "丰泽CBD总部党委", "一号楼联合党总支", "某科技公司党支部"]
    assert first.snapshot["member_status"] == MemberStatus.FULL
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.nomination_update(actor=secretary_b1, nomination=first, data={"deeds": "改写"})
    assert code_of(exc) == Code.NOT_EDITABLE and "“in review”" in exc.value.messages[0]
    assert AuditEvent.objects.count() == before
    services.nomination_update(actor=secretary_b1, nomination=late, data={"deeds": "补充事迹", "declared": True})
    assert AuditEvent.objects.filter(object_type="commendations.nomination", object_id=str(late.pk),
                                     action="update").count() == 1
    assert Notification.objects.filter(user=sec_root, kind="commendations.to_review").count() == 2


def test_review_stages_returns_and_conflict_of_interest(world: Any, sec_root: Any) -> None:
    campaign = make_campaign(world, stages=("fz-b1", "fz-root"))
    secretary_b1 = world.users["secretary_b1"]
    nomination = nominate(world, campaign, world.people["e1-b"], actor=secretary_b1)
    services.nomination_submit(actor=secretary_b1, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.stage.name == "党委审核"
    with pytest.raises(PermissionDenied, match="You may not change this record"):  # out of reach: not even seen
        services.nomination_review(actor=world.users["staff_jj"], nomination=nomination, opinion=Opinion.PASS)

    # A reviewer whose own record is in the nominee's branch is excluded; another reviewer of the stage is not.
    colleague = secretary(world, "fz-b1", "colleague")
    world.people["e1-a"].user = colleague
    world.people["e1-a"].save(update_fields=["user"])
    with pytest.raises(ValidationError) as exc:
        services.nomination_review(actor=colleague, nomination=nomination, opinion=Opinion.PASS)
    assert code_of(exc) == Code.CONFLICT_OF_INTEREST
    with pytest.raises(ValidationError, match="Give the reason"):
        services.nomination_review(actor=secretary_b1, nomination=nomination, opinion=Opinion.RETURN)
    services.nomination_review(actor=secretary_b1, nomination=nomination, opinion=Opinion.RETURN,
                               comment="事迹请补充具体数据")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RETURNED and nomination.return_reason == "事迹请补充具体数据"
    told = Notification.objects.filter(kind="commendations.returned").values_list("user__username", flat=True)
    assert list(told) == ["colleague"]  # the branch's other secretary; not the actor who returned it
    services.nomination_update(actor=secretary_b1, nomination=nomination, data={"deeds": DEEDS + "服务企业36家。"})
    services.nomination_submit(actor=secretary_b1, nomination=nomination)
    services.nomination_review(actor=secretary_b1, nomination=nomination, opinion=Opinion.PASS, comment="同意")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED and nomination.stage.name == "组织部审定"
    assert Notification.objects.filter(user=sec_root, kind="commendations.to_review").count() == 1
    with pytest.raises(PermissionDenied, match="Only the reviewers of “组织部审定” \\(丰泽CBD总部党委\\)"):
        services.nomination_review(actor=secretary_b1, nomination=nomination, opinion=Opinion.PASS)
    services.nomination_review(actor=sec_root, nomination=nomination, opinion=Opinion.RETURN, comment="补充廉政意见")
    assert Notification.objects.filter(user=secretary_b1, kind="commendations.returned").count() == 1
    services.nomination_submit(actor=secretary_b1, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.stage.name == "组织部审定"  # back to the stage that returned it
    services.nomination_review(actor=sec_root, nomination=nomination, opinion=Opinion.PASS)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PASSED
    assert list(nomination.events.values_list("kind", flat=True)) == [
        "created", "submitted", "returned", "changed", "submitted", "reviewed", "returned", "submitted", "passed"]
    assert nomination.reviews.count() == 4
    with pytest.raises(ValidationError, match="“passed review”; it is not waiting for a review"):
        services.nomination_review(actor=sec_root, nomination=nomination, opinion=Opinion.PASS)


def test_notice_end_counts_working_days_across_a_holiday_and_a_worked_weekend(world: Any) -> None:
    wednesday = dt.date(2026, 9, 30)
    assert services.notice_end(wednesday, 5) == dt.date(2026, 10, 6)  # plain weekends: Sat and Sun skipped
    Holiday.objects.create(date=dt.date(2026, 10, 1), name="国庆节")
    Holiday.objects.create(date=dt.date(2026, 10, 2), name="国庆节")
    Holiday.objects.create(date=dt.date(2026, 10, 3), name="国庆节调休", is_working_day=True)
    # 30 Sep (1), 1–2 Oct off, Sat 3 Oct worked (2), Sun off, 5 (3), 6 (4), 7 Oct (5).
    assert services.notice_end(wednesday, 5) == dt.date(2026, 10, 7)
    assert services.notice_end(dt.date(2026, 10, 4), 5) == dt.date(2026, 10, 9)  # a Sunday start does not count


def test_the_whole_procedure(world: Any, sec_root: Any) -> None:
    secretary_b1, member = world.users["secretary_b1"], world.users["member"]
    Holiday.objects.create(date=dt.date(2026, 10, 1), name="国庆节")
    Holiday.objects.create(date=dt.date(2026, 10, 2), name="国庆节")
    Holiday.objects.create(date=dt.date(2026, 10, 3), name="国庆节调休", is_working_day=True)
    with time_machine.travel(at(dt.date(2026, 9, 1)), tick=False) as clock:
        campaign = make_campaign(world, start=dt.date(2026, 9, 1))
        assert Notification.objects.filter(user=secretary_b1, kind="commendations.window").count() == 1
        kept = nominate(world, campaign, world.people["e1-b"], actor=secretary_b1)
        blocked = nominate(world, campaign, world.people["e1-a"], by="fz-e1")
        branch = nominate(world, campaign, world.orgs["fz-e1"], category="先进基层党组织", actor=secretary_b1)
        for nomination in (kept, blocked, branch):
            services.nomination_submit(actor=None, nomination=nomination)
            services.nomination_review(actor=sec_root, nomination=nomination, opinion=Opinion.PASS)
        clock.move_to(at(dt.date(2026, 9, 12)))
        services.campaign_close_nominations(actor=world.users["staff_fz"], campaign=campaign)
        assert Notification.objects.filter(user=secretary_b1, kind="commendations.window").count() == 2

        clock.move_to(at(dt.date(2026, 9, 29)))
        with pytest.raises(ValidationError, match="cannot start in the past"):
            services.notice_start(actor=sec_root, campaign=campaign, starts_on=dt.date(2026, 9, 28), contact="x")
        notice = services.notice_start(actor=sec_root, campaign=campaign, starts_on=dt.date(2026, 9, 30),
                                       contact="区委组织部 0595-22000000")
        assert notice.ends_on == dt.date(2026, 10, 7)
        assert set(notice.nominations.values_list("status", flat=True)) == {NominationStatus.ON_NOTICE}
        with pytest.raises(ValidationError, match="objections are taken during it"):
            services.objection_file(actor=member, notice=notice, nomination=kept, objector_name="王某",
                                    objector_unit="某公司", objector_phone="13912345678", text="x")

        clock.move_to(at(dt.date(2026, 10, 3)))
        with pytest.raises(ValidationError) as exc:
            services.objection_file(actor=member, notice=notice, nomination=kept, objector_name=" ",
                                    objector_unit="某公司", objector_phone="123", text="有异议")
        assert set(exc.value.message_dict) == {"objector_name", "objector_phone"}
        unfounded = services.objection_file(actor=member, notice=notice, nomination=kept, objector_name="王某",
                                            objector_unit="泉州某贸易公司", objector_phone="13912345678",
                                            text="该同志事迹有夸大")
        founded = services.objection_file(actor=member, notice=notice, nomination=blocked, objector_name="王某",
                                          objector_unit="泉州某贸易公司", objector_phone="13912345678",
                                          text="该同志去年受过诫勉")
        assert Notification.objects.filter(user=sec_root, kind="commendations.objection").count() == 2
        logged = AuditEvent.objects.get(object_type="commendations.objection", object_id=str(founded.pk))
        assert "13912345678" not in str(logged.changes) and "139****5678" in str(logged.changes)
        assert Objection.objects.get(pk=founded.pk).objector_phone_masked == "139****5678"
        with pytest.raises(PermissionDenied):  # the objector does not find on their own objection
            services.objection_handle(actor=member, objection=founded, finding=Finding.FOUNDED, reply="x")

        with pytest.raises(ValidationError) as exc:  # closing the notice early
            services.decision_issue(actor=sec_root, campaign=campaign, number="丰委〔2026〕12号",
                                    date=dt.date(2026, 10, 3))
        assert code_of(exc) == Code.NOTICE_RUNNING and exc.value.messages == [
            "The public notice runs until 7 Oct 2026; it cannot close early."]

        clock.move_to(at(dt.date(2026, 10, 8)))
        with pytest.raises(ValidationError) as exc:
            services.decision_issue(actor=sec_root, campaign=campaign, number="丰委〔2026〕12号",
                                    date=dt.date(2026, 10, 8))
        assert code_of(exc) == Code.OBJECTION_OPEN
        services.objection_handle(actor=sec_root, objection=unfounded, finding=Finding.UNFOUNDED,
                                  reply="经核实，事迹属实。")
        with pytest.raises(ValidationError, match="kept or taken off"):
            services.objection_handle(actor=sec_root, objection=founded, finding=Finding.PARTLY, reply="x")
        services.objection_handle(actor=sec_root, objection=founded, finding=Finding.FOUNDED,
                                  reply="经核实，反映问题属实，取消其推荐资格。")
        assert Objection.objects.get(pk=founded.pk).action == ObjectionAction.WITHDRAW
        with pytest.raises(ValidationError, match="already handled"):
            services.objection_handle(actor=sec_root, objection=founded, finding=Finding.UNFOUNDED, reply="x")

        decision = services.decision_issue(actor=sec_root, campaign=campaign, number="丰委〔2026〕12号",
                                           date=dt.date(2026, 10, 8))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DECIDED
    statuses = dict(Nomination.objects.values_list("pk", "status"))
    assert statuses == {kept.pk: NominationStatus.APPROVED, blocked.pk: NominationStatus.REJECTED,
                        branch.pk: NominationStatus.APPROVED}
    honours = Honour.objects.filter(decision=decision)
    assert {(h.person_id, h.organization_id, h.category_name) for h in honours} == {
        (world.people["e1-b"].pk, None, "优秀共产党员"), (None, world.orgs["fz-e1"].pk, "先进基层党组织")}
    # The nominee's organization (its secretaries, here those of the general branch above) and the nominee's own
    # account hear of it.
    assert Notification.objects.filter(user=secretary_b1, kind="commendations.approved").count() == 2
    honour = honours.get(person=world.people["e1-b"])
    services.honour_revoke(actor=world.users["staff_fz"], honour=honour, reason="违纪被处分")
    honour.refresh_from_db()
    assert honour.revoked_at is not None
    with pytest.raises(ValidationError, match="already revoked"):
        services.honour_revoke(actor=world.users["staff_fz"], honour=honour, reason="x")
    with pytest.raises(PermissionDenied):
        services.honour_revoke(actor=world.users["staff_jj"], honour=honours.get(organization=world.orgs["fz-e1"]),
                               reason="x")
    services.campaign_archive(actor=sec_root, campaign=campaign)
    with pytest.raises(ValidationError, match="“archived”; only a decided campaign"):
        services.campaign_archive(actor=sec_root, campaign=campaign)
    assert NominationEvent.objects.filter(nomination=blocked, kind="rejected").exists()


def test_illegal_steps_name_the_current_status(world: Any) -> None:
    campaign = make_campaign(world)
    nomination = nominate(world, campaign, world.people["e1-b"])
    with pytest.raises(ValidationError, match="“draft”; it is not waiting for a review"):
        services.nomination_review(actor=None, nomination=nomination, opinion=Opinion.PASS)
    with pytest.raises(ValidationError, match="“open for nominations”; the decision follows"):
        services.decision_issue(actor=None, campaign=campaign, number="x", date=timezone.localdate())
    with pytest.raises(ValidationError, match="“open for nominations”; a public notice follows"):
        services.notice_start(actor=None, campaign=campaign, starts_on=timezone.localdate(), contact="x")
    with pytest.raises(ValidationError, match="“open for nominations”; categories are set while it is a draft"):
        services.category_add(actor=None, campaign=campaign, data={"kind": "person", "name": "x", "quota_total": 1})
    services.nomination_withdraw(actor=None, nomination=nomination, reason="本人谦让")
    with pytest.raises(ValidationError, match="“withdrawn”; it can no longer be withdrawn"):
        services.nomination_withdraw(actor=None, nomination=nomination, reason="x")
    assert Category.objects.filter(campaign=campaign).count() == 2


def test_submit_writes_in_a_fixed_number_of_queries(world: Any, django_assert_num_queries: Any) -> None:
    """Lock and check (1, with the campaign, category, nominee and nominator), quota lock and count (2), first stage,
    the frozen details (nominee's organization, its ancestors, posts: 3), the update and its audit, the timeline row,
    and telling the stage's reviewers (organization, secretaries, region staff, earlier notices, the notification),
    inside the savepoints."""
    campaign = make_campaign(world)
    nomination = nominate(world, campaign, world.people["e1-b"], actor=world.users["secretary_b1"])
    nomination = Nomination.objects.get(pk=nomination.pk)
    user = User.objects.get(pk=world.users["secretary_b1"].pk)
    with django_assert_num_queries(20):
        services.nomination_submit(actor=user, nomination=nomination)


def test_review_writes_in_a_fixed_number_of_queries(world: Any, sec_root: Any, django_assert_num_queries: Any
                                                    ) -> None:
    """Lock and check (1, with the campaign, category, nominee and stage), the reviewer check and the
    conflict-of-interest look-up, the review row and its audit, the next stage, the update and its audit, the
    timeline row and telling the next stage's reviewers, inside the savepoints."""
    campaign = make_campaign(world, stages=("fz-root", "fz-root"))
    nomination = nominate(world, campaign, world.people["e1-b"])
    services.nomination_submit(actor=None, nomination=nomination)
    nomination = Nomination.objects.get(pk=nomination.pk)
    user = User.objects.get(pk=sec_root.pk)
    with django_assert_num_queries(18):
        services.nomination_review(actor=user, nomination=nomination, opinion=Opinion.PASS, comment="同意")



def test_places_from_a_rate_of_the_members_and_the_two_new_target_as_a_warning(world: Any) -> None:
    from commendations.selectors import structure_warnings

    campaign = make_campaign(world, open_=False)
    worker = services.category_add(actor=None, campaign=campaign, data={
        "kind": "person", "name": "优秀党务工作者", "quota_total": 3, "quota_rate": Decimal("200")})
    for org in ("fz-b1", "fz-e1"):
        services.quota_set(actor=None, category=worker, organization=world.orgs[org], number=0)
    # fz-b1's subtree and fz-e1 each hold the two members of fz-e1: 2 × 200 / 100 = 4 places each, 8 > 3.
    with pytest.raises(ValidationError, match=r"At 200\.00 places per 100 members the quotas of 优秀党务工作者 add "
                                              r"up to 8, more than its 3 places"):
        services.campaign_open(actor=None, campaign=campaign)
    Category.objects.filter(pk=worker.pk).update(quota_rate=Decimal("30"))  # 2 × 30 / 100 = 0.6: rounded up
    campaign = services.campaign_open(actor=None, campaign=campaign)
    assert sorted(worker.quotas.values_list("number", flat=True)) == [1, 1]

    member = campaign.categories.get(name="优秀共产党员")
    Category.objects.filter(pk=member.pk).update(two_new_share=60)
    building = person_in(world, "fz-b1", "黄某某", "021")
    for who in (building, world.people["e1-b"]):
        services.nomination_submit(actor=None, nomination=nominate(world, campaign, who))
    assert structure_warnings(campaign) == [  # 1 of 2 from a non-public enterprise: 50 %, below 60 %
        "优秀共产党员: 1 of 2 nominees come from non-public enterprises and social organizations; the target is 60%."]
    Category.objects.filter(pk=member.pk).update(two_new_share=50)
    assert structure_warnings(campaign) == []


def test_the_platforms_facts_come_as_context_with_their_source(world: Any) -> None:
    from activities import services as activity_services
    from activities.tests.conftest import make_activity
    from commendations.selectors import nominee_facts

    campaign = make_campaign(world)
    nomination = nominate(world, campaign, world.people["e1-b"])
    for days in (30, 400):  # the second is more than a year ago
        activity_services.activity_hold(actor=None, activity=make_activity(
            world.orgs["fz-e1"], starts=timezone.now() - dt.timedelta(days=days)))
    facts = nominee_facts(world.users["secretary_b1"], nomination, timezone.now())
    assert [(f.label, f.count) for f in facts] == [
        ("Activities hosted by 某科技公司党支部 in the last 12 months", 1),
        ("Demands 某科技公司党支部 resolved as handler in the last 12 months", 0),
        ("Pairs in force with 某科技公司党支部", 0)]
    assert facts[0].url == f"/activities/?host={world.orgs['fz-e1'].pk}"
    # Counted among what the viewer sees: Jinjiang's staff count nothing.
    assert [f.count for f in nominee_facts(world.users["staff_jj"], nomination, timezone.now())] == [0, 0, 0]
