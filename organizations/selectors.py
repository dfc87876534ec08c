"""Reads reused by views and the API; each starts from a scoped queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from core.tree import subtree_q

from .models import Organization, Person, Region, Unit


def organization_list(user: Any) -> QuerySet[Organization]:
    return Organization.objects.restrict(user).select_related("region").order_by("path")


def organization_children(user: Any, parent: Organization | None) -> QuerySet[Organization]:
    qs = organization_list(user)
    return qs.filter(parent=parent) if parent is not None else qs


def organization_roots(user: Any) -> QuerySet[Organization]:
    """The top of the tree as this user sees it: visible organizations whose parent is not visible."""
    visible = Organization.objects.restrict(user)
    return organization_list(user).filter(Q(parent__isnull=True) | ~Q(parent__in=visible.values("pk")))


def organization_summary(user: Any, organization: Organization) -> dict[str, Any]:
    """Counts for an organization's subtree, within what the user may see."""
    subtree = Organization.objects.restrict(user).filter(subtree_q(organization.path))
    by_type = dict(subtree.values_list("type").annotate(n=Count("id")).values_list("type", "n"))
    people = Person.objects.restrict(user).filter(subtree_q(organization.path, "organization__path"))
    return {
        "organizations": sum(by_type.values()),
        "by_type": by_type,
        "two_new": subtree.two_new().count(),
        "members": people.members().count(),
    }


def person_list(user: Any) -> QuerySet[Person]:
    return Person.objects.restrict(user).select_related("organization", "unit")


def unit_list(user: Any) -> QuerySet[Unit]:
    return Unit.objects.restrict(user).select_related("region")


def region_list(user: Any) -> QuerySet[Region]:
    return Region.objects.restrict(user)
