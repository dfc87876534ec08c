from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from core.permissions import Action, get_scope
from organizations.models import Organization, Person


def test_demo_loads_the_real_cases_and_is_idempotent(db: Any) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "fengze_staff" in out.getvalue()
    cbd = Organization.objects.get(code="FZ-CBD")
    subtree = cbd.subtree()
    assert subtree.count() >= 31  # HQ committee → buildings → enterprise branches
    assert set(subtree.values_list("depth", flat=True)) == {1, 2, 3}
    assert subtree.filter(name__contains="农村商业银行").exists()
    xiangtan = Organization.objects.get(code="XT")
    assert xiangtan.children.filter(sector="organ").count() == 9
    assert xiangtan.children.filter(sector="non_public").count() == 13  # the 12 paired ones and a newcomer
    assert Organization.objects.filter(code__in=["CD-JJ", "CQ-YZ", "QZ-KFQ"]).count() == 3
    counts = (Organization.objects.count(), Person.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Organization.objects.count(), Person.objects.count()) == counts
    staff = User.objects.get(username="fengze_staff")
    assert get_scope(staff, Action.VIEW).region_paths
    assert Organization.objects.restrict(staff).filter(code="XT").count() == 0
    member = User.objects.get(username="member")
    assert Person.objects.restrict(member).count() == 1


@override_settings(DEMO_MODE=False)
def test_demo_refused_outside_demo_mode(db: Any) -> None:
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert User.objects.count() == 0


def test_demo_alliances(db: Any) -> None:
    from alliances.models import Alliance

    call_command("load_demo", stdout=StringIO())
    cbd = Alliance.objects.get(name="丰泽CBD城市党建联盟")
    assert cbd.memberships.filter(status="active").count() >= 30
    assert cbd.memberships.filter(status="applied").count() == 1
    cross = Alliance.objects.get(name="成渝核心商圈党建联盟")
    assert set(cross.regions.values_list("code", flat=True)) == {"510104", "500103"}
    assert set(cross.organizers.values_list("part", flat=True)) == {"host", "organizer", "executor"}
    admin = User.objects.get(username="cbd_alliance")
    assert set(Alliance.objects.restrict(admin).values_list("name", flat=True)) == {"丰泽CBD城市党建联盟"}


def test_demo_pairing_programme(db: Any) -> None:
    from pairing import selectors
    from pairing.models import Pair, PairingProgramme

    call_command("load_demo", stdout=StringIO())
    programme = PairingProgramme.objects.get(name__startswith="湘潭高新区机关—两新党组织结对共建")
    pairs = Pair.objects.filter(programme=programme)
    assert pairs.count() == 9
    assert pairs.values("partners").distinct().count() == 12  # 9 organs × 12 enterprises
    assert set(pairs.values_list("status", flat=True)) == {"active", "under_review", "renewed"}
    staff = User.objects.get(username="xiangtan_staff")
    assert Pair.objects.restrict(staff, "change").count() == 9
    [row] = selectors.pairing_suggestions(programme, staff, selectors.unpaired_partners(programme, staff))
    assert row.organization.name.startswith("湘潭某储能材料")
    assert row.suggestions and any("新材料" in reason for reason in row.suggestions[0].reasons)


def test_demo_activities(db: Any) -> None:
    from activities import selectors
    from activities.ledger import build_ledgers
    from activities.models import Activity, ActivitySeries
    from activities.series import completion_matrix
    from organizations.models import Organization
    from pairing.models import Pair
    from pairing.selectors import pair_progress

    call_command("load_demo", stdout=StringIO())
    assert Activity.objects.filter(status="recorded").count() > 100
    series = ActivitySeries.objects.get(name="一月一课、一片一实践")
    staff = User.objects.get(username="xiangtan_staff")
    cells = [c.status for row in completion_matrix(series, staff) for c in row.cells]
    assert {"done", "missing"} <= set(cells)  # some months were missed, so reminders have work
    pair = Pair.objects.get(organ__code="XT-O1")
    assert pair_progress(pair, selectors.pair_activity_dates(pair)).done_to_date >= 12
    ledgers = build_ledgers(list(Organization.objects.filter(code__in=["XT-O1", "XT-E01"])), 2026)
    assert all(lg.rows for lg in ledgers)
    summit = Activity.objects.get(theme__startswith="成渝核心商圈党建联盟峰会")
    assert {link.organization.code for link in summit.host_links.all()} == {"CD-JJ", "CQ-YZ"}
    study = Activity.objects.get(theme="联盟年度学习会：学习贯彻全会精神")
    assert study.status == "open" and study.registrations.filter(status="registered").count() == 12
    assert summit.follow_ups.count() == 2  # one falls due within days, so the reminder task has work


def test_demo_three_lists(db: Any) -> None:
    from demands import recommend
    from demands.choices import DemandStatus
    from demands.filters import DemandFilterSet
    from demands.models import Demand, Resource
    from projects.models import Project

    recommend.reset()
    call_command("load_demo", stdout=StringIO())
    statuses = set(Demand.objects.values_list("status", flat=True))
    assert {DemandStatus.SUBMITTED, DemandStatus.IN_PROGRESS, DemandStatus.RESOLVED, DemandStatus.CLOSED,
            DemandStatus.REVIEW, DemandStatus.DECLINED} <= statuses
    assert DemandFilterSet({"overdue": "true"}, queryset=Demand.objects.all()).qs.exists()
    assert Demand.objects.filter(rating__isnull=False).count() >= 3
    enterprise = User.objects.get(username="enterprise")
    assert set(Demand.objects.restrict(enterprise).values_list("title", flat=True)) == {"电商企业旺季备货需要流动资金贷款"}
    staff = User.objects.get(username="fengze_staff")
    fresh = Demand.objects.get(title="餐饮企业希望参加直播带货培训")
    found = recommend.recommend_resources(staff, fresh)
    assert found and found[0].object.title == "直播带货与电商运营培训课程"
    assert Resource.objects.filter(organization__code="CD-JJ-02").exists()
    items = Project.objects.filter(alliance__name="成渝核心商圈党建联盟")
    assert items.count() == 4 and items.filter(status="completed").count() == 1
    assert all(p.origin_meeting is not None for p in items)
    recommend.reset()
