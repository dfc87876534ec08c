"""Demo commendations (called by ``demo.data.load``): case 4 decided, and Fengze's yearly campaigns in progress.

- The Quanzhou Development Zone's epidemic-prevention commendation (early 2020; the report gives no date, the demo
  puts the decision on 31 March 2020 and marks its document number as a demo one): 7 advanced grassroots party
  organizations of the zone and 22 advanced individuals (fictional people), decided, with the honours on their
  records.
- Fengze CBD's "两优一先" of this year on public notice (started on the last working day up to today, so it is
  running whatever day the demo is loaded), with nominations on notice, withdrawn, not recommended and a draft left
  over, and one objection waiting for its finding.
- Fengze CBD's "楼宇党建先锋" of this year under review: nominations at the first and the second stage, one returned
  for changes and one passed.

Past states are written as records (as an import of history would be), not replayed through the services, whose
windows follow today's date.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from demands.workdays import WorkingCalendar
from organizations import services as org_services
from organizations.choices import Gender, MemberStatus, OrganizationType, PersonKind
from organizations.models import Organization, Person

from .choices import CampaignStatus, CategoryKind, NominationEventKind, NominationStatus, Opinion
from .models import (
    Campaign,
    Category,
    Decision,
    Honour,
    Nomination,
    NominationEvent,
    Notice,
    Objection,
    Quota,
    ReviewStage,
)
from .services import notice_end, snapshot_of

SURNAMES = "王李张刘陈杨黄赵吴周徐孙林郑谢蔡许曾洪苏庄"
GIVEN = "伟芳敏静丽强磊军洋勇艳杰涛明超霞平刚华玲燕斌宇浩凯晨阳雨欣文"
DEEDS_2020 = "疫情防控期间坚守一线，组织党员志愿者开展卡口值守、入户排查和复工复产服务。"
BRANCH_TYPES = [OrganizationType.BRANCH, OrganizationType.JOINT_BRANCH, OrganizationType.COMMITTEE]


def load(orgs: dict[str, Organization], clock: Any) -> None:
    _quanzhou_zone_2020(orgs)
    _fengze_on_notice(orgs, clock)
    _fengze_under_review(orgs, clock)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _members(org: Organization) -> list[Person]:
    return list(org.people.filter(kind=PersonKind.MEMBER).order_by("id"))


def _nominate(campaign: Campaign, category: Category, nominator: Organization, nominee: Person | Organization,
              status: str, *, day: dt.date, deeds: str, stage: ReviewStage | None = None, **extra: Any
              ) -> Nomination:
    person = nominee if isinstance(nominee, Person) else None
    organization = nominee if isinstance(nominee, Organization) else None
    nomination = Nomination(campaign=campaign, category=category, nominator=nominator, person=person,
                            organization=organization, deeds=deeds, declared=True, status=status, stage=stage,
                            **extra)
    if status != NominationStatus.DRAFT:
        nomination.snapshot = snapshot_of(nomination, day)
        nomination.submitted_at = _at(day)
    nomination.save()
    NominationEvent.objects.create(nomination=nomination, kind=NominationEventKind.CREATED, at=_at(day, 9))
    if status != NominationStatus.DRAFT:
        NominationEvent.objects.create(nomination=nomination, kind=NominationEventKind.SUBMITTED, at=_at(day),
                                       stage=stage)
    return nomination


def _review(nomination: Nomination, stage: ReviewStage, opinion: str, day: dt.date, comment: str = "") -> None:
    nomination.reviews.create(stage=stage, opinion=opinion, comment=comment, at=_at(day, 15))
    kind = {Opinion.PASS: NominationEventKind.PASSED, Opinion.RETURN: NominationEventKind.RETURNED,
            Opinion.REJECT: NominationEventKind.REJECTED}[Opinion(opinion)]
    NominationEvent.objects.create(nomination=nomination, kind=kind, at=_at(day, 15), stage=stage,
                                   note=f"{stage.name}: {comment}".rstrip(": "))


def _quanzhou_zone_2020(orgs: dict[str, Organization]) -> None:
    """Case 4: 7 advanced grassroots party organizations and 22 advanced individuals, decided."""
    zone = orgs["QZ-KFQ"]
    branches = [orgs[f"QZ-K0{i}"] for i in range(1, 8)]
    campaign = Campaign.objects.create(
        issuer=zone, title="泉州经济技术开发区疫情防控工作先进基层党组织和先进个人表彰", year=2020,
        basis="表彰在疫情防控工作中表现突出的先进基层党组织和先进个人（演示数据：原报道未载明日期和文号）。",
        nominate_from=dt.date(2020, 3, 2), nominate_until=dt.date(2020, 3, 10), review_until=dt.date(2020, 3, 17),
        decide_by=dt.date(2020, 3, 31), status=CampaignStatus.DECIDED)
    organizations = Category.objects.create(campaign=campaign, kind=CategoryKind.ORGANIZATION, name="先进基层党组织",
                                            quota_total=7)
    individuals = Category.objects.create(campaign=campaign, kind=CategoryKind.PERSON, name="先进个人",
                                          quota_total=22)
    Quota.objects.create(category=organizations, organization=zone, number=7)
    Quota.objects.create(category=individuals, organization=zone, number=22)
    stage = ReviewStage.objects.create(campaign=campaign, order=1, name="党工委审定", organization=zone)
    starts_on = dt.date(2020, 3, 18)
    notice = Notice.objects.create(campaign=campaign, starts_on=starts_on, ends_on=notice_end(starts_on, 5),
                                   contact="开发区党工委组织部")
    decision = Decision.objects.create(campaign=campaign, number="泉开工〔2020〕演示1号", date=dt.date(2020, 3, 31),
                                       signer=zone)
    people = _people_for(branches, 22)
    nominees: list[Person | Organization] = [*branches, *people]
    for nominee in nominees:
        category = organizations if isinstance(nominee, Organization) else individuals
        nomination = _nominate(campaign, category, zone, nominee, NominationStatus.APPROVED, day=dt.date(2020, 3, 6),
                               deeds=DEEDS_2020, stage=stage, notice=notice)
        _review(nomination, stage, Opinion.PASS, dt.date(2020, 3, 16))
        Honour.objects.create(person=nomination.person, organization=nomination.organization, decision=decision,
                              category_name=category.name, year=2020, nomination=nomination)


def _people_for(branches: list[Organization], count: int) -> list[Person]:
    """``count`` members of the branches, the ones recorded first, then fictional newcomers where they run out."""
    rng = random.Random(2020)  # noqa: S311  (reproducible fake names, not security)
    found: list[Person] = []
    pools = [_members(b) for b in branches]
    while len(found) < count and any(pools):
        for pool in pools:
            if pool and len(found) < count:
                found.append(pool.pop(0))
    index = 0
    while len(found) < count:
        branch = branches[index % len(branches)]
        index += 1
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        found.append(org_services.person_create(actor=None, data={
            "kind": PersonKind.MEMBER, "name": name, "gender": rng.choice([Gender.MALE, Gender.FEMALE]),
            "organization": branch, "unit": branch.unit, "member_status": MemberStatus.FULL,
            "joined_party_on": dt.date(1995 + rng.randrange(0, 20), rng.randrange(1, 13), 1)}))
    return found


def _last_working_day(today: dt.date) -> dt.date:
    calendar = WorkingCalendar(today)
    day = today
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _two_excellences(campaign: Campaign) -> tuple[Category, Category, Category]:
    member = Category.objects.create(campaign=campaign, kind=CategoryKind.PERSON, name="优秀共产党员",
                                     quota_total=10, full_member_required=True)
    worker = Category.objects.create(campaign=campaign, kind=CategoryKind.PERSON, name="优秀党务工作者",
                                     quota_total=5, full_member_required=True)
    branch = Category.objects.create(campaign=campaign, kind=CategoryKind.ORGANIZATION, name="先进基层党组织",
                                     quota_total=6, organization_types=BRANCH_TYPES)
    return member, worker, branch


def _fengze_on_notice(orgs: dict[str, Organization], clock: Any) -> None:
    today = clock.today
    cbd = orgs["FZ-CBD"]
    campaign = Campaign.objects.create(
        issuer=cbd, title=f"{today.year}年度丰泽CBD“两优一先”评选表彰", year=today.year,
        basis="按照区委关于开展“两优一先”评选表彰工作的通知，评选优秀共产党员、优秀党务工作者和先进基层党组织，"
              "推荐向基层一线倾斜。",
        nominate_from=today - dt.timedelta(days=40), nominate_until=today - dt.timedelta(days=25),
        review_until=today - dt.timedelta(days=8), decide_by=today + dt.timedelta(days=20),
        status=CampaignStatus.ON_NOTICE)
    member, worker, branch = _two_excellences(campaign)
    for code in ("FZ-B1", "FZ-B2", "FZ-B3", "FZ-B4", "FZ-B5"):
        Quota.objects.create(category=member, organization=orgs[code], number=2)
        Quota.objects.create(category=worker, organization=orgs[code], number=1)
        Quota.objects.create(category=branch, organization=orgs[code], number=1)
    # A place for an enterprise branch itself: its members (the demo member among them) read the notice.
    Quota.objects.create(category=branch, organization=orgs["FZ-B2-01"], number=1)
    stage = ReviewStage.objects.create(campaign=campaign, order=1, name="总部党委审核（含廉政意见）", organization=cbd)
    starts_on = _last_working_day(today)
    notice = Notice.objects.create(campaign=campaign, starts_on=starts_on, ends_on=notice_end(starts_on, 5),
                                   contact="丰泽CBD总部党委办公室 0595-22000000")
    submitted = today - dt.timedelta(days=30)
    reviewed = today - dt.timedelta(days=12)

    def noticed(nominator: str, nominee: Person | Organization, category: Category, deeds: str) -> Nomination:
        n = _nominate(campaign, category, orgs[nominator], nominee, NominationStatus.ON_NOTICE, day=submitted,
                      deeds=deeds, stage=stage, notice=notice)
        _review(n, stage, Opinion.PASS, reviewed, "同意推荐；廉政意见：无问题")
        NominationEvent.objects.create(nomination=n, kind=NominationEventKind.NOTICED, at=_at(starts_on, 9))
        return n

    b1, b2, b3, b4 = (_members(orgs[code]) for code in ("FZ-B1-01", "FZ-B2-01", "FZ-B3-01", "FZ-B4-01"))
    objected = noticed("FZ-B1", b1[0], member, "带领银行党员开展“党建+金融”服务，走访楼宇企业120余家。")
    noticed("FZ-B1", orgs["FZ-B1-01"], branch, "推行“一楼一品”党建品牌，牵头组建楼宇金融服务队。")
    noticed("FZ-B2", b2[1], worker, "兼职党务工作者，规范楼宇联合党支部“三会一课”。")
    withdrawn = _nominate(campaign, member, orgs["FZ-B2"], b2[0], NominationStatus.WITHDRAWN, day=submitted,
                          deeds="组织企业党员参与社区志愿服务。", stage=stage)
    NominationEvent.objects.create(nomination=withdrawn, kind=NominationEventKind.WITHDRAWN, at=_at(submitted, 16),
                                   note="本人谦让，推荐其他同志")
    rejected = _nominate(campaign, member, orgs["FZ-B3"], b3[0], NominationStatus.REJECTED, day=submitted,
                         deeds="积极参加支部活动。", stage=stage)
    _review(rejected, stage, Opinion.REJECT, reviewed, "事迹不够具体，本年度不予推荐")
    _nominate(campaign, member, orgs["FZ-B4"], b4[0], NominationStatus.DRAFT, day=submitted,
              deeds="（未完成的草稿，推荐截止前未报送）")
    Objection.objects.create(notice=notice, nomination=objected, objector_name="吴某某",
                             objector_unit="泉州某贸易有限公司", objector_phone="13900001234",
                             text="反映该同志所述走访企业数量与实际不符，请核实。", filed_at=clock.now)
    NominationEvent.objects.create(nomination=objected, kind=NominationEventKind.OBJECTION, at=clock.now)


def _fengze_under_review(orgs: dict[str, Organization], clock: Any) -> None:
    today = clock.today
    cbd = orgs["FZ-CBD"]
    campaign = Campaign.objects.create(
        issuer=cbd, title=f"{today.year}年度丰泽CBD“楼宇党建先锋”评选", year=today.year,
        basis="在楼宇党组织中评选党建先锋，按事迹评选，不搞投票和积分排名。",
        nominate_from=today - dt.timedelta(days=20), nominate_until=today - dt.timedelta(days=5),
        review_until=today + dt.timedelta(days=10), decide_by=today + dt.timedelta(days=40),
        status=CampaignStatus.REVIEWING)
    vanguard = Category.objects.create(campaign=campaign, kind=CategoryKind.PERSON, name="楼宇党建先锋",
                                       quota_total=6)
    Quota.objects.create(category=vanguard, organization=orgs["FZ-B1"], number=3)
    Quota.objects.create(category=vanguard, organization=orgs["FZ-B2"], number=3)
    first = ReviewStage.objects.create(campaign=campaign, order=1, name="总部党委办公室初审", organization=cbd)
    second = ReviewStage.objects.create(campaign=campaign, order=2, name="总部党委会审定", organization=cbd)
    submitted = today - dt.timedelta(days=8)
    b1, b2 = (_members(orgs[code]) for code in ("FZ-B1-02", "FZ-B2-02"))
    _nominate(campaign, vanguard, orgs["FZ-B1"], b1[0], NominationStatus.SUBMITTED, day=submitted, stage=first,
              deeds="牵头建立楼宇企业联络群，帮助企业对接政策。")
    # Every demo organization has at least two members (demo.data).
    at_second = _nominate(campaign, vanguard, orgs["FZ-B1"], b1[1], NominationStatus.SUBMITTED, day=submitted,
                          stage=second, deeds="组织楼宇青年党员开展读书分享会。")
    at_second.reviews.create(stage=first, opinion=Opinion.PASS, comment="同意", at=_at(submitted + dt.timedelta(1)))
    NominationEvent.objects.create(nomination=at_second, kind=NominationEventKind.REVIEWED,
                                   at=_at(submitted + dt.timedelta(1)), stage=first, note=f"{first.name}: 同意")
    returned = _nominate(campaign, vanguard, orgs["FZ-B2"], b2[0], NominationStatus.RETURNED, day=submitted,
                         stage=first, deeds="参加楼宇党建活动。", return_reason="请补充具体事迹和服务企业的数据")
    _review(returned, first, Opinion.RETURN, submitted + dt.timedelta(1), "请补充具体事迹和服务企业的数据")
    passed = _nominate(campaign, vanguard, orgs["FZ-B2"], _members(orgs["FZ-B2"])[0], NominationStatus.PASSED,
                       day=submitted, stage=second, deeds="总支委员，推动楼宇党群服务站开放共享会议室。")
    _review(passed, second, Opinion.PASS, submitted + dt.timedelta(2), "同意")
