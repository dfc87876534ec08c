from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from accounts.models import Role, User
from accounts.services import role_assign
from commendations import services
from commendations.choices import CategoryKind
from commendations.models import Campaign
from organizations.choices import OrganizationType


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def make_campaign(world: Any, *, issuer: str = "fz-root", quotas: dict[str, tuple[int, int]] | None = None,
                  stages: tuple[str, ...] = ("fz-root",), start: dt.date | None = None, open_: bool = True,
                  title: str = "2026年度“两优一先”评选表彰") -> Campaign:
    """A campaign whose nomination window is today + 0..10 days, review until +20, decide by +40. ``quotas``:
    organization key → (places for 优秀共产党员, places for 先进基层党组织)."""
    o = world.orgs
    start = start or timezone.localdate()
    campaign = services.campaign_create(actor=None, data={
        "issuer": o[issuer], "title": title, "year": start.year, "basis": "关于开展两优一先评选表彰工作的通知",
        "nominate_from": start, "nominate_until": start + dt.timedelta(days=10),
        "review_until": start + dt.timedelta(days=20), "decide_by": start + dt.timedelta(days=40)})
    member = services.category_add(actor=None, campaign=campaign, data={
        "kind": CategoryKind.PERSON, "name": "优秀共产党员", "quota_total": 5, "full_member_required": True,
        "deeds_max_length": 300})
    branch = services.category_add(actor=None, campaign=campaign, data={
        "kind": CategoryKind.ORGANIZATION, "name": "先进基层党组织", "quota_total": 3,
        "organization_types": [OrganizationType.BRANCH, OrganizationType.JOINT_BRANCH]})
    for key, (people, organizations) in (quotas if quotas is not None else {"fz-b1": (2, 1), "fz-e1": (1, 0)}).items():
        if people:
            services.quota_set(actor=None, category=member, organization=o[key], number=people)
        if organizations:
            services.quota_set(actor=None, category=branch, organization=o[key], number=organizations)
    names = ("党委审核", "组织部审定", "第三级")
    for index, key in enumerate(stages):
        services.stage_add(actor=None, campaign=campaign, name=names[index], organization=o[key])
    if open_:
        campaign = services.campaign_open(actor=None, campaign=campaign)
    return campaign


def secretary(world: Any, org: str, username: str) -> User:
    user = User.objects.create_user(username=username, password="x-Correct-Horse-42")
    role_assign(actor=None, user=user, role=Role.SECRETARY, organization=world.orgs[org])
    return user


@pytest.fixture
def sec_root(world: Any) -> User:
    return secretary(world, "fz-root", "sec_root")
