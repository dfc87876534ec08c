"""The reach kept on each demand (demands.reach) against the fields it is derived from, after every kind of write
that changes them: submission, assignment and claiming, escalation, and an organization moved, given another region
or deleted."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import role_assign
from alliances.tests.conftest import alliances  # noqa: F401  (fixture)
from conftest import assert_reach_current as check_reach
from demands import deadlines, services
from demands.models import Demand
from organizations import services as org_services
from organizations.choices import OrganizationType, Sector
from organizations.visibility import rebuild_reach

from .conftest import raise_demand


@pytest.fixture
def secretaries(world: Any) -> dict[str, Any]:
    users = {}
    for key in ("fz-e2", "fz-b2", "jj-root"):
        users[key] = User.objects.create_user(username=f"secretary_{key}", password="Correct-Horse-42")
        role_assign(actor=None, user=users[key], role=Role.SECRETARY, organization=world.orgs[key])
    return users


def sees(user: Any, demand: Demand) -> bool:
    return Demand.objects.restrict(user).filter(pk=demand.pk).exists()


def assert_reach_current(world: Any, secretaries: dict[str, Any]) -> None:
    check_reach(Demand, [*world.users.values(), *secretaries.values()])


def test_requester_handler_and_region(world: Any, secretaries: Any) -> None:
    o, u = world.orgs, world.users
    demand = raise_demand(world, u["admin"], requester_kind="organization", requester_organization=o["jj-e1"],
                          requester_name="成都某百货党支部")
    assert sees(u["staff_fz"], demand)  # the demand's region
    assert sees(u["staff_jj"], demand) and sees(secretaries["jj-root"], demand)  # the requesting organization
    assert not sees(secretaries["fz-e2"], demand)
    assert_reach_current(world, secretaries)

    services.demand_accept(actor=u["staff_fz"], demand=demand)
    services.demand_assign(actor=u["staff_fz"], demand=demand, organization=o["fz-e2"])
    assert sees(secretaries["fz-e2"], demand) and not sees(secretaries["fz-b2"], demand)
    assert_reach_current(world, secretaries)

    services.demand_assign(actor=u["staff_fz"], demand=demand, organization=o["fz-b2"])
    assert sees(secretaries["fz-b2"], demand) and not sees(secretaries["fz-e2"], demand)
    assert_reach_current(world, secretaries)


def handled_by_fz_e2(world: Any) -> Demand:
    """A demand raised in Fengze, accepted by its staff and assigned to fz-e2."""
    demand = raise_demand(world)
    services.demand_accept(actor=world.users["staff_fz"], demand=demand)
    return services.demand_assign(actor=world.users["staff_fz"], demand=demand, organization=world.orgs["fz-e2"])


def test_escalation_saved_with_update_fields(world: Any, secretaries: Any) -> None:
    o = world.orgs
    demand = handled_by_fz_e2(world)
    demand.refresh_from_db()
    deadlines.run_deadlines(demand.resolve_due + dt.timedelta(hours=1))
    demand.refresh_from_db()
    assert demand.escalated_to == o["fz-b1"]
    assert f"|i:{o['fz-b1'].pk}|" in demand.reach
    assert_reach_current(world, secretaries)


def test_organization_moved_given_another_region_or_deleted(world: Any, secretaries: Any) -> None:
    o, u = world.orgs, world.users
    demand = handled_by_fz_e2(world)

    org_services.organization_move(actor=None, organization=o["fz-e2"], new_parent=o["jj-root"])
    assert sees(secretaries["jj-root"], demand) and not sees(u["secretary_b1"], demand)
    assert_reach_current(world, secretaries)

    o["fz-e2"].refresh_from_db()
    org_services.organization_update(actor=None, organization=o["fz-e2"], data={"region": world.regions["jj"]})
    assert sees(u["staff_jj"], demand)
    assert_reach_current(world, secretaries)

    # A deleted organization leaves no token behind (a later organization could take its path).
    lone = org_services.organization_create(actor=None, data={
        "code": "jj-lone", "name": "锦江区某协会党支部", "parent": o["jj-root"], "region": world.regions["jj"],
        "type": OrganizationType.BRANCH, "sector": Sector.SOCIAL})
    Demand.objects.filter(pk=demand.pk).update(reach=demand.reach + f"i:{lone.pk}|")
    org_services.organization_delete(actor=None, organization=lone)
    assert f"|i:{lone.pk}|" not in Demand.objects.get(pk=demand.pk).reach
    assert_reach_current(world, secretaries)


def test_rebuild_repairs_every_row(world: Any) -> None:
    raise_demand(world)
    raise_demand(world, now=timezone.now() - dt.timedelta(days=1))
    Demand.objects.update(reach="")
    assert not Demand.objects.restrict(world.users["staff_fz"]).exists()
    out = io.StringIO()
    call_command("rebuild_reach", stdout=out)
    assert "demands.Demand: 2 rows changed" in out.getvalue()
    assert rebuild_reach(Demand) == 0
    check_reach(Demand, world.users.values())


def test_alliance_claiming_and_own_records(world: Any, alliances: Any, secretaries: Any) -> None:  # noqa: F811
    from alliances import services as alliance_services
    from alliances.models import Membership

    u = world.users
    demand = raise_demand(world, alliance=alliances["cross"])
    assert sees(u["norole"], demand)  # who recorded it
    assert not sees(secretaries["jj-root"], demand)
    services.demand_accept(actor=u["staff_fz"], demand=demand, open_for_claim=True)
    assert sees(secretaries["jj-root"], demand)  # jj-e1, below it, is an active member and may claim it
    assert_reach_current(world, secretaries)

    membership = Membership.objects.get(alliance=alliances["cross"], organization=world.orgs["jj-e1"])
    alliance_services.membership_leave(actor=None, membership=membership)
    assert not sees(secretaries["jj-root"], demand)  # the kept list of member alliances was invalidated
    assert_reach_current(world, secretaries)
