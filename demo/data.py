"""Demo data from the real cases in DOMAIN.md. Organizations and places are real or realistic; every person is
fictional (names are generated, ID numbers are made up with valid check digits, phones use the 1380000 range)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.models import Role, User
from accounts.services import role_assign
from commendations import demo as demo_commendations
from core.validators import id_check_char
from organizations import services
from organizations.choices import (
    Gender,
    MemberStatus,
    OrganizationType,
    PersonKind,
    RegionLevel,
    Sector,
    UnitKind,
)
from organizations.models import Organization, Region

from . import activities as demo_activities
from . import lists as demo_lists
from .clock import DemoClock

DEMO_PASSWORD = "Lianmeng-Demo-2026"  # noqa: S105  (demo mode only; printed by load_demo)
ACTOR = None  # the loader writes as "system" in the audit trail

REGIONS: list[tuple[str | None, str, str, str, str]] = [
    # (parent code, code, name, English name, level)
    (None, "350000", "福建省", "Fujian", RegionLevel.PROVINCE),
    ("350000", "350500", "泉州市", "Quanzhou", RegionLevel.CITY),
    ("350500", "350503", "丰泽区", "Fengze District", RegionLevel.DISTRICT),
    ("350503", "350503003", "东海街道", "Donghai Street", RegionLevel.STREET),
    ("350500", "350571", "泉州经济技术开发区", "Quanzhou Development Zone", RegionLevel.PARK),
    (None, "430000", "湖南省", "Hunan", RegionLevel.PROVINCE),
    ("430000", "430300", "湘潭市", "Xiangtan", RegionLevel.CITY),
    ("430300", "430371", "湘潭高新技术产业开发区", "Xiangtan High-tech Zone", RegionLevel.PARK),
    (None, "510000", "四川省", "Sichuan", RegionLevel.PROVINCE),
    ("510000", "510100", "成都市", "Chengdu", RegionLevel.CITY),
    ("510100", "510104", "锦江区", "Jinjiang District", RegionLevel.DISTRICT),
    (None, "500000", "重庆市", "Chongqing", RegionLevel.PROVINCE),
    ("500000", "500103", "渝中区", "Yuzhong District", RegionLevel.DISTRICT),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯健俊帆晨阳思雨欣悦博文"


@dataclass
class OrgSpec:
    code: str
    name: str
    type: str
    sector: str
    unit: tuple[str, str, str] | None = None  # (unit name, unit kind, industry)
    children: tuple[OrgSpec, ...] = ()


def _branch(code: str, name: str, unit: str, kind: str = UnitKind.PRIVATE, industry: str = "",
            sector: str = Sector.NON_PUBLIC, type_: str = OrganizationType.BRANCH) -> OrgSpec:
    return OrgSpec(code, name, type_, sector, (unit, kind, industry))


# Case 1: Quanzhou Fengze CBD urban alliance, three levels: HQ committee → buildings → enterprise branches.
_FZ_BUILDINGS = [
    ("FZ-B1", "泉州金融中心大厦", ["泉州农村商业银行股份有限公司", "泉州某证券营业部", "丰泽某会计师事务所", "泉州某律师事务所",
                                  "泉州某保险代理有限公司"]),
    ("FZ-B2", "丰泽CBD总部大厦", ["泉州某电子商务有限公司", "泉州某供应链管理有限公司", "泉州某广告传媒有限公司",
                                  "泉州某人力资源服务有限公司", "泉州某建筑设计院有限公司"]),
    ("FZ-B3", "东海湾商务中心", ["泉州某网络科技有限公司", "泉州某文化旅游有限公司", "泉州某鞋服贸易有限公司",
                                 "泉州某物业服务有限公司", "泉州某餐饮管理有限公司"]),
    ("FZ-B4", "丰泽科创大厦", ["泉州某软件有限公司", "泉州某智能装备有限公司", "泉州某检测技术有限公司",
                               "泉州某新材料有限公司", "泉州某信息咨询有限公司"]),
    ("FZ-B5", "东海街道商务楼宇", ["泉州某物流有限公司", "泉州某教育咨询有限公司", "泉州某社会工作服务中心",
                                   "泉州某行业协会", "泉州某医疗器械有限公司"]),
]


def _fengze() -> OrgSpec:
    buildings = []
    for code, tower, companies in _FZ_BUILDINGS:
        branches = []
        for i, company in enumerate(companies, start=1):
            if "农村商业银行" in company:
                branches.append(OrgSpec(f"{code}-{i:02d}", f"中共{company}委员会", OrganizationType.COMMITTEE,
                                        Sector.SOE, (company, UnitKind.SOE, "金融业")))
            elif "社会工作" in company or "协会" in company:
                branches.append(_branch(f"{code}-{i:02d}", f"{company}党支部", company, UnitKind.SOCIAL, "社会服务",
                                        Sector.SOCIAL))
            else:
                branches.append(_branch(f"{code}-{i:02d}", f"{company}党支部", company, industry="商务服务"))
        buildings.append(OrgSpec(code, f"{tower}联合党总支", OrganizationType.GENERAL_BRANCH, Sector.BUILDING,
                                 (tower, UnitKind.BUILDING, "楼宇经济"), tuple(branches)))
    return OrgSpec("FZ-CBD", "中共泉州市丰泽区CBD总部党委", OrganizationType.COMMITTEE, Sector.PARK,
                   ("丰泽CBD总部", UnitKind.PARK, "总部经济"), tuple(buildings))


# Case 2: Xiangtan High-tech Zone pairing — 9 organ branches and 12 enterprise organizations.
# Each organ's unit names the industries it looks after; pairing suggestions match them with enterprises'.
_XT_ORGANS = [("纪检监察工委", "公共管理"), ("高新区办公室", "公共管理、商贸"),
              ("创业服务中心", "软件和信息技术、检验检测、新材料"), ("科技创新局", "新材料、新能源、软件和信息技术"),
              ("协调服务中心", "园区运营"), ("经济发展局", "装备制造、零售业"), ("财政局", "公共管理、汽车服务"),
              ("规划建设局", "园区运营、商贸"), ("社会事务局", "医药物流、零售业")]
_XT_ENTERPRISES = [
    ("湘潭某连锁超市有限公司", "零售业", OrganizationType.BRANCH),
    ("湘潭某医药物流有限公司", "医药物流", OrganizationType.BRANCH),
    ("湘潭某科技股份有限公司", "软件和信息技术", OrganizationType.BRANCH),
    ("湘潭某汽车服务有限公司", "汽车服务", OrganizationType.BRANCH),
    ("高新区某商圈", "商贸", OrganizationType.JOINT_BRANCH),
    ("湘潭某电梯股份有限公司", "装备制造", OrganizationType.COMMITTEE),
    ("湘潭某产业园", "园区运营", OrganizationType.GENERAL_BRANCH),
    ("湘潭某新材料有限公司", "新材料", OrganizationType.BRANCH),
    ("湘潭某智能装备有限公司", "装备制造", OrganizationType.BRANCH),
    ("湘潭某能源科技有限公司", "新能源", OrganizationType.BRANCH),
    ("湘潭某检测认证有限公司", "检验检测", OrganizationType.BRANCH),
    ("湘潭某软件园运营有限公司", "园区运营", OrganizationType.JOINT_BRANCH),
    # Joined the zone after the programme started: not yet paired, so the suggestions have work to do.
    ("湘潭某储能材料有限公司", "新材料", OrganizationType.BRANCH),
]
_SUFFIX = {OrganizationType.BRANCH: "党支部", OrganizationType.JOINT_BRANCH: "联合党支部",
           OrganizationType.GENERAL_BRANCH: "党总支", OrganizationType.COMMITTEE: "党委"}


def _xiangtan() -> OrgSpec:
    organs = tuple(
        OrgSpec(f"XT-O{i}", f"湘潭高新区{name}党支部", OrganizationType.BRANCH, Sector.ORGAN,
                (f"湘潭高新区{name}", UnitKind.ORGAN, industry))
        for i, (name, industry) in enumerate(_XT_ORGANS, start=1)
    )
    enterprises = tuple(
        OrgSpec(f"XT-E{i:02d}", f"{name}{_SUFFIX[t]}", t, Sector.NON_PUBLIC, (name, UnitKind.PRIVATE, industry))
        for i, (name, industry, t) in enumerate(_XT_ENTERPRISES, start=1)
    )
    return OrgSpec("XT", "中共湘潭高新区工作委员会", OrganizationType.COMMITTEE, Sector.ORGAN,
                   ("湘潭高新区管理委员会", UnitKind.ORGAN, "公共管理"), organs + enterprises)


# Case 3: Chengdu Jinjiang + Chongqing Yuzhong core business districts.
def _jinjiang() -> OrgSpec:
    return OrgSpec("CD-JJ", "中共成都市锦江区春熙路商圈委员会", OrganizationType.COMMITTEE, Sector.PARK,
                   ("春熙路商圈", UnitKind.PARK, "商贸"), (
                       OrgSpec("CD-JJ-O1", "锦江区委组织部机关党支部", OrganizationType.BRANCH, Sector.ORGAN,
                               ("中共成都市锦江区委组织部", UnitKind.ORGAN, "公共管理")),
                       _branch("CD-JJ-01", "成都某百货有限公司党支部", "成都某百货有限公司", industry="零售业"),
                       _branch("CD-JJ-02", "成都某会展服务有限公司党支部", "成都某会展服务有限公司", industry="会展"),
                       _branch("CD-JJ-03", "春熙路商圈楼宇联合党支部", "春熙路商务楼宇", UnitKind.BUILDING, "楼宇经济",
                               Sector.BUILDING, OrganizationType.JOINT_BRANCH),
                   ))


def _yuzhong() -> OrgSpec:
    return OrgSpec("CQ-YZ", "中共重庆市渝中区解放碑商圈委员会", OrganizationType.COMMITTEE, Sector.PARK,
                   ("解放碑商圈", UnitKind.PARK, "商贸"), (
                       OrgSpec("CQ-YZ-O1", "渝中区委组织部机关党支部", OrganizationType.BRANCH, Sector.ORGAN,
                               ("中共重庆市渝中区委组织部", UnitKind.ORGAN, "公共管理")),
                       _branch("CQ-YZ-01", "重庆某金融服务有限公司党支部", "重庆某金融服务有限公司", industry="金融业"),
                       _branch("CQ-YZ-02", "重庆某活动策划有限公司党支部", "重庆某活动策划有限公司", industry="会展"),
                       _branch("CQ-YZ-03", "解放碑商圈楼宇联合党支部", "解放碑商务楼宇", UnitKind.BUILDING,
                               "楼宇经济", Sector.BUILDING, OrganizationType.JOINT_BRANCH),
                   ))


# Case 4: Quanzhou Development Zone (commendation of 7 organizations comes with the commendations module).
def _quanzhou_zone() -> OrgSpec:
    names = [("QZ-K01", "开发区某社区党委", OrganizationType.COMMITTEE, Sector.COMMUNITY, UnitKind.COMMUNITY),
             ("QZ-K02", "开发区某卫生服务中心党支部", OrganizationType.BRANCH, Sector.INSTITUTION, UnitKind.INSTITUTION),
             ("QZ-K03", "开发区某制衣有限公司党支部", OrganizationType.BRANCH, Sector.NON_PUBLIC, UnitKind.PRIVATE),
             ("QZ-K04", "开发区某食品有限公司党支部", OrganizationType.BRANCH, Sector.NON_PUBLIC, UnitKind.PRIVATE),
             ("QZ-K05", "开发区某物业管理有限公司党支部", OrganizationType.BRANCH, Sector.NON_PUBLIC, UnitKind.PRIVATE),
             ("QZ-K06", "开发区某志愿服务协会党支部", OrganizationType.BRANCH, Sector.SOCIAL, UnitKind.SOCIAL),
             ("QZ-K07", "开发区管委会机关党支部", OrganizationType.BRANCH, Sector.ORGAN, UnitKind.ORGAN)]
    children = tuple(
        OrgSpec(code, name, t, sector, (name.removesuffix("党委").removesuffix("党支部"), kind, ""))
        for code, name, t, sector, kind in names
    )
    return OrgSpec("QZ-KFQ", "中共泉州经济技术开发区工作委员会", OrganizationType.COMMITTEE, Sector.ORGAN,
                   ("泉州经济技术开发区管理委员会", UnitKind.ORGAN, "公共管理"), children)


TREES = [("350503003", _fengze), ("430371", _xiangtan), ("510104", _jinjiang), ("500103", _yuzhong),
         ("350571", _quanzhou_zone)]


class _People:
    def __init__(self, seed: int = 20240516) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (reproducible fake data, not security)
        self.serial = 0

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def id_number(self, region_code: str, gender: str) -> str:
        self.serial += 1
        born = dt.date(1965, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 365 * 35))
        seq = f"{self.serial % 100:02d}{(1 if gender == Gender.MALE else 2) + 2 * self.rng.randrange(0, 4)}"
        first17 = f"{region_code[:6]}{born:%Y%m%d}{seq}"
        return first17 + id_check_char(first17)

    def phone(self) -> str:
        return f"1380000{self.serial:04d}"


def _create_tree(spec: OrgSpec, parent: Organization | None, region: Region, people: _People,
                 out: dict[str, Organization]) -> None:
    unit = None
    if spec.unit:
        unit_name, kind, industry = spec.unit
        unit = services.unit_create(actor=ACTOR, data={"name": unit_name, "kind": kind, "industry": industry,
                                                       "region": region})
    org = services.organization_create(actor=ACTOR, data={
        "name": spec.name, "code": spec.code, "type": spec.type, "sector": spec.sector, "parent": parent,
        "region": region, "unit": unit, "founded_on": dt.date(2010 + len(out) % 14, 7, 1),
    })
    out[spec.code] = org
    for i in range(2 + people.rng.randrange(0, 4)):
        gender = people.rng.choice([Gender.MALE, Gender.FEMALE])
        person = services.person_create(actor=ACTOR, data={
            "kind": PersonKind.MEMBER, "name": people.name(), "gender": gender,
            "id_number": people.id_number(region.code, gender), "phone": people.phone(), "organization": org,
            "unit": unit, "member_status": MemberStatus.PROBATIONARY if i == 3 else MemberStatus.FULL,
            "joined_party_on": dt.date(1990 + people.rng.randrange(0, 33), people.rng.randrange(1, 13), 1),
        })
        if i == 0:
            services.position_create(actor=ACTOR, data={"person": person, "organization": org, "title": "书记",
                                                        "started_on": dt.date(2022, 1, 1)})
            services.organization_update(actor=ACTOR, organization=org, data={
                "secretary": person, "contact_name": person.name, "contact_phone": person.phone})
    for child in spec.children:
        _create_tree(child, org, region, people, out)


ALLIANCES = [
    # (name, kind, founded, theme, regions, member tree roots, lead code, declaration)
    ("丰泽CBD城市党建联盟", "business_district", dt.date(2022, 7, 1), "共建机制、共育队伍、共办活动、共创品牌",
     ["350503"], ["FZ-CBD"], "FZ-CBD",
     "我们自愿加入丰泽CBD城市党建联盟，坚持党建引领，共建机制、共育队伍、共办活动、共创品牌，"
     "合力解决企业急难愁盼问题，不断提升企业满意度。"),
    ("湘潭高新区机关—两新党组织结对共建联盟", "park", dt.date(2024, 5, 16), "三联三建：队伍联训、活动联办、诉求联解",
     ["430371"], ["XT"], "XT", "机关党组织与企业党组织结对共建，一月一课、一片一实践。"),
    ("成渝核心商圈党建联盟", "cross_regional", dt.date(2020, 9, 3), "党建引领、资源共享、共同发展",
     ["510104", "500103"], ["CD-JJ", "CQ-YZ"], "CD-JJ",
     "锦江、渝中两地核心商圈携手，搭建组织联建、资源联用、活动联办、人才联育四大平台。"),
]


def _load_alliances(regions: dict[str, Region], orgs: dict[str, Organization], clock: DemoClock) -> dict[str, Any]:
    from alliances import services as alliance_services
    from organizations.models import Unit

    created: dict[str, Any] = {}
    for name, kind, founded, theme, region_codes, roots, lead, declaration in ALLIANCES:
        alliance = alliance_services.alliance_create(
            actor=ACTOR, data={"name": name, "kind": kind, "founded_on": founded, "theme": theme,
                               "declaration": declaration},
            regions=[regions[c] for c in region_codes])
        for root in roots:
            for org in orgs[root].subtree().order_by("path"):
                m = alliance_services.membership_invite(actor=ACTOR, alliance=alliance, organization=org)
                alliance_services.membership_accept(actor=ACTOR, membership=m, joined_on=founded)
                if org.code == lead:
                    alliance_services.membership_set_role(actor=ACTOR, membership=m, role="lead")
        created[name] = alliance
    cross = created["成渝核心商圈党建联盟"]
    for unit_name, part in [("中共成都市锦江区委组织部", "organizer"), ("中共重庆市渝中区委组织部", "organizer"),
                            ("重庆某活动策划有限公司", "executor")]:
        alliance_services.organizer_add(actor=ACTOR, alliance=cross, part=part,
                                        unit=Unit.objects.get(name=unit_name))
    for code in ("CD-JJ", "CQ-YZ"):
        alliance_services.organizer_add(actor=ACTOR, alliance=cross, part="host", organization=orgs[code])
    cbd = created["丰泽CBD城市党建联盟"]
    bank = cbd.memberships.get(organization__code="FZ-B1-01")
    term_start = clock.last(7, 1)  # chairs rotate yearly on the alliance's anniversary
    alliance_services.membership_set_role(actor=ACTOR, membership=bank, role="chair", chair_term_start=term_start,
                                          chair_term_end=term_start.replace(year=term_start.year + 1)
                                          - dt.timedelta(days=1))
    # One pending application, so the approval queue has something in it.
    alliance_services.membership_apply(actor=ACTOR, alliance=cbd, organization=orgs["QZ-K03"])
    return created


# Case 2 continued: the pairing programme launched on 16 May 2024 — organ branch → enterprise organizations.
XT_PAIRS = {"XT-O1": ["XT-E01"], "XT-O2": ["XT-E05"], "XT-O3": ["XT-E03", "XT-E11"], "XT-O4": ["XT-E08", "XT-E10"],
            "XT-O5": ["XT-E07"], "XT-O6": ["XT-E06", "XT-E09"], "XT-O7": ["XT-E04"], "XT-O8": ["XT-E12"],
            "XT-O9": ["XT-E02"]}
XT_AGREEMENT = {
    "goals": "以党建共建促进企业发展、机关作风转变，把党的组织优势转化为发展优势。",
    "teams_content": "机关与企业党务干部联合培训，企业负责人讲微党课，一月一课。",
    "activities_content": "每月联合开展主题党日，一片一实践：学习党纪、文明出行宣传、禁毒宣讲、六一走访社区。",
    "appeals_content": "机关党组织收集企业和职工诉求，解读政策、解决问题，未办结事项定期调度。",
    "target_activities_per_quarter": 3,
}


def _load_pairing(orgs: dict[str, Organization], clock: DemoClock) -> Any:
    from pairing import services as pairing_services

    launched = dt.date(2024, 5, 16)
    # Pairs run in yearly terms to the end of this year and the programme to the end of next year (2027 at least).
    term_end = clock.end_of_year()
    ends = max(clock.end_of_year(1), dt.date(2027, 12, 31))
    programme = pairing_services.programme_create(actor=ACTOR, data={
        "name": f"湘潭高新区机关—两新党组织结对共建（2024—{ends.year}）", "owner": orgs["XT"], "starts_on": launched,
        "ends_on": ends, "max_partners_per_organ": 3,
        "description": "9个机关党组织与12个企业党组织结对共建，三联三建：队伍联训、活动联办、诉求联解。"})
    ratings = ["excellent", "good", "excellent", "good", "satisfactory", "excellent", "good", "good", "excellent"]
    for (organ, partners), rating in zip(XT_PAIRS.items(), ratings, strict=True):
        pair = pairing_services.pair_create(actor=ACTOR, programme=programme, organ=orgs[organ],
                                            partners=[orgs[p] for p in partners],
                                            data={**XT_AGREEMENT, "starts_on": launched,
                                                  "ends_on": term_end})
        pair = pairing_services.pair_activate(actor=ACTOR, pair=pair, signed_on=launched)
        for year in range(launched.year, clock.today.year):  # one review for each past year
            pairing_services.review_record(actor=ACTOR, pair=pair, year=year, rating=rating,
                                           comments="按计划开展联合主题党日，企业诉求及时办理。")
        if organ == "XT-O3":  # renewed for next year after this year's review
            pair = pairing_services.pair_start_review(actor=ACTOR, pair=pair)
            pairing_services.review_record(actor=ACTOR, pair=pair, year=clock.today.year, rating="excellent",
                                           comments="联合培训成效明显，续签一年。")
            pairing_services.pair_renew(actor=ACTOR, pair=pair, ends_on=clock.end_of_year(1))
        elif organ == "XT-O1":  # the yearly review is under way
            pairing_services.pair_start_review(actor=ACTOR, pair=pair)
    return programme


# The organization whose unit the demo's enterprise contact (``enterprise``) works for.
ENTERPRISE_ORG = "FZ-B2-01"

ACCOUNTS: list[tuple[str, str, str, dict[str, str]]] = [
    # username, display name, role, scope
    ("admin", "平台管理员", Role.PLATFORM_ADMIN, {}),
    ("fengze_staff", "丰泽区委组织部·陈组织员", Role.DEPARTMENT_STAFF, {"region": "350503"}),
    ("xiangtan_staff", "湘潭高新区党工委·刘组织员", Role.DEPARTMENT_STAFF, {"region": "430371"}),
    ("secretary", "金融中心大厦党总支书记", Role.SECRETARY, {"organization": "FZ-B1"}),
    ("member", "普通党员", Role.MEMBER, {}),
    ("auditor", "审计员", Role.AUDITOR, {}),
    ("cbd_alliance", "丰泽CBD联盟管理员", Role.ALLIANCE_ADMIN, {"alliance": "丰泽CBD城市党建联盟"}),
    ("enterprise", "泉州某电子商务有限公司·王经理", "", {}),  # an enterprise contact: no role, raises demands
]


@transaction.atomic
def load(clock: DemoClock | None = None) -> bool:
    """Load everything; returns False (and writes nothing) when the demo is already there."""
    if Organization.objects.filter(code="FZ-CBD").exists():
        return False
    clock = clock or DemoClock.read()
    regions: dict[str, Region] = {}
    for parent_code, code, name, name_en, level in REGIONS:
        regions[code] = services.region_create(actor=ACTOR, data={
            "name": name, "name_en": name_en, "code": code, "level": level,
            "parent": regions[parent_code] if parent_code else None})
    people = _People()
    orgs: dict[str, Organization] = {}
    for region_code, build in TREES:
        _create_tree(build(), None, regions[region_code], people, orgs)
    alliances = _load_alliances(regions, orgs, clock)
    programme = _load_pairing(orgs, clock)
    demo_activities.load(orgs, alliances, programme, clock)
    for username, display, role, scope in ACCOUNTS:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, display_name=display,
                                        is_staff=role == Role.PLATFORM_ADMIN,
                                        is_superuser=role == Role.PLATFORM_ADMIN,
                                        # the enterprise contact speaks for its company (泉州某电子商务有限公司)
                                        unit=orgs[ENTERPRISE_ORG].unit if username == "enterprise" else None)
        kwargs: dict[str, Any] = {}
        if "region" in scope:
            kwargs["region"] = regions[scope["region"]]
        if "organization" in scope:
            kwargs["organization"] = orgs[scope["organization"]]
        if "alliance" in scope:
            kwargs["alliance"] = alliances[scope["alliance"]]
        if role == Role.MEMBER:
            person = orgs["FZ-B2-01"].people.order_by("id").first()
            assert person is not None
            person.user = user
            person.save(update_fields=["user"])
        if role:
            role_assign(actor=ACTOR, user=user, role=role, **kwargs)
    demo_lists.load(orgs, regions, alliances, User.objects.get(username="enterprise"), clock)
    demo_commendations.load(orgs, clock)
    return True
