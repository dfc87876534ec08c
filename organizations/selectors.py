"""Reads reused by views and the API; each starts from a scoped queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from core import authz_cache
from core.permissions import Action, Scope, get_scope
from core.tree import subtree_q, subtrees_q

from .models import Organization, Person, Region, RegionTally, Unit


def organization_list(user: Any) -> QuerySet[Organization]:
    return Organization.objects.visible_in_tree_order(user).select_related("region")


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


def member_list(user: Any) -> QuerySet[Person]:
    """Party members the user may see, organization by organization in tree order, then by name.

    The order follows the organization tree, so a page of a subtree is read through the tree index and the members
    of a few organizations instead of sorting every member of the subtree by name."""
    return (Person.objects.visible_members(user).select_related("organization", "unit")
            .order_by("organization__path", "name", "id"))


def scope_totals(user: Any) -> tuple[dict[str, int], int]:
    """({sector: organizations}, party members) the user may see, from the pre-aggregated figures.

    Scopes made of whole regions (department staff, administrators) read the regional tallies: a province is a
    few thousand rows instead of every organization and member. Other scopes (a committee's subtree, a member's own
    organization) sum the organizations' own member counts. Both are kept in the writing transaction; tests check
    them against live counts after every kind of write. The totals of a scope are kept between requests until the
    next write to them (``core.authz_cache``; ``services.adjust_member_counts`` and the tallies invalidate it)."""
    scope = get_scope(user, Action.VIEW)
    return authz_cache.cached(f"totals:{authz_cache.digest(repr(scope))}", lambda: _read_scope_totals(user, scope))


def _read_scope_totals(user: Any, scope: Scope) -> tuple[dict[str, int], int]:
    if scope.everything or (scope.region_paths and not (scope.org_paths or scope.org_ids or scope.person_ids)):
        tallies = RegionTally.objects.all()
        if not scope.everything:
            tallies = tallies.filter(subtrees_q(scope.region_paths, "region__path"))
        rows = tallies.order_by().values("sector").annotate(n=Sum("organizations"), m=Sum("members"))
        return {r["sector"]: r["n"] for r in rows if r["n"]}, sum(r["m"] for r in rows)
    # Members are visible through their organization's subtree or region, or one by one (a member's own record);
    # organizations also one by one (a member's own organization), without their members.
    through_tree = subtrees_q(scope.org_paths) | subtrees_q(scope.region_paths, "region__path")
    counted = (Organization.objects.restrict(user).order_by().values("sector")
               .annotate(n=Count("id"), m=Coalesce(Sum("member_count", filter=through_tree), 0)))
    members = sum(r["m"] for r in counted)
    if scope.person_ids:
        members += (Person.objects.members().filter(pk__in=scope.person_ids)
                    .exclude(organization__in=Organization.objects.filter(through_tree)).count())
    return {r["sector"]: r["n"] for r in counted if r["n"]}, members


def unit_list(user: Any) -> QuerySet[Unit]:
    return Unit.objects.restrict(user).select_related("region")


def region_list(user: Any) -> QuerySet[Region]:
    return Region.objects.restrict(user)
