"""The reach kept on each demand (``Demand.reach``, see ``organizations.reach``): its handler, requesting and
escalation organizations, and its region. The other ways in are columns of their own (its alliance, the handler and
requesting persons, who recorded it: ``DemandQuerySet.scope_q``).

``Demand.save`` computes it whenever one of those fields is saved; an organization moved, given another region or
deleted refreshes the demands that hold its old tokens (``organizations.reach.organizations_changed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from core.permissions import Scope
from organizations import reach

# The fields a demand is seen through; saving any of them saves the reach too.
SOURCES = ("handler_organization", "requester_organization", "escalated_to", "region")


def _models() -> SimpleNamespace:
    from organizations.models import Organization, Region

    from .models import Demand

    return SimpleNamespace(Demand=Demand, Organization=Organization, Region=Region)


def reach_from(organization_ids: Iterable[int | None], region_path: str, tokens: dict[int, tuple[str, ...]]) -> str:
    """The reach from the handler, requesting and escalation organizations (their tokens in ``tokens``) and the
    region's path (also the benchmark's generator, which writes demands without the ORM)."""
    return reach.reach_text([*(t for o in organization_ids if o for t in tokens[o]),
                             *reach.region_tokens(region_path)])


def computed_reach(demand_ids: Iterable[int], m: SimpleNamespace | None = None) -> dict[int, str]:
    """{demand id: its reach as it should be stored}, from its fields (two queries for any number)."""
    m = m or _models()
    rows = list(m.Demand.objects.filter(pk__in=list(demand_ids)).values_list(
        "pk", "handler_organization_id", "requester_organization_id", "escalated_to_id", "region__path"))
    tokens = reach.tokens_of_organizations(m.Organization, {o for row in rows for o in row[1:4] if o})
    return {pk: reach_from((handler, requester, escalated), region_path, tokens)
            for pk, handler, requester, escalated, region_path in rows}


def reach_of(demand: Any) -> str:
    """The reach of a demand from its fields as they are in memory (``Demand.save``)."""
    m = _models()
    organization_ids = (demand.handler_organization_id, demand.requester_organization_id, demand.escalated_to_id)
    region_path = m.Region.objects.filter(pk=demand.region_id).values_list("path", flat=True).first() or ""
    return reach_from(organization_ids, region_path, reach.tokens_of_organizations(m.Organization, organization_ids))


def refresh_demand_reach(demand_ids: Iterable[int], m: SimpleNamespace | None = None) -> int:
    m = m or _models()
    return reach.refresh(m.Demand, demand_ids, lambda batch: computed_reach(batch, m))


def rebuild_demand_reach(m: SimpleNamespace | None = None) -> int:
    """Recompute every demand's reach (after loading data in bulk, and to repair); returns how many changed."""
    m = m or _models()
    return reach.rebuild(m.Demand, lambda batch: computed_reach(batch, m))


def on_organizations_changed(sender: Any, scope: Scope, **kwargs: Any) -> None:
    m = _models()
    reach.refresh_reached_through(m.Demand, scope, lambda batch: computed_reach(batch, m))
