from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from organizations import services as org_services
from organizations.choices import OrganizationType, Sector, UnitKind
from pairing import services
from pairing.models import PairingProgramme

# The programme runs from 2024 to the end of next year, so that "now" lies inside it whatever the date.
START, END = dt.date(2024, 1, 1), dt.date(timezone.localdate().year + 1, 12, 31)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Service messages are asserted in English (the source language); pages choose their own language."""
    with translation.override("en"):
        yield


@pytest.fixture
def organs(world: Any) -> dict[str, Any]:
    return make_organs(world)


def make_organs(world: Any) -> dict[str, Any]:
    """Organ branches: two in Fengze under the district organs' working committee, one in Jinjiang."""
    r = world.regions

    def unit(name: str, region: Any, industry: str, lat: str, lng: str) -> Any:
        return org_services.unit_create(actor=None, data={"name": name, "kind": UnitKind.ORGAN, "region": region,
                                                          "industry": industry, "latitude": lat, "longitude": lng})

    def org(code: str, name: str, parent: Any, region: Any, type_: str, unit_: Any = None) -> Any:
        return org_services.organization_create(actor=None, data={
            "code": code, "name": name, "parent": parent, "region": region, "type": type_, "sector": Sector.ORGAN,
            "unit": unit_})

    fz_unit = world.orgs["fz-e1"].unit
    fz_unit.industry = "软件和信息技术"
    fz_unit.latitude, fz_unit.longitude = "24.905000", "118.600000"
    fz_unit.save()
    o = {"fz-organs": org("fz-organs", "丰泽区直机关工委", None, r["fz"], OrganizationType.COMMITTEE)}
    o["fz-o1"] = org("fz-o1", "丰泽区科技局机关党支部", o["fz-organs"], r["fz"], OrganizationType.BRANCH,
                     unit("丰泽区科技局", r["fz"], "软件和信息技术、新材料", "24.910000", "118.605000"))
    o["fz-o2"] = org("fz-o2", "丰泽区商务局机关党支部", o["fz-organs"], r["fz"], OrganizationType.BRANCH,
                     unit("丰泽区商务局", r["fz"], "商贸", "24.950000", "118.700000"))
    o["jj-o1"] = org("jj-o1", "锦江区商务局机关党支部", None, r["jj"], OrganizationType.BRANCH)
    world.orgs.update(o)
    return o


@pytest.fixture
def programme(organs: Any) -> PairingProgramme:
    return make_programme(organs)


def make_programme(organs: Any) -> PairingProgramme:
    return services.programme_create(actor=None, data={
        "name": "丰泽区机关—两新党组织结对共建", "owner": organs["fz-organs"], "starts_on": START, "ends_on": END,
        "max_partners_per_organ": 2})


def propose(programme: PairingProgramme, organ: Any, *partners: Any, actor: Any = None, **data: Any) -> Any:
    return services.pair_create(actor=actor, programme=programme, organ=organ, partners=list(partners), data=data)
