"""The inherited permission matrix for activities, attendance, registrations, series and ledger rules
(``core.tests.matrix``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from activities import services
from activities.models import Activity, ActivitySeries, Attendance, LedgerRule, Registration
from activities.tests.conftest import at, make_activity
from alliances.tests.conftest import make_alliances
from core.tests.matrix import ROLES, KeptReachMatrix, ScopedModelMatrix

EVERY_ACTIVITY = {"fz", "jj", "cbd", "invited", "person"}


def make_activities(world: Any, starts: dt.datetime | None = None) -> dict[str, Activity]:
    """One activity for each way in: a host, another district's host, an alliance, an invited organization and an
    invited person (the member's own record)."""
    o, p = world.orgs, world.people
    cbd = make_alliances(world)["cbd"]
    return {
        "fz": make_activity(o["fz-e1"], theme="科技公司主题党日", starts=starts),
        "jj": make_activity(o["jj-e1"], theme="锦江百货主题党日", starts=starts),
        "cbd": make_activity(o["fz-b2"], theme="联盟志愿服务", alliance=cbd, starts=starts),
        "invited": services.activity_create(actor=None, lead=o["jj-e1"], invited_organizations=[o["fz-e2"]], data={
            "kind": "forum", "theme": "跨区域商圈论坛", "starts_at": starts or at(days=-1),
            "ends_at": (starts or at(days=-1)) + dt.timedelta(hours=2)}),
        "person": services.activity_create(actor=None, lead=o["jj-e1"], invited_people=[p["e1-a"]], data={
            "kind": "study", "theme": "专题学习会", "starts_at": starts or at(days=-1),
            "ends_at": (starts or at(days=-1)) + dt.timedelta(hours=2)}),
    }


class TestActivityMatrix(KeptReachMatrix):
    """Seen through its hosts, invited organizations and people, pairs and alliance; changed by whoever may change
    a host and by the alliance's administrators."""

    model = Activity
    roles = [*ROLES, "cbd_admin"]
    list_url = "/activities/"
    api_url = "/api/v1/activities/"
    visible = {"admin": EVERY_ACTIVITY, "auditor": EVERY_ACTIVITY, "staff_fz": {"fz", "cbd", "invited"},
               "staff_jj": {"jj", "invited", "person"}, "secretary_b1": {"fz", "cbd", "invited"},
               "member": {"fz", "cbd", "person"}, "cbd_admin": {"cbd"}}
    changeable = {"admin": EVERY_ACTIVITY, "staff_fz": {"fz", "cbd"}, "staff_jj": {"jj", "invited", "person"},
                  "secretary_b1": {"fz"}, "cbd_admin": {"cbd"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return make_activities(world)

    def export_key(self, row: Any) -> str:
        return str(row.theme)


class TestAttendanceMatrix(ScopedModelMatrix):
    """Seen by whoever sees the activity, and by the person concerned (the member attended the Jinjiang activity,
    which they therefore see, with its attendance)."""

    model = Attendance
    detail = False
    visible = {"admin": {"fz:e1-b", "jj:jj-a", "jj:e1-a"}, "auditor": {"fz:e1-b", "jj:jj-a", "jj:e1-a"},
               "staff_fz": {"fz:e1-b"}, "staff_jj": {"jj:jj-a", "jj:e1-a"}, "secretary_b1": {"fz:e1-b"},
               "member": {"fz:e1-b", "jj:jj-a", "jj:e1-a"}}
    changeable = {"admin": {"fz:e1-b", "jj:jj-a", "jj:e1-a"}, "staff_fz": {"fz:e1-b"},
                  "staff_jj": {"jj:jj-a", "jj:e1-a"}, "secretary_b1": {"fz:e1-b"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        o, p = world.orgs, world.people
        fz, jj = make_activity(o["fz-e1"]), make_activity(o["jj-e1"])
        rows = {}
        for key, activity, person in [("fz:e1-b", fz, "e1-b"), ("jj:jj-a", jj, "jj-a"), ("jj:e1-a", jj, "e1-a")]:
            [rows[key]], _already = services.attendance_mark(actor=None, activity=activity, people=[p[person]])
        return rows


class TestRegistrationMatrix(ScopedModelMatrix):
    model = Registration
    detail = False
    visible = {"admin": {"fz:e1-b", "jj:e1-a"}, "auditor": {"fz:e1-b", "jj:e1-a"}, "staff_fz": {"fz:e1-b"},
               "staff_jj": {"jj:e1-a"}, "secretary_b1": {"fz:e1-b"}, "member": {"fz:e1-b", "jj:e1-a"}}
    changeable = {"admin": {"fz:e1-b", "jj:e1-a"}, "staff_fz": {"fz:e1-b"}, "staff_jj": {"jj:e1-a"},
                  "secretary_b1": {"fz:e1-b"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        o, p = world.orgs, world.people
        rows = {}
        for key, lead, person in [("fz:e1-b", "fz-e1", "e1-b"), ("jj:e1-a", "jj-e1", "e1-a")]:
            activity = services.activity_open(actor=None, activity=make_activity(o[lead], starts=at(days=7)))
            rows[key] = services.register(actor=None, activity=activity, person=p[person])
        return rows


class TestActivitySeriesMatrix(ScopedModelMatrix):
    """Seen with its owner, a participant or a pair of its programme; managed by whoever may change the owner."""

    model = ActivitySeries
    list_url = "/activities/series/"
    export = False
    api_url = "/api/v1/activity-series/"
    visible = {"admin": {"fz", "jj"}, "auditor": {"fz", "jj"}, "staff_fz": {"fz", "jj"}, "staff_jj": {"jj"},
               "secretary_b1": {"fz", "jj"}}
    changeable = {"admin": {"fz", "jj"}, "staff_fz": {"fz"}, "staff_jj": {"jj"}, "secretary_b1": {"fz"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        o = world.orgs
        months = {"kind": "party_day", "first_month": dt.date(2026, 1, 1), "last_month": dt.date(2026, 12, 1)}
        return {"fz": services.series_create(actor=None, data={"name": "一号楼月度主题党日", "owner": o["fz-b1"],
                                                               **months}),
                "jj": services.series_create(actor=None, data={"name": "锦江商圈月度主题党日", "owner": o["jj-root"],
                                                               "participants": [o["fz-e2"]], **months})}


class TestLedgerRuleMatrix(ScopedModelMatrix):
    """Platform-wide settings: everyone with a role reads them; only platform administrators change them."""

    model = LedgerRule
    list_url = "/activities/rules/"
    detail = False
    export = False
    visible = {role: {"rule"} for role in ["admin", "auditor", "staff_fz", "staff_jj", "secretary_b1", "member"]}
    changeable = {"admin": {"rule"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        LedgerRule.objects.all().delete()
        return {"rule": LedgerRule.objects.create(organization_type="branch", name="支部委员会", kinds=["committee_meeting"],
                                                  period="month")}
