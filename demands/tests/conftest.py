from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from alliances.tests.conftest import alliances  # noqa: F401  (fixture)
from demands import defaults, recommend, resources, services
from demands.models import DeadlineTier, Demand, DemandCategory, Resource


@pytest.fixture(autouse=True)
def _defaults(db: Any) -> None:
    """The taxonomy and tiers come from a data migration; a flushing (transactional) test may have removed them."""
    defaults.install(DemandCategory, DeadlineTier)


@pytest.fixture(autouse=True)
def _fresh_indexes() -> Any:
    """The matching indexes live in the process; each test starts from its own database."""
    recommend.reset()
    yield
    recommend.reset()


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def raise_demand(world: Any, actor: Any = None, **data: Any) -> Demand:
    """An enterprise contact (the ``norole`` user) raises a talent demand in Fengze."""
    values = {"title": "招聘数控技工", "description": "企业扩产，急需数控技工20名。",
              "category": DemandCategory.objects.get(code="talent"), "region": world.regions["fz"],
              "requester_kind": "unit", "requester_name": "某科技公司", "contact_name": "王经理",
              "contact_phone": "13800001234", **data}
    return services.demand_submit(actor=actor if actor is not None else world.users["norole"], data=values,
                                  now=data.pop("now", None))


def offer(world: Any, org: str = "fz-b1", actor: Any = None, **data: Any) -> Resource:
    """A resource offered by one of the world's organizations (in its organization's region by default)."""
    organization = world.orgs[org]
    values = {"title": "党群服务中心多功能厅", "kind": "venue", "description": "可容纳80人，配投影，工作日免费预约。",
              "organization": organization, "region": organization.region, **data}
    return resources.resource_create(actor=actor, data=values)
