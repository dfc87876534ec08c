from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from activities import defaults, services
from activities.models import Activity, LedgerRule
from alliances.tests.conftest import alliances  # noqa: F401  (fixture)
from pairing import services as pairing_services
from pairing.tests.conftest import _english, organs, programme, propose  # noqa: F401  (fixtures)


def at(days: float = 0, hours: float = 0) -> dt.datetime:
    """A moment relative to now (activities are judged against the real clock)."""
    return timezone.now() + dt.timedelta(days=days, hours=hours)


def make_activity(lead: Any, *, actor: Any = None, starts: dt.datetime | None = None, hours: float = 2,
                  co_hosts: Any = (), pairs: Any = (), **data: Any) -> Activity:
    starts = starts or at(days=-1)
    values = {"kind": "party_day", "theme": "主题党日：学习党纪", "starts_at": starts,
              "ends_at": starts + dt.timedelta(hours=hours), "venue": "党群服务中心", **data}
    return services.activity_create(actor=actor, data=values, lead=lead, co_hosts=list(co_hosts), pairs=list(pairs))


@pytest.fixture(autouse=True)
def _ledger_rules(db: Any) -> None:
    """The default rules come from a data migration; a flushing (transactional) test may have removed them."""
    defaults.install(LedgerRule)


@pytest.fixture
def pair(programme: Any, organs: Any, world: Any) -> Any:  # noqa: F811
    """fz-o1 (organ) ↔ fz-e1 (enterprise), in force."""
    p = propose(programme, organs["fz-o1"], world.orgs["fz-e1"], target_activities_per_quarter=1)
    return pairing_services.pair_activate(actor=None, pair=p)
