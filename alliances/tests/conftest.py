from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Role, User
from accounts.services import role_assign
from alliances import services
from alliances.models import Alliance


@pytest.fixture
def alliances(world: Any) -> dict[str, Any]:
    return make_alliances(world)


def make_alliances(world: Any) -> dict[str, Any]:
    """A Fengze CBD alliance and a cross-regional Fengze + Jinjiang alliance; ``cbd_admin`` administers the first."""
    cbd = services.alliance_create(actor=None, data={"name": "丰泽CBD城市党建联盟", "kind": "business_district"},
                                   regions=[world.regions["fz"]])
    cross = services.alliance_create(actor=None, data={"name": "跨区域核心商圈党建联盟", "kind": "cross_regional"},
                                     regions=[world.regions["fz"], world.regions["jj"]])
    for org in ("fz-root", "fz-b1", "fz-e1"):
        m = services.membership_invite(actor=None, alliance=cbd, organization=world.orgs[org])
        services.membership_accept(actor=None, membership=m)
    for org in ("fz-b2", "jj-e1"):
        m = services.membership_invite(actor=None, alliance=cross, organization=world.orgs[org])
        services.membership_accept(actor=None, membership=m)
    admin = User.objects.create_user(username="cbd_admin", password="Correct-Horse-42")
    role_assign(actor=None, user=admin, role=Role.ALLIANCE_ADMIN, alliance=cbd)
    world.users["cbd_admin"] = admin
    return {"cbd": cbd, "cross": cross}


def visible(user: Any) -> set[str]:
    return set(Alliance.objects.restrict(user).values_list("name", flat=True))
