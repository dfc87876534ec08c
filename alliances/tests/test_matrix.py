"""The inherited permission matrix for alliances and their memberships (``core.tests.matrix``)."""

from __future__ import annotations

from typing import Any

from alliances.models import Alliance, Membership
from alliances.tests.conftest import make_alliances
from core.tests.matrix import ROLES, ScopedModelMatrix

CBD_MEMBERS = {"cbd:fz-root", "cbd:fz-b1", "cbd:fz-e1"}
CROSS_MEMBERS = {"cross:fz-b2", "cross:jj-e1"}


class TestAllianceMatrix(ScopedModelMatrix):
    """Seen by its administrators, the staff of a region it spans and whoever sees a member; changed by the first
    two only."""

    model = Alliance
    roles = [*ROLES, "cbd_admin"]
    list_url = "/alliances/"
    export = False
    api_url = "/api/v1/alliances/"
    add_url = "/alliances/add/"
    creators = {"admin", "staff_fz", "staff_jj"}  # organization departments found alliances; a secretary does not
    visible = {"admin": {"cbd", "cross"}, "auditor": {"cbd", "cross"}, "staff_fz": {"cbd", "cross"},
               "staff_jj": {"cross"}, "secretary_b1": {"cbd"}, "member": {"cbd"}, "cbd_admin": {"cbd"}}
    changeable = {"admin": {"cbd", "cross"}, "staff_fz": {"cbd", "cross"}, "staff_jj": {"cross"},
                  "cbd_admin": {"cbd"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return make_alliances(world)


class TestMembershipMatrix(ScopedModelMatrix):
    """Alliance-facing data: the members of every alliance one sees, and one's own organizations' memberships."""

    model = Membership
    roles = [*ROLES, "cbd_admin"]
    detail = False
    api_url = "/api/v1/alliance-memberships/"
    api_change = False  # the steps are actions of their own (approve, accept, leave …)
    visible = {"admin": CBD_MEMBERS | CROSS_MEMBERS, "auditor": CBD_MEMBERS | CROSS_MEMBERS,
               "staff_fz": CBD_MEMBERS | CROSS_MEMBERS, "staff_jj": CROSS_MEMBERS, "secretary_b1": CBD_MEMBERS,
               "member": CBD_MEMBERS, "cbd_admin": CBD_MEMBERS}
    changeable = {"admin": CBD_MEMBERS | CROSS_MEMBERS, "staff_fz": CBD_MEMBERS | CROSS_MEMBERS,
                  "staff_jj": CROSS_MEMBERS, "secretary_b1": CBD_MEMBERS, "cbd_admin": CBD_MEMBERS}

    def make_rows(self, world: Any) -> dict[str, Any]:
        made = make_alliances(world)
        return {f"{key}:{m.organization.code}": m for key, alliance in made.items()
                for m in alliance.memberships.select_related("organization")}
