"""The inherited permission matrix for demands and resources (``core.tests.matrix``)."""

from __future__ import annotations

from typing import Any

from alliances.tests.conftest import make_alliances
from core.tests.matrix import ROLES, KeptReachMatrix, ScopedModelMatrix
from demands import resources
from demands.models import Demand, Resource
from demands.tests.conftest import offer, raise_demand

EVERY_DEMAND = {"fz", "jj", "handled", "cbd", "person"}


class TestDemandMatrix(KeptReachMatrix):
    """Seen by whoever raised or recorded it, the staff of its region, whoever sees its requesting, handling or
    escalation organization, the requesting and handling person and the alliance's administrators; handled by the
    staff of its region and the alliance's administrators."""

    model = Demand
    roles = [*ROLES, "cbd_admin"]
    list_url = "/demands/"
    api_url = "/api/v1/demands/"
    api_change = False  # the workflow's steps are actions of their own
    visible = {"admin": EVERY_DEMAND, "auditor": EVERY_DEMAND, "staff_fz": {"fz", "handled", "cbd"},
               "staff_jj": {"jj", "handled", "person"}, "secretary_b1": {"handled"}, "member": {"person"},
               "norole": {"fz"}, "cbd_admin": {"cbd"}}
    changeable = {"admin": EVERY_DEMAND, "staff_fz": {"fz", "cbd"}, "staff_jj": {"jj", "handled", "person"},
                  "cbd_admin": {"cbd"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        r, o, p = world.regions, world.orgs, world.people
        cbd = make_alliances(world)["cbd"]
        return {
            "fz": raise_demand(world, title="招聘数控技工"),  # raised by the enterprise contact (no role)
            "jj": raise_demand(world, actor=world.users["admin"], title="锦江商圈停车难", region=r["jj"]),
            "handled": raise_demand(world, actor=world.users["admin"], title="一号楼党员活动场地", region=r["jj"],
                                    requester_kind="organization", requester_organization=o["fz-e2"],
                                    requester_name=o["fz-e2"].name),
            "cbd": raise_demand(world, actor=world.users["admin"], title="联盟企业融资对接", alliance=cbd),
            "person": raise_demand(world, actor=world.users["admin"], title="党员个人求助", region=r["jj"],
                                   requester_kind="person", requester_person=p["e1-a"], requester_name="成员e1-a"),
        }

    def export_key(self, row: Any) -> str:
        return str(row.title)


EVERY_RESOURCE = {"fz", "jj", "cbd", "cross", "cross_withdrawn"}


class TestResourceMatrix(ScopedModelMatrix):
    """Seen with the offering organization, in its region and, when shared with an alliance, by its administrators
    and members — and by enterprise contacts: those whose unit's organization is a member, and (offered ones only)
    those whose unit lies in a region the alliance spans. Changed by the first two and the alliance's
    administrators, never by a mere member or a contact."""

    model = Resource
    roles = [*ROLES, "cbd_admin"]
    list_url = "/demands/resources/"
    api_url = "/api/v1/resources/"
    visible = {"admin": EVERY_RESOURCE, "auditor": EVERY_RESOURCE,
               "staff_fz": {"fz", "cbd", "cross", "cross_withdrawn"},  # fz-b2 is a member of the cross alliance
               "staff_jj": {"jj", "cross", "cross_withdrawn"}, "secretary_b1": {"fz", "cbd"}, "member": {"cbd"},
               # the contact of fz-e1's unit: its organization is in the CBD alliance; the cross alliance spans Fengze
               "norole": {"cbd", "cross"}, "cbd_admin": {"cbd"}}
    changeable = {"admin": EVERY_RESOURCE, "staff_fz": {"fz", "cbd"}, "staff_jj": {"jj", "cross", "cross_withdrawn"},
                  "secretary_b1": {"fz"}, "cbd_admin": {"cbd"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        made = make_alliances(world)
        cbd, cross = made["cbd"], made["cross"]
        contact = world.users["norole"]  # an enterprise contact of 泉州某科技有限公司 (the unit of fz-e1)
        contact.unit = world.orgs["fz-e1"].unit
        contact.save(update_fields=["unit"])
        withdrawn = offer(world, "jj-e1", title="锦江已撤回场地", alliance=cross)
        resources.resource_withdraw(actor=None, resource=withdrawn)
        return {"fz": offer(world, "fz-b1", title="一号楼会议室"), "jj": offer(world, "jj-e1", title="锦江百货展厅"),
                "cbd": offer(world, "fz-b2", title="二号楼直播间", alliance=cbd),
                "cross": offer(world, "jj-e1", title="春熙路直播基地", alliance=cross), "cross_withdrawn": withdrawn}

    def export_key(self, row: Any) -> str:
        return str(row.title)
