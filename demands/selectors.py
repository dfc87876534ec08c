"""Reading demands: the scoped list, one case with its timeline, and what the viewer may do with it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from alliances.choices import MembershipStatus
from alliances.models import Membership
from core.permissions import Action, Actor
from organizations.models import Organization

from .models import Demand, DemandEvent, Resource


def demand_list(user: Any) -> QuerySet[Demand]:
    return Demand.objects.restrict(user).select_related("category", "region", "handler_organization")


def demand_detail_queryset(user: Any) -> QuerySet[Demand]:
    return demand_list(user).select_related("alliance", "workstream", "handler_person", "escalated_to",
                                            "created_by").prefetch_related(
        Prefetch("events", DemandEvent.objects.select_related("actor", "organization")))


def pickable_handlers(actor: Actor, demand: Demand) -> QuerySet[Organization]:
    """Organizations a manager may hand the case to: those they see, and the alliance's active members."""
    q = Q(pk__in=Organization.objects.restrict(actor).values("pk")) if actor is not None else Q()
    if demand.alliance_id:
        q |= Q(pk__in=Membership.objects.filter(alliance_id=demand.alliance_id, status=MembershipStatus.ACTIVE)
               .values("organization"))
    return Organization.objects.filter(q)


def claimable_for(user: Any, demand: Demand) -> QuerySet[Organization]:
    """The user's organizations that are active members of the demand's alliance (they may claim it)."""
    if not demand.alliance_id:
        return Organization.objects.none()
    return Organization.objects.restrict(user, Action.CHANGE).filter(
        alliance_memberships__alliance_id=demand.alliance_id, alliance_memberships__status=MembershipStatus.ACTIVE)


def resource_list(user: Any) -> QuerySet[Resource]:
    return Resource.objects.restrict(user).select_related("organization", "region")
