"""Demo activities: a year of the real cases, entered the way a secretary would (through the services).

- Xiangtan: every pair holds a monthly joint themed party day in the series “一月一课、一片一实践”; most are recorded
  with minutes and attendance, a few months are missed (the matrix and the reminders show it), and the running
  month is partly planned.
- Branches keep their “three meetings and one lesson”, with gaps, so the ledger has warnings to show.
- Fengze CBD: the launch on 1 July with the oath renewal, a forum, volunteer service, and an upcoming event.
- Chengdu–Chongqing: the summit on 3 September hosted by both district committees.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from activities import services
from activities.models import ActivitySeries, Attendance, SeriesMonth
from organizations.choices import PersonKind
from organizations.models import Organization, Person

from .clock import DemoClock

ACTOR = None

MONTH_THEMES = [
    "企业负责人讲微党课：创新发展中的党建引领",
    "联学《中国共产党纪律处分条例》",
    "文明出行宣传暨禁毒知识宣讲",
    "“六一”走访慰问社区儿童",
    "重温入党誓词，践行初心使命",
    "安全生产进园区",
    "学习贯彻全会精神专题党课",
    "助企纾困政策宣讲会",
    "志愿服务进社区",
    "党史学习：湘潭红色足迹",
    "青年职工座谈会",
    "年度共建成效交流",
]
MINUTES = ("双方党员共同学习，企业负责人作交流发言；机关党支部解读最新惠企政策，收集企业诉求{n}条，"
           "明确专人跟进办理。")


_MEMBERS: dict[int, list[Any]] = {}


def _attend(activity: Any, orgs: list[Organization], rng: random.Random) -> None:
    rows = []
    for org in orgs:
        if org.pk not in _MEMBERS:  # each organization's members are read once for the whole demo
            _MEMBERS[org.pk] = list(org.people.order_by("id")[:4])
        for person in _MEMBERS[org.pk][: rng.randint(2, 4)]:
            rows.append(Attendance(activity=activity, person=person, organization=org, method="qr",
                                   signed_in_at=activity.starts_at + dt.timedelta(minutes=rng.randint(-20, 10))))
    Attendance.objects.bulk_create(rows)


def load(orgs: dict[str, Organization], alliances: dict[str, Any], programme: Any, clock: DemoClock) -> None:
    rng = random.Random(20240516)  # noqa: S311  (reproducible demo data)
    _MEMBERS.clear()
    today = clock.today
    this_month = today.replace(day=1)
    # Twelve whole months before this one, and this one: a pair's last twelve party days are on record on any day.
    months = clock.months_back(13)
    series = ActivitySeries.objects.create(
        name="一月一课、一片一实践", owner=orgs["XT"], programme=programme, kind="party_day",
        first_month=months[0], last_month=(this_month + dt.timedelta(days=32)).replace(day=1), reminder_day=20,
        description="结对双方每月联合开展一次主题党日：企业负责人讲一堂微党课，在结对片区开展一次实践活动。")
    for month in [*months, series.last_month]:
        SeriesMonth.objects.create(series=series, month=month, theme=MONTH_THEMES[month.month - 1])
    skipped = {("XT-O5", -3), ("XT-O5", -5), ("XT-O8", -2)}  # months some pairs missed (index from the end)
    for p_index, pair in enumerate(programme.pairs.select_related("organ").order_by("organ__code")):
        partners = list(pair.partners.all())
        for m_index, month in enumerate(months):
            if (pair.organ.code, m_index - len(months)) in skipped:
                continue
            day = month.replace(day=min(8 + p_index * 2, 27))
            if not pair.starts_on <= day <= pair.ends_on:
                continue
            starts = clock.at(day, 14, 30)
            partner = partners[0].unit.name if partners[0].unit else partners[0].name
            theme = f"{MONTH_THEMES[month.month - 1]}（{partner}）"
            activity = services.activity_create(actor=ACTOR, lead=pair.organ, pairs=[pair], data={
                "kind": "party_day", "theme": theme[:200], "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=2), "series": series,
                "venue": f"{partner}会议室",
                "description": series.description})
            if starts + dt.timedelta(hours=2) < clock.now:
                services.activity_record(actor=ACTOR, activity=activity, minutes=MINUTES.format(n=rng.randint(1, 4)),
                                         outcomes="形成共建任务清单，纳入下月调度。")
                _attend(activity, [pair.organ, *partners], rng)
            elif month == this_month and pair.organ.code == "XT-O8":
                services.activity_cancel(actor=ACTOR, activity=activity, reason="与上级检查冲突，改期另行通知。")
    # Organization life of a few branches: committee meetings monthly, members' meetings quarterly, lessons.
    for code in ("XT-O1", "XT-O2", "XT-E01", "XT-E02", "XT-E05", "FZ-B1-01"):
        org = orgs.get(code)
        if org is None:
            continue
        for m_index, month in enumerate(months[:-1]):
            if rng.random() < 0.15:
                continue  # a missed meeting: the ledger shows it
            held = clock.at(month.replace(day=5), 9)
            activity = services.activity_create(actor=ACTOR, lead=org, data={
                "kind": "committee_meeting", "theme": f"{month:%Y年%m月}支部委员会", "starts_at": held,
                "ends_at": held + dt.timedelta(hours=1), "venue": "党员活动室"})
            services.activity_record(actor=ACTOR, activity=activity, minutes="研究本月党建工作安排和发展党员工作。")
            if m_index % 3 == 2:
                meeting = clock.at(month.replace(day=25), 15)
                activity = services.activity_create(actor=ACTOR, lead=org, data={
                    "kind": "members_meeting" if rng.random() < 0.8 else "party_lesson",
                    "theme": f"{month:%Y年}第{(month.month - 1) // 3 + 1}季度党员大会", "starts_at": meeting,
                    "ends_at": meeting + dt.timedelta(hours=2), "venue": "党员活动室"})
                services.activity_record(actor=ACTOR, activity=activity, minutes="通报季度工作，开展组织生活。")
    _cbd(orgs, alliances["丰泽CBD城市党建联盟"], clock, rng)
    _summit(orgs, alliances["成渝核心商圈党建联盟"], clock, rng)


# Case 1: the CBD alliance was unveiled on 1 July 2022 (the party's 101st anniversary).
CBD_LAUNCH = dt.date(2022, 7, 1)
# Case 3: the Chengdu–Chongqing summit of 3 September 2020.
SUMMIT = dt.date(2020, 9, 3)


def _cbd(orgs: dict[str, Organization], alliance: Any, clock: DemoClock, rng: random.Random) -> None:
    workstream = alliance.workstreams.get(code="activities")
    members = list(Organization.objects.filter(path__startswith=orgs["FZ-CBD"].path).order_by("path"))
    launch = clock.at(CBD_LAUNCH, 9, 30)
    activity = services.activity_create(actor=ACTOR, lead=orgs["FZ-CBD"], co_hosts=members[1:4], data={
        "kind": "oath", "theme": "丰泽CBD城市党建联盟成立大会暨重温入党誓词", "starts_at": launch,
        "ends_at": launch + dt.timedelta(hours=2), "venue": "丰泽CBD总部党群服务中心", "alliance": alliance,
        "workstream": workstream, "capacity": 200,
        "agenda": "一、宣读联盟倡议书\n二、为成员单位授牌\n三、全体党员重温入党誓词"})
    services.activity_record(actor=ACTOR, activity=activity,
                             minutes="30个基层党组织加入联盟；宣读倡议书，全体党员重温入党誓词。",
                             outcomes="建立联盟议事机制，确定共建机制、共育队伍、共办活动、共创品牌四项任务。")
    _attend(activity, members[:8], rng)
    # This year's events after the anniversary on 1 July (last year's when it has not come round yet).
    anniversary = clock.last(7, 1)
    for kind, theme, offset, venue in [
        ("forum", "楼宇党建与企业发展论坛", 60, "金融中心大厦多功能厅"),
        ("volunteer", "“服务企业零距离”志愿服务日", 100, "丰泽CBD中央广场"),
    ]:
        starts = clock.at(anniversary + dt.timedelta(days=offset), 14)
        if starts + dt.timedelta(hours=3) > clock.now:
            continue
        a = services.activity_create(actor=ACTOR, lead=orgs["FZ-CBD"], co_hosts=members[1:3], data={
            "kind": kind, "theme": theme, "starts_at": starts, "ends_at": starts + dt.timedelta(hours=3),
            "venue": venue, "alliance": alliance, "workstream": workstream})
        services.activity_record(actor=ACTOR, activity=a, minutes="活动顺利开展。", outcomes="收集企业诉求3条。")
        _attend(a, members[1:5], rng)
    upcoming = clock.at(clock.today + dt.timedelta(days=12), 14, 30)
    a = services.activity_create(actor=ACTOR, lead=orgs["FZ-CBD"], co_hosts=members[1:3], data={
        "kind": "study", "theme": "联盟年度学习会：学习贯彻全会精神", "starts_at": upcoming,
        "ends_at": upcoming + dt.timedelta(hours=2), "venue": "丰泽CBD总部党群服务中心", "alliance": alliance,
        "workstream": workstream, "capacity": 80})
    services.activity_open(actor=ACTOR, activity=a)
    registrants = list(Person.objects.filter(organization__in=members[:6], kind=PersonKind.MEMBER)
                       .order_by("pk")[:12])
    for person in registrants:
        services.register(actor=ACTOR, activity=a, person=person)


def _summit(orgs: dict[str, Organization], alliance: Any, clock: DemoClock, rng: random.Random) -> None:
    workstream = alliance.workstreams.get(code="activities")
    starts = clock.at(SUMMIT, 9)
    activity = services.activity_create(actor=ACTOR, lead=orgs["CD-JJ"], co_hosts=[orgs["CQ-YZ"]], data={
        "kind": "ceremony", "theme": "成渝核心商圈党建联盟峰会：党建引领、资源共享、共同发展", "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=4), "venue": "成都市锦江区某会议中心", "alliance": alliance,
        "workstream": workstream, "capacity": 300,
        "agenda": "一、两地区委致辞\n二、签署合作事项清单\n三、四大平台揭牌"})
    services.activity_record(actor=ACTOR, activity=activity,
                             minutes="两地区委主办、组织部承办、活动公司执行；签署产业升级、经济发展、公共服务、社会治理合作事项。",
                             outcomes="形成合作事项清单，逐项跟踪落实。")
    _attend(activity, [orgs["CD-JJ"], orgs["CQ-YZ"]], rng)
    # Each year since, the two districts meet on the summit's anniversary to schedule the open items.
    anniversary = clock.last(9, 3)
    held = clock.at(anniversary, 9)
    if held + dt.timedelta(hours=3) > clock.now:  # the anniversary is today and the meeting not over yet
        held = clock.at(anniversary.replace(year=anniversary.year - 1), 9)
    meeting = services.activity_create(actor=ACTOR, lead=orgs["CQ-YZ"], co_hosts=[orgs["CD-JJ"]], data={
        "kind": "forum", "theme": f"成渝核心商圈党建联盟{held.year}年度联席会议", "starts_at": held,
        "ends_at": held + dt.timedelta(hours=3), "venue": "重庆市渝中区某会议中心", "alliance": alliance,
        "workstream": workstream, "agenda": "一、通报合作事项进展\n二、研究年度重点工作"})
    services.activity_record(actor=ACTOR, activity=meeting, minutes="逐项通报合作事项进展，明确下一步分工。",
                             outcomes="新增两项跟进事项。")
    services.followup_add(actor=ACTOR, activity=meeting, title="建立两地商圈企业诉求联办机制",
                          owner_organization=orgs["CQ-YZ"], due_on=clock.today + dt.timedelta(days=30))
    services.followup_add(actor=ACTOR, activity=meeting, title="互派商圈党建指导员挂职交流",
                          owner_organization=orgs["CD-JJ"], due_on=clock.today + dt.timedelta(days=2))
