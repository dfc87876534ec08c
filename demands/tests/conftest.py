from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from alliances.tests.conftest import alliances  # noqa: F401  (fixture)
from demands import defaults, services
from demands.models import DeadlineTier, Demand, DemandCategory


@pytest.fixture(autouse=True)
def _defaults(db: Any) -> None:
    """The taxonomy and tiers come from a data migration; a flushing (transactional) test may have removed them."""
    defaults.install(DemandCategory, DeadlineTier)


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
