"""Demo data for the three lists (cases 1–3): resources offered by Fengze CBD, Xiangtan and Chengdu–Chongqing
organizations; demands in every state (new, overdue, in progress, resolved waiting for a rating, rated, reopened
after a low rating, declined, open for claiming); accepted matches; and the Chengdu–Chongqing cooperation items
agreed at the 3 September summit (industry upgrading, economic development, public services, social governance),
followed to their results. People are fictional."""

from __future__ import annotations

import datetime as dt
from typing import Any

from activities.models import Activity
from demands import deadlines, matches, resources, services
from demands.choices import MatchOutcome
from demands.models import Demand, DemandCategory
from organizations.models import Organization, Region
from projects import services as projects
from projects.choices import ProjectOrigin

from .clock import DemoClock

ACTOR = None  # the demo loader writes as the system

RESOURCES = [  # org code, region code, kind, title, description, capacity, capacity note, terms, alliance
    ("FZ-B1-01", "350503", "funding", "小微企业信用贷款（科技贷）",
     "面向CBD楼宇内科技型、商贸型小微企业的信用贷款，无需抵押，最快三个工作日放款，可办理续贷、转贷。", None,
     "单户最高300万元", "年化利率优惠，党建联盟成员企业优先受理", "丰泽CBD城市党建联盟"),
    ("FZ-B1", "350503", "venue", "金融中心大厦党群服务中心多功能厅",
     "位于大厦三层，可容纳80人，配投影、音响和直播设备，适合主题党日、培训、招聘宣讲。", 80, "80座",
     "工作日免费，提前三天预约", "丰泽CBD城市党建联盟"),
    ("FZ-B1-04", "350503", "expert", "律师志愿团免费法律体检",
     "泉州某律师事务所党支部律师志愿团，为企业提供合同审查、劳动用工、知识产权等法律咨询和“法律体检”。", 10,
     "每月10家企业", "免费", "丰泽CBD城市党建联盟"),
    ("FZ-B2-01", "350503", "training", "直播带货与电商运营培训课程",
     "电商企业党员骨干授课，讲授直播带货、店铺运营、短视频推广，含实操演练。", 40, "每期40人", "联盟成员免费",
     "丰泽CBD城市党建联盟"),
    ("FZ-B2-04", "350503", "channel", "CBD楼宇专场招聘会",
     "人力资源服务企业每月在CBD举办专场招聘会，对接技术工人、普工、销售和管理岗位，可代为发布招聘信息。", None, "",
     "免费发布", "丰泽CBD城市党建联盟"),
    ("FZ-B5-03", "350503003", "volunteers", "社工志愿服务队",
     "社会工作服务中心党支部组织的志愿服务队，可参与社区关爱独居老人、垃圾分类宣传、义诊等活动。", 30, "30名志愿者",
     "需提前一周对接", ""),
    ("FZ-B4", "350503", "venue", "科创大厦共享检测实验室",
     "大厦内共享检测实验室，提供材料检测、产品认证预检服务，按成本收费。", None, "", "按成本收费", ""),
    ("XT-O4", "430371", "policy_advice", "科技创新惠企政策解读",
     "科技创新局党支部上门解读高新技术企业认定、研发费用加计扣除、专精特新申报等惠企政策。", None, "", "免费，预约上门", ""),
    ("XT-O3", "430371", "venue", "创业中心孵化工位和标准厂房信息",
     "创业服务中心提供孵化工位、小面积标准厂房的空置信息和入驻对接服务。", 20, "20个工位", "前六个月免租", ""),
    ("XT-O1", "430371", "expert", "纪检干部廉洁合规讲座", "纪检监察工委党支部为企业讲授廉洁从业与合规经营。",
     None, "", "免费", ""),
    ("CD-JJ-02", "510104", "channel", "春熙路商圈会展与直播基地",
     "会展服务企业的直播基地和展会渠道，可帮助两地商圈企业开展产销对接、首店推介。", None, "", "联盟成员优惠",
     "成渝核心商圈党建联盟"),
    ("CQ-YZ-01", "500103", "funding", "商圈企业供应链金融服务",
     "为解放碑、春熙路商圈商贸企业提供应收账款融资、供应链贷款。", None, "单户最高500万元", "联盟成员优先",
     "成渝核心商圈党建联盟"),
]

# org code of the requester (or None for an enterprise contact), region, category, urgency, title, description,
# requester name, days ago, what happened: a list of steps
DEMANDS = [
    ("FZ-B2-01", "350503", "financing", "urgent", "电商企业旺季备货需要流动资金贷款",
     "公司双十二备货资金缺口约150万元，希望对接信用贷款，尽快放款。", "泉州某电子商务有限公司", 6,
     ["match:小微企业信用贷款（科技贷）", "start"]),
    ("FZ-B3-03", "350503", "talent", "normal", "鞋服贸易公司招聘外贸业务员和跟单员",
     "业务扩张，需要招聘外贸业务员5名、跟单员3名，希望参加专场招聘会。", "泉州某鞋服贸易有限公司", 40,
     ["match:CBD楼宇专场招聘会", "start", "resolve:在11月专场招聘会上招到业务员4名、跟单员3名。", "rate:5"]),
    ("FZ-B4-04", "350503", "premises", "urgent", "新材料公司厂房屋顶漏水影响生产",
     "租用的标准厂房屋顶漏水，多次联系物业未解决，影响正常生产，请求协调。", "泉州某新材料有限公司", 50,
     ["accept", "assign:FZ-B4", "start"]),
    ("FZ-B1-04", "350503", "legal", "normal", "律所承接劳动争议案件需要调解场地",
     "计划为楼宇企业职工开展劳动争议调解，需要一间可容纳30人的场地。", "泉州某律师事务所", 12,
     ["match:金融中心大厦党群服务中心多功能厅", "start", "resolve:已预约多功能厅，每月第一周周三使用。"]),
    ("FZ-B3-05", "350503", "training", "normal", "餐饮企业希望参加直播带货培训",
     "门店客流下降，想学习直播带货和短视频推广，约6名员工参加。", "泉州某餐饮管理有限公司", 1, []),
    ("FZ-B3-01", "350503", "policy", "normal", "咨询高新技术企业认定政策",
     "公司准备申报高新技术企业，不清楚研发费用归集要求。", "泉州某网络科技有限公司", 9, []),
    ("FZ-B5-02", "350503", "public", "normal", "员工子女入学咨询",
     "外地员工子女明年入学，想了解积分入学政策和办理流程。", "泉州某教育咨询有限公司", 30,
     ["accept", "assign:FZ-B5", "start", "resolve:已协调教育部门解读积分入学政策。", "rate:2:政策解读了，但具体学位还没有落实。"]),
    ("FZ-B2-02", "350503", "legal", "normal", "要求减免全年物业费",
     "希望联盟出面要求物业公司减免全年物业费。", "泉州某供应链管理有限公司", 15,
     ["decline:物业费属于合同约定的市场行为，建议通过协商或法律途径解决；可申请律师志愿团免费法律体检。"]),
    ("XT-E03", "430371", "policy", "normal", "研发费用加计扣除政策解读",
     "企业今年研发投入加大，希望机关党支部上门解读加计扣除政策。", None, 60,
     ["accept", "assign:XT-O4", "start", "resolve:科技创新局党支部上门解读，企业已完成备案。", "rate:4"]),
    ("XT-E08", "430371", "premises", "critical", "汽车服务公司急需临时停车场地",
     "门店改造期间需要临时停放约30辆待修车辆的场地。", None, 8, ["accept", "assign:XT-O3"]),
    ("CD-JJ-01", "510104", "market", "normal", "百货企业希望到解放碑商圈开设快闪店",
     "希望通过联盟对接解放碑商圈的场地和首店政策，开设快闪店。", None, 14, ["accept:claim"]),
]

PROJECTS = [  # workstream code, title, description, owners, milestones (title, done), result
    ("resources", "两地商圈首店经济联合招商", "产业升级：共享首店品牌库，联合举办首店推介会，互设招商联络点。",
     ["CD-JJ", "CQ-YZ"], [("共享首店品牌库", True), ("联合推介会", True), ("首批品牌落地", False)], ""),
    ("resources", "成渝商圈消费券和会员积分互通", "经济发展：两地商圈发放互通消费券，会员积分跨商圈使用。",
     ["CQ-YZ", "CD-JJ"], [("方案会签", True), ("系统对接", False), ("上线试运行", False)], ""),
    ("organization", "企业办事“跨省通办”服务专窗", "公共服务：在两地党群服务中心设立“跨省通办”专窗，企业异地办事一次办结。",
     ["CD-JJ-O1", "CQ-YZ-O1"], [("确定事项清单", True), ("专窗挂牌", True)],
     "两地党群服务中心专窗已挂牌运行，首批42项高频事项可跨省通办，累计办理1,260件。"),
    ("talent", "商圈网格化联防联治", "社会治理：两地商圈楼宇党组织结对，网格员交流互访，建立联防联治机制。",
     ["CD-JJ-03", "CQ-YZ-03"], [("楼宇党组织结对", True), ("网格员互访", False)], ""),
]


def _resources(orgs: dict[str, Organization], regions: dict[str, Region], alliances: dict[str, Any]) -> dict[str, Any]:
    made = {}
    for code, region, kind, title, description, capacity, note, terms, alliance in RESOURCES:
        made[title] = resources.resource_create(actor=ACTOR, data={
            "title": title, "kind": kind, "description": description, "organization": orgs[code],
            "region": regions[region], "capacity": capacity, "capacity_note": note, "terms": terms,
            "alliance": alliances[alliance] if alliance else None, "contact_name": "联络员",
            "contact_phone": "13905950000"})
    return made


def _steps(demand: Demand, steps: list[str], start: dt.datetime, orgs: dict[str, Organization],
           offered: dict[str, Any], requester: Any, clock: DemoClock) -> None:
    at = start
    for step in steps:
        at = min(at + dt.timedelta(days=1, hours=2), clock.ago(1 / 24))
        kind, _sep, arg = step.partition(":")
        if kind == "match":
            matches.match_accept(actor=ACTOR, demand=demand, resource=offered[arg], outcome=MatchOutcome.ASSIGNED,
                                 reasons=["演示数据：按文本、类别和地区推荐"], now=at)
        elif kind == "accept":
            services.demand_accept(actor=ACTOR, demand=demand, now=at, open_for_claim=arg == "claim")
        elif kind == "assign":
            services.demand_assign(actor=ACTOR, demand=demand, organization=orgs[arg])
        elif kind == "start":
            services.demand_start(actor=ACTOR, demand=demand)
        elif kind == "resolve":
            services.demand_resolve(actor=ACTOR, demand=demand, resolution=arg, now=at)
        elif kind == "rate":
            rating, _sep, comment = arg.partition(":")
            services.demand_rate(actor=requester, demand=demand, rating=int(rating), comment=comment, now=at)
        elif kind == "decline":
            services.demand_decline(actor=ACTOR, demand=demand, reason=arg)
        demand.refresh_from_db()


def _demands(orgs: dict[str, Organization], regions: dict[str, Region], alliances: dict[str, Any],
             offered: dict[str, Any], enterprise_user: Any, clock: DemoClock) -> None:
    categories = {c.code: c for c in DemandCategory.objects.all()}
    for code, region, category, urgency, title, description, name, days_ago, steps in DEMANDS:
        org = orgs[code]
        raised = clock.ago(days_ago)
        alliance = next((a for a in alliances.values() if a.memberships.filter(organization=org).exists()), None)
        own = code == "FZ-B2-01"  # the enterprise contact's demo account raised this one itself
        demand = services.demand_submit(actor=enterprise_user if own else ACTOR, now=raised, data={
            "title": title, "description": description, "category": categories[category], "urgency": urgency,
            "region": regions[region], "alliance": alliance, "requester_kind": "unit" if name else "organization",
            "requester_name": name or org.name, "requester_organization": None if own else org,
            "requester_unit": enterprise_user.unit if own else None,
            "contact_name": "王经理" if own else "联络人",
            "contact_phone": "13805950000", "on_behalf": not own})
        Demand.objects.filter(pk=demand.pk).update(created_at=raised)
        demand.events.filter(kind="submitted").update(at=raised)
        requester = enterprise_user if own else None
        _steps(demand, steps, raised, orgs, offered, requester, clock)
    deadlines.run_deadlines(clock.now)  # reminders and escalations of what is overdue


def _projects(orgs: dict[str, Organization], alliances: dict[str, Any], offered: dict[str, Any],
              clock: DemoClock) -> None:
    alliance = alliances["成渝核心商圈党建联盟"]
    summit = Activity.objects.filter(alliance=alliance, kind="ceremony").order_by("starts_at").first()
    decided = summit.starts_at.date() if summit else clock.today - dt.timedelta(days=60)
    for workstream, title, description, owners, milestones, result in PROJECTS:
        project = projects.project_create(actor=ACTOR, owners=[orgs[c] for c in owners], data={
            "title": title, "description": description, "alliance": alliance,
            "workstream": alliance.workstreams.get(code=workstream), "origin": ProjectOrigin.MEETING,
            "origin_meeting": summit, "decision": "峰会签署合作事项清单，逐项明确牵头单位，定期调度、跟踪落实。",
            "decided_on": decided, "starts_on": decided, "due_on": clock.end_of_year(1)},
            milestones=[{"title": t} for t, _done in milestones], activities=[summit] if summit else [])
        for (milestone_title, done), milestone in zip(milestones, project.milestones.order_by("position"),
                                                      strict=True):
            if done:
                done_on = min(decided + dt.timedelta(days=20 * (milestone.position + 1)), clock.today)
                projects.milestone_complete(actor=ACTOR, milestone=milestone, done_on=done_on,
                                            note=f"{milestone_title}完成")
        projects.project_report_progress(actor=ACTOR, project=project, note="月度调度：按计划推进。")
        if result:
            projects.project_complete(actor=ACTOR, project=project, result=result)


def load(orgs: dict[str, Organization], regions: dict[str, Region], alliances: dict[str, Any],
         enterprise_user: Any, clock: DemoClock) -> None:
    offered = _resources(orgs, regions, alliances)
    _demands(orgs, regions, alliances, offered, enterprise_user, clock)
    _projects(orgs, alliances, offered, clock)
