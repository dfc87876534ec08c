"""Invitations, applications, decisions, role changes and departures reach the other side."""

from __future__ import annotations

from typing import Any

from alliances import services
from notifications.models import Notification


def kinds(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def test_a_membership_from_invitation_to_departure(world: Any, alliances: Any) -> None:
    cbd, admin, staff = alliances["cbd"], world.users["cbd_admin"], world.users["staff_fz"]
    Notification.objects.all().delete()  # the fixture's own memberships
    # fz-b2 has no secretary (nor has its parent): the staff of its region answer for it
    membership = services.membership_invite(actor=admin, alliance=cbd, organization=world.orgs["fz-b2"])
    assert kinds(staff) == ["alliances.invited"] and kinds(admin) == []
    services.membership_accept(actor=staff, membership=membership)
    assert kinds(admin) == ["alliances.decided"]
    assert Notification.objects.get(user=admin).title == "二号楼联合党总支已加入丰泽CBD城市党建联盟"
    services.membership_set_role(actor=admin, membership=membership, role="lead")
    assert kinds(staff)[-1] == "alliances.role"
    services.membership_leave(actor=staff, membership=membership, reason="机构调整")
    assert kinds(admin)[-1] == "alliances.left" and "机构调整" in Notification.objects.filter(user=admin).latest(
        "id").body


def test_an_application_goes_to_the_alliance_managers(world: Any, alliances: Any) -> None:
    Notification.objects.all().delete()
    cbd, admin = alliances["cbd"], world.users["cbd_admin"]
    membership = services.membership_apply(actor=world.users["secretary_b1"], alliance=cbd,
                                           organization=world.orgs["fz-e2"])
    assert kinds(admin) == ["alliances.applied"]
    services.membership_refuse(actor=admin, membership=membership, reason="不在本商圈")
    refused = Notification.objects.get(user=world.users["secretary_b1"])
    assert refused.kind == "alliances.decided" and "不在本商圈" in refused.body
    # An alliance without administrators: the staff of the regions it spans decide.
    cross = alliances["cross"]
    services.membership_apply(actor=world.users["secretary_b1"], alliance=cross, organization=world.orgs["fz-e2"])
    assert kinds(world.users["staff_fz"])[-1] == kinds(world.users["staff_jj"])[-1] == "alliances.applied"
