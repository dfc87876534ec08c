"""The inherited permission matrix for every scoped model of commendations (``core.tests.matrix``). The rows are
written directly: the procedure that produces them is tested in ``test_procedure``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from commendations.choices import NominationStatus
from commendations.models import Campaign, Decision, Honour, Nomination, Notice, Objection
from core.tests.matrix import ScopedModelMatrix

from .conftest import make_campaign

BOTH = {"fz", "jj"}


def campaigns(world: Any) -> dict[str, Campaign]:
    # Fengze's: places for the general branch fz-b1 and the enterprise branch fz-e1 (the member's); Jinjiang's: for
    # its enterprise branch.
    return {"fz": make_campaign(world, open_=False),
            "jj": make_campaign(world, issuer="jj-root", quotas={"jj-e1": (1, 1)}, stages=("jj-root",),
                                open_=False, title="锦江区两优一先")}


def nominations(world: Any) -> dict[str, Nomination]:
    c = campaigns(world)

    def nomination(key: str, person: str, nominator: str) -> Nomination:
        return Nomination.objects.create(campaign=c[key], category=c[key].categories.get(name="优秀共产党员"),
                                         person=world.people[person], nominator=world.orgs[nominator],
                                         deeds="事迹", status=NominationStatus.ON_NOTICE)

    return {"fz": nomination("fz", "e1-b", "fz-b1"), "jj": nomination("jj", "jj-a", "jj-e1")}


def notices(world: Any) -> dict[str, Notice]:
    today = timezone.localdate()
    return {key: Notice.objects.create(campaign=n.campaign, starts_on=today, ends_on=today + dt.timedelta(days=7),
                                       contact="组织部")
            for key, n in nominations(world).items()}


class TestCampaignMatrix(ScopedModelMatrix):
    """Seen by the issuer's managers and members, the nominating organizations and the reviewing organizations'
    managers; run by the issuer's managers."""

    model = Campaign
    list_url, api_url = "/commendations/", "/api/v1/commendation-campaigns/"
    visible = {"admin": BOTH, "auditor": BOTH, "staff_fz": {"fz"}, "staff_jj": {"jj"}, "secretary_b1": {"fz"},
               "member": {"fz"}}
    changeable = {"admin": BOTH, "staff_fz": {"fz"}, "staff_jj": {"jj"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return dict(campaigns(world))

    def export_key(self, row: Any) -> str:
        return str(row.title)


class TestNominationMatrix(ScopedModelMatrix):
    """The nominating organization's managers and the campaign's; not the nominee's fellow members."""

    model = Nomination
    list_url, api_url = "/commendations/nominations/", "/api/v1/nominations/"
    visible = {"admin": BOTH, "auditor": BOTH, "staff_fz": {"fz"}, "staff_jj": {"jj"}, "secretary_b1": {"fz"}}
    changeable = {"admin": BOTH, "staff_fz": {"fz"}, "staff_jj": {"jj"}, "secretary_b1": {"fz"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return dict(nominations(world))

    def export_key(self, row: Any) -> str:
        return row.nominee_name


class TestNoticeMatrix(ScopedModelMatrix):
    """Read by whoever sees the campaign (a member of a nominating branch included); run by its managers."""

    model = Notice
    visible = {"admin": BOTH, "auditor": BOTH, "staff_fz": {"fz"}, "staff_jj": {"jj"}, "secretary_b1": {"fz"},
               "member": {"fz"}}
    changeable = {"admin": BOTH, "staff_fz": {"fz"}, "staff_jj": {"jj"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return dict(notices(world))


class TestObjectionMatrix(ScopedModelMatrix):
    """Handled by the campaign's managers; the objector reads their own."""

    model = Objection
    list_url = "/commendations/objections/"
    visible = {"admin": BOTH, "auditor": BOTH, "staff_fz": {"fz"}, "staff_jj": {"jj"}, "member": {"fz"}}
    changeable = {"admin": BOTH, "staff_fz": {"fz"}, "staff_jj": {"jj"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        rows = {}
        for key, notice in notices(world).items():
            rows[key] = Objection.objects.create(
                notice=notice, nomination=notice.campaign.nominations.get(), objector_name=f"王某{key}",
                objector_unit="某公司", objector_phone="13912345678", text="异议", filed_at=timezone.now(),
                filed_by=world.users["member"] if key == "fz" else None)
        return rows

    def export_key(self, row: Any) -> str:
        return str(row.objector_name)


class TestHonourMatrix(ScopedModelMatrix):
    """On the record of the person or organization: seen with them; revoked by the deciding campaign's managers."""

    model = Honour
    list_url, api_url = "/commendations/honours/", "/api/v1/honours/"
    api_change = False  # read-only but for the revoke action
    visible = {"admin": {"fz", "fz-org", "jj"}, "auditor": {"fz", "fz-org", "jj"}, "staff_fz": {"fz", "fz-org"},
               "staff_jj": {"jj"}, "secretary_b1": {"fz", "fz-org"}, "member": {"fz-org"}}
    changeable = {"admin": {"fz", "fz-org", "jj"}, "staff_fz": {"fz", "fz-org"}, "staff_jj": {"jj"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        c = campaigns(world)
        decisions = {key: Decision.objects.create(campaign=c[key], number=f"{key}〔2026〕1号",
                                                  date=timezone.localdate(), signer=c[key].issuer) for key in c}
        o, p = world.orgs, world.people
        return {"fz": Honour.objects.create(person=p["e1-b"], category_name="优秀共产党员", year=2026,
                                            decision=decisions["fz"]),
                "fz-org": Honour.objects.create(organization=o["fz-e1"], category_name="先进基层党组织", year=2026,
                                                decision=decisions["fz"]),
                "jj": Honour.objects.create(organization=o["jj-e1"], category_name="先进基层党组织", year=2026,
                                            decision=decisions["jj"])}

    def export_key(self, row: Any) -> str:
        return str(row.person or row.organization)
