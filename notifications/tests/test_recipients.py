"""Who acts for what: the nearest secretaries, else the nearest region's staff, in a bounded number of queries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from accounts.services import role_assign
from notifications import recipients


def test_the_nearest_secretaries_else_the_regions_staff(world: Any) -> None:
    o, u = world.orgs, world.users
    qz_staff = User.objects.create_user(username="qz_staff", password="x-Correct-Horse-42")
    role_assign(actor=None, user=qz_staff, role=Role.DEPARTMENT_STAFF, region=world.regions["qz"])
    assert recipients.organization_contacts([o["fz-b1"]]) == [u["secretary_b1"]]
    assert recipients.organization_contacts([o["fz-e1"]]) == [u["secretary_b1"]]  # from the branch above
    assert recipients.organization_contacts([o["fz-b2"]]) == [u["staff_fz"]]  # nobody above: its region's staff
    assert recipients.organization_contacts([o["jj-e1"]]) == [u["staff_jj"]]
    assert recipients.region_staff(world.regions["qz"]) == [qz_staff]
    assert recipients.region_staff(world.regions["fz"]) == [u["staff_fz"]]  # the nearest, not also the city's
    u["staff_fz"].is_active = False
    u["staff_fz"].save()
    assert recipients.region_staff(world.regions["fz"]) == [qz_staff]  # the district has none left: the city


def test_many_organizations_cost_three_queries(world: Any) -> None:
    organizations = [world.orgs[k] for k in ("fz-root", "fz-b1", "fz-e1", "fz-e2", "fz-b2", "jj-root", "jj-e1")]
    with CaptureQueriesContext(connection) as ctx:
        users = recipients.organization_contacts(organizations)
    assert len(ctx) <= 3
    assert {x.username for x in users} == {"secretary_b1", "staff_fz", "staff_jj"}
