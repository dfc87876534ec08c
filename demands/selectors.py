"""Reading demands: the scoped list, one case with its timeline, and what the viewer may do with it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from core.permissions import Action
from organizations.models import Organization

from .models import Demand, DemandEvent


def demand_list(user: Any) -> QuerySet[Demand]:
    return Demand.objects.restrict(user).select_related("category", "region", "handler_organization")


def demand_detail_queryset(user: Any) -> QuerySet[Demand]:
    return demand_list(user).select_related("alliance", "workstream", "handler_person", "escalated_to",
                                            "created_by").prefetch_related(
        Prefetch("events", DemandEvent.objects.select_related("actor", "organization")))


def claimable_for(user: Any, demand: Demand) -> QuerySet[Organization]:
    """The user's organizations that are active members of the demand's alliance (they may claim it)."""
    if not demand.alliance_id:
        return Organization.objects.none()
    return Organization.objects.restrict(user, Action.CHANGE).filter(
        alliance_memberships__alliance_id=demand.alliance_id, alliance_memberships__status="active")
