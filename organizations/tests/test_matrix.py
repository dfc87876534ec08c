"""The inherited permission matrix for regions, units, organizations and people (``core.tests.matrix``)."""

from __future__ import annotations

from typing import Any

from core.tests.matrix import ScopedModelMatrix
from organizations import services
from organizations.choices import UnitKind
from organizations.models import Organization, Person, Region, Unit

ALL_ORGS = {"fz-root", "fz-b1", "fz-e1", "fz-e2", "fz-b2", "jj-root", "jj-e1"}
FZ_ORGS = {"fz-root", "fz-b1", "fz-e1", "fz-e2", "fz-b2"}
B1_ORGS = {"fz-b1", "fz-e1", "fz-e2"}
ALL_PEOPLE = {"e1-a", "e1-b", "b2-a", "jj-a"}
ALL_REGIONS = {"fj", "qz", "fz", "sc", "jj"}


class TestOrganizationMatrix(ScopedModelMatrix):
    model = Organization
    list_url = "/organizations/"
    api_url = "/api/v1/organizations/"
    visible = {"admin": ALL_ORGS, "auditor": ALL_ORGS, "staff_fz": FZ_ORGS, "staff_jj": {"jj-root", "jj-e1"},
               "secretary_b1": B1_ORGS, "member": {"fz-e1"}}
    changeable = {"admin": ALL_ORGS, "staff_fz": FZ_ORGS, "staff_jj": {"jj-root", "jj-e1"}, "secretary_b1": B1_ORGS}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return dict(world.orgs)


class TestPersonMatrix(ScopedModelMatrix):
    model = Person
    list_url = "/organizations/people/"
    api_url = "/api/v1/members/"
    visible = {"admin": ALL_PEOPLE, "auditor": ALL_PEOPLE, "staff_fz": {"e1-a", "e1-b", "b2-a"},
               "staff_jj": {"jj-a"}, "secretary_b1": {"e1-a", "e1-b"}, "member": {"e1-a"}}
    changeable = {"admin": ALL_PEOPLE, "staff_fz": {"e1-a", "e1-b", "b2-a"}, "staff_jj": {"jj-a"},
                  "secretary_b1": {"e1-a", "e1-b"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return dict(world.people)


class TestUnitMatrix(ScopedModelMatrix):
    """A unit is seen in its region and with the organizations it hosts (the Fengze unit hosts fz-e1)."""

    model = Unit
    list_url = "/organizations/units/"
    api_url = "/api/v1/units/"
    visible = {"admin": {"fz", "jj"}, "auditor": {"fz", "jj"}, "staff_fz": {"fz"}, "staff_jj": {"jj"},
               "secretary_b1": {"fz"}, "member": {"fz"}}
    changeable = {"admin": {"fz", "jj"}, "staff_fz": {"fz"}, "staff_jj": {"jj"}, "secretary_b1": {"fz"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        jj = services.unit_create(actor=None, data={"name": "成都某商贸有限公司", "kind": UnitKind.PRIVATE,
                                                    "region": world.regions["jj"]})
        return {"fz": world.orgs["fz-e1"].unit, "jj": jj}


class TestRegionMatrix(ScopedModelMatrix):
    """Regions are public reference data for anyone holding a role; changed only inside a region scope."""

    model = Region
    list_url = "/organizations/regions/"
    export = False
    api_url = "/api/v1/regions/"
    api_change = False  # read-only in the API
    visible = dict.fromkeys(["admin", "auditor", "staff_fz", "staff_jj", "secretary_b1", "member"], ALL_REGIONS)
    changeable = {"admin": ALL_REGIONS, "staff_fz": {"fz"}, "staff_jj": {"jj"}}

    def make_rows(self, world: Any) -> dict[str, Any]:
        return dict(world.regions)
