from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from core.permissions import Action, get_scope
from organizations.models import Organization, Person


def test_demo_loads_the_real_cases_and_is_idempotent(db: Any) -> None:
    """Loaded once at the real time; every check below also runs at the anchors of ``test_demo_holds_on_any_day``."""
    from demands import recommend

    recommend.reset()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "fengze_staff" in out.getvalue()
    check_all()
    counts = (Organization.objects.count(), Person.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Organization.objects.count(), Person.objects.count()) == counts
    recommend.reset()


def check_all() -> None:
    check_tree()
    check_alliances()
    check_pairing_programme()
    check_pairing()
    check_activities()
    check_three_lists()


def check_tree() -> None:
    cbd = Organization.objects.get(code="FZ-CBD")
    subtree = cbd.subtree()
    assert subtree.count() >= 31  # HQ committee → buildings → enterprise branches
    assert set(subtree.values_list("depth", flat=True)) == {1, 2, 3}
    assert subtree.filter(name__contains="农村商业银行").exists()
    xiangtan = Organization.objects.get(code="XT")
    assert xiangtan.children.filter(sector="organ").count() == 9
    assert xiangtan.children.filter(sector="non_public").count() == 13  # the 12 paired ones and a newcomer
    assert Organization.objects.filter(code__in=["CD-JJ", "CQ-YZ", "QZ-KFQ"]).count() == 3
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


def check_alliances() -> None:
    from alliances.models import Alliance

    cbd = Alliance.objects.get(name="丰泽CBD城市党建联盟")
    assert cbd.memberships.filter(status="active").count() >= 30
    assert cbd.memberships.filter(status="applied").count() == 1
    cross = Alliance.objects.get(name="成渝核心商圈党建联盟")
    assert set(cross.regions.values_list("code", flat=True)) == {"510104", "500103"}
    assert (cbd.founded_on, cross.founded_on) == (dt.date(2022, 7, 1), dt.date(2020, 9, 3))  # cases 1 and 3
    assert set(cross.organizers.values_list("part", flat=True)) == {"host", "organizer", "executor"}
    admin = User.objects.get(username="cbd_alliance")
    assert set(Alliance.objects.restrict(admin).values_list("name", flat=True)) == {"丰泽CBD城市党建联盟"}


def check_pairing_programme() -> None:
    from pairing import selectors
    from pairing.models import Pair, PairingProgramme

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


def check_activities() -> None:
    from activities import selectors
    from activities.ledger import build_ledgers
    from activities.models import Activity, ActivitySeries
    from activities.series import completion_matrix
    from organizations.models import Organization
    from pairing.models import Pair
    from pairing.selectors import pair_progress

    today = timezone.localdate()
    assert Activity.objects.filter(status="recorded").count() > 100
    assert not Activity.objects.filter(status="planned", ends_at__lt=timezone.now()).exists()
    series = ActivitySeries.objects.get(name="一月一课、一片一实践")
    staff = User.objects.get(username="xiangtan_staff")
    cells = [c.status for row in completion_matrix(series, staff) for c in row.cells]
    assert {"done", "missing"} <= set(cells)  # some months were missed, so reminders have work
    pair = Pair.objects.get(organ__code="XT-O1")
    assert pair.starts_on <= today <= pair.ends_on
    assert pair_progress(pair, selectors.pair_activity_dates(pair)).done_to_date >= 12
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    ledgers = build_ledgers(list(Organization.objects.filter(code__in=["XT-O1", "XT-E01"])), last_month.year)
    assert all(any(cell.count for row in lg.rows for cell in row.cells) for lg in ledgers)
    summit = Activity.objects.get(theme__startswith="成渝核心商圈党建联盟峰会")
    assert summit.starts_at.date() == dt.date(2020, 9, 3)  # the real date (DOMAIN.md, case 3)
    assert {link.organization.code for link in summit.host_links.all()} == {"CD-JJ", "CQ-YZ"}
    launch = Activity.objects.get(theme__startswith="丰泽CBD城市党建联盟成立大会")
    assert launch.starts_at.date() == dt.date(2022, 7, 1)  # case 1
    study = Activity.objects.get(theme="联盟年度学习会：学习贯彻全会精神")
    assert study.status == "open" and study.registrations.filter(status="registered").count() == 12
    meeting = Activity.objects.get(theme__contains="年度联席会议")
    assert meeting.starts_at < timezone.now() and meeting.status == "recorded"
    # one follow-up falls due within days, so the reminder task has work
    assert sorted(f.due_on - today for f in meeting.follow_ups.all()) == [dt.timedelta(days=2), dt.timedelta(days=30)]


def check_three_lists() -> None:
    from demands import recommend
    from demands.choices import DemandStatus
    from demands.filters import DemandFilterSet
    from demands.models import Demand, Resource
    from projects.models import Project

    statuses = set(Demand.objects.values_list("status", flat=True))
    assert {DemandStatus.SUBMITTED, DemandStatus.IN_PROGRESS, DemandStatus.RESOLVED, DemandStatus.CLOSED,
            DemandStatus.REVIEW, DemandStatus.DECLINED} <= statuses
    assert DemandFilterSet({"overdue": "true"}, queryset=Demand.objects.all()).qs.exists()
    assert Demand.objects.filter(rating__isnull=False).count() >= 3
    enterprise = User.objects.get(username="enterprise")
    assert set(Demand.objects.restrict(enterprise).values_list("title", flat=True)) == {"电商企业旺季备货需要流动资金贷款"}
    # the enterprise contact speaks for its company and browses its alliances' resource catalogue
    assert enterprise.unit is not None and enterprise.unit.name == "泉州某电子商务有限公司"
    assert Demand.objects.get(title="电商企业旺季备货需要流动资金贷款").requester_unit == enterprise.unit
    assert Resource.objects.restrict(enterprise).filter(alliance__isnull=False).exists()
    staff = User.objects.get(username="fengze_staff")
    fresh = Demand.objects.get(title="餐饮企业希望参加直播带货培训")
    found = recommend.recommend_resources(staff, fresh)
    assert found and found[0].object.title == "直播带货与电商运营培训课程"
    assert Resource.objects.filter(organization__code="CD-JJ-02").exists()
    items = Project.objects.filter(alliance__name="成渝核心商圈党建联盟")
    assert items.count() == 4 and items.filter(status="completed").count() == 1
    assert all(p.origin_meeting is not None and p.due_on >= timezone.localdate() for p in items)


def check_pairing() -> None:
    from alliances.models import Membership
    from pairing.models import Pair

    today = timezone.localdate()
    pairs = Pair.objects.filter(programme__name__startswith="湘潭高新区机关—两新党组织结对共建")
    assert set(pairs.values_list("status", flat=True)) == {"active", "under_review", "renewed"}
    assert all(p.starts_on <= today <= p.ends_on for p in pairs)
    chair = Membership.objects.get(organization__code="FZ-B1-01", alliance__name="丰泽CBD城市党建联盟")
    assert chair.chair_term_start <= today <= chair.chair_term_end


def _anchors() -> list[dt.datetime]:
    """Days that broke date arithmetic before, derived from today so the test keeps its meaning in later years:
    the first and last day of this month (early and late in the day), 31 December, the next 29 February, and the
    next Sunday."""
    today = timezone.localdate()
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    leap = next(y for y in range(today.year, today.year + 5) if y % 4 == 0 and (y % 100 or y % 400 == 0))
    sunday = today + dt.timedelta(days=(6 - today.weekday()) or 7)
    tz = timezone.get_default_timezone()
    return [dt.datetime.combine(day, time, tzinfo=tz) for day, time in [
        (first, dt.time(0, 20)), (last, dt.time(23, 40)), (dt.date(today.year, 12, 31), dt.time(12)),
        (dt.date(leap, 2, 29), dt.time(9, 30)), (sunday, dt.time(14, 30))]]


@pytest.mark.parametrize("anchor", _anchors(), ids=lambda a: f"{a:%Y-%m-%d_%H%M}")
def test_demo_holds_on_any_day(db: Any, anchor: dt.datetime) -> None:
    """The demo loads with the same shape at each anchor: its checks hold whatever day the loader runs."""
    from demands import recommend

    recommend.reset()
    with time_machine.travel(anchor, tick=True):
        call_command("load_demo", stdout=StringIO())
        check_all()
    recommend.reset()
