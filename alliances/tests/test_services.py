from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from alliances import selectors, services
from alliances.models import Alliance, Membership
from core.models import AuditEvent

from .conftest import visible


def test_new_alliance_has_four_platforms_and_regions(alliances: Any, world: Any) -> None:
    cross = alliances["cross"]
    assert list(cross.workstreams.values_list("code", flat=True)) == ["organization", "resources", "activities",
                                                                       "talent"]
    assert set(cross.regions.values_list("code", flat=True)) == {"350503", "510104"}
    assert AuditEvent.objects.filter(object_type="alliances.alliance", object_id=str(cross.pk),
                                     action="create").exists()


def test_alliance_needs_a_region(world: Any) -> None:
    with pytest.raises(ValidationError):
        services.alliance_create(actor=None, data={"name": "无地区联盟", "kind": "other"}, regions=[])
    assert not Alliance.objects.filter(name="无地区联盟").exists()


def test_staff_create_only_in_their_region(world: Any) -> None:
    staff = world.users["staff_fz"]
    services.alliance_create(actor=staff, data={"name": "丰泽楼宇联盟", "kind": "building"},
                             regions=[world.regions["fz"]])
    with pytest.raises(PermissionDenied):
        services.alliance_create(actor=staff, data={"name": "锦江联盟", "kind": "building"},
                                 regions=[world.regions["jj"]])


def test_application_approved_and_history_kept(alliances: Any, world: Any) -> None:
    cbd, org = alliances["cbd"], world.orgs["fz-e2"]
    m = services.membership_apply(actor=world.users["secretary_b1"], alliance=cbd, organization=org)
    assert m.status == "applied"
    services.membership_approve(actor=world.users["cbd_admin"], membership=m)
    m.refresh_from_db()
    assert m.status == "active"
    assert m.joined_on == timezone.localdate()  # the platform's day, not the server's (UTC)
    services.membership_leave(actor=world.users["secretary_b1"], membership=m, reason="单位迁出")
    m.refresh_from_db()
    assert m.status == "left"
    assert m.left_on is not None
    # History stays; the organization may apply again later.
    again = services.membership_apply(actor=world.users["secretary_b1"], alliance=cbd, organization=org)
    assert Membership.objects.filter(alliance=cbd, organization=org).count() == 2
    assert again.status == "applied"


@translation.override("en")
def test_joining_twice_is_refused_with_a_clear_message(alliances: Any, world: Any) -> None:
    with pytest.raises(ValidationError, match="already a member"):
        services.membership_apply(actor=None, alliance=alliances["cbd"], organization=world.orgs["fz-e1"])
    m = services.membership_invite(actor=None, alliance=alliances["cbd"], organization=world.orgs["fz-e2"])
    with pytest.raises(ValidationError, match="already been invited"):
        services.membership_invite(actor=None, alliance=alliances["cbd"], organization=world.orgs["fz-e2"])
    assert Membership.objects.filter(alliance=alliances["cbd"], organization=world.orgs["fz-e2"]).count() == 1
    assert m.status == "invited"


@translation.override("en")
def test_illegal_transitions_write_nothing(alliances: Any, world: Any) -> None:
    m = services.membership_invite(actor=None, alliance=alliances["cbd"], organization=world.orgs["fz-e2"])
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="cannot be approved"):
        services.membership_approve(actor=None, membership=m)  # an invitation is accepted, not approved
    with pytest.raises(ValidationError, match="cannot be ended"):
        services.membership_leave(actor=None, membership=m)
    services.membership_decline(actor=None, membership=m, reason="暂不参加")
    with pytest.raises(ValidationError, match="cannot be accepted"):
        services.membership_accept(actor=None, membership=m)
    m.refresh_from_db()
    assert m.status == "declined"
    assert AuditEvent.objects.count() == before + 1  # only the decline


def test_refusal_needs_a_reason(alliances: Any, world: Any) -> None:
    m = services.membership_apply(actor=None, alliance=alliances["cbd"], organization=world.orgs["fz-e2"])
    with pytest.raises(ValidationError):
        services.membership_refuse(actor=None, membership=m, reason="  ")
    services.membership_refuse(actor=world.users["cbd_admin"], membership=m, reason="不在商圈范围内")
    m.refresh_from_db()
    assert (m.status, m.reason) == ("refused", "不在商圈范围内")


def test_who_decides(alliances: Any, world: Any) -> None:
    m = services.membership_apply(actor=None, alliance=alliances["cbd"], organization=world.orgs["fz-e2"])
    with pytest.raises(PermissionDenied):  # the applicant cannot approve itself
        services.membership_approve(actor=world.users["secretary_b1"], membership=m)
    invite = services.membership_invite(actor=world.users["cbd_admin"], alliance=alliances["cbd"],
                                        organization=world.orgs["fz-b2"])
    with pytest.raises(PermissionDenied):  # the alliance cannot accept on the organization's behalf
        services.membership_accept(actor=world.users["cbd_admin"], membership=invite)
    with pytest.raises(PermissionDenied):  # a member's secretary does not manage the alliance
        services.membership_invite(actor=world.users["secretary_b1"], alliance=alliances["cbd"],
                                   organization=world.orgs["fz-b2"])


def test_roles_lead_and_chair_terms(alliances: Any, world: Any) -> None:
    cbd = alliances["cbd"]
    root, b1, e1 = (Membership.objects.get(alliance=cbd, organization=world.orgs[c]) for c in ("fz-root", "fz-b1",
                                                                                              "fz-e1"))
    services.membership_set_role(actor=None, membership=root, role="lead")
    with pytest.raises(ValidationError):
        services.membership_set_role(actor=None, membership=b1, role="lead")
    services.membership_set_role(actor=None, membership=b1, role="chair", chair_term_start=dt.date(2026, 1, 1),
                                 chair_term_end=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError):  # overlapping term
        services.membership_set_role(actor=None, membership=e1, role="chair", chair_term_start=dt.date(2026, 6, 1),
                                     chair_term_end=dt.date(2026, 12, 31))
    services.membership_set_role(actor=None, membership=e1, role="chair", chair_term_start=dt.date(2026, 7, 1),
                                 chair_term_end=dt.date(2026, 12, 31))
    with pytest.raises(ValidationError):
        services.membership_set_role(actor=None, membership=e1, role="chair")


def test_stats_and_three_levels(alliances: Any, world: Any) -> None:
    cbd = alliances["cbd"]
    stats = selectors.alliance_member_stats(cbd)
    assert stats["total"] == 3
    assert stats["two_new"] == 1
    assert stats["two_new_share"] == 33.3
    levels = [(row["membership"].organization.code, row["level"]) for row in selectors.alliance_levels(cbd)]
    assert levels == [("fz-root", 0), ("fz-b1", 1), ("fz-e1", 2)]


def test_nesting_refuses_cycles(alliances: Any, world: Any) -> None:
    cbd = alliances["cbd"]
    sub = services.alliance_create(actor=None, data={"name": "一号楼联盟", "kind": "building", "parent": cbd},
                                   regions=[world.regions["fz"]])
    with pytest.raises(ValidationError):
        services.alliance_update(actor=None, alliance=cbd, data={"parent": sub})


def test_alliance_scoping_including_cross_regional(alliances: Any, world: Any) -> None:
    u = world.users
    assert visible(u["staff_fz"]) == {"丰泽CBD城市党建联盟", "跨区域核心商圈党建联盟"}
    assert visible(u["staff_jj"]) == {"跨区域核心商圈党建联盟"}
    assert visible(u["secretary_b1"]) == {"丰泽CBD城市党建联盟"}  # via its member organizations
    assert visible(u["member"]) == {"丰泽CBD城市党建联盟"}  # the member's own organization is a member
    assert visible(u["cbd_admin"]) == {"丰泽CBD城市党建联盟"}
    assert visible(u["norole"]) == set()
    # Jinjiang staff see the cross-regional alliance's members (alliance-facing data) ...
    members = set(Membership.objects.restrict(u["staff_jj"]).values_list("organization__code", flat=True))
    assert members == {"fz-b2", "jj-e1"}
    # ... but not the Fengze organization's internal data.
    from organizations.models import Organization, Person

    assert not Organization.objects.restrict(u["staff_jj"]).filter(code="fz-b2").exists()
    assert not Person.objects.restrict(u["staff_jj"]).filter(organization__code="fz-b2").exists()
    # Alliance administrators see their alliance but no organization's internal data.
    assert not Organization.objects.restrict(u["cbd_admin"]).exists()
    # A secretary of a member cannot change the alliance; the alliance admin can.
    assert not Alliance.objects.restrict(u["secretary_b1"], "change").exists()
    assert Alliance.objects.restrict(u["cbd_admin"], "change").get() == alliances["cbd"]
