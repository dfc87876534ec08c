"""Alliance reads. Member lists are alliance-facing data: visible to whoever sees the alliance, even where the
member organizations themselves (their people, their sub-organizations) are outside the viewer's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from core.permissions import Action
from core.tree import ancestor_paths, subtrees_q
from organizations.choices import TWO_NEW_SECTORS, Sector
from organizations.models import Organization

from .choices import OPEN_STATUSES, AllianceStatus, MembershipStatus
from .models import Alliance, AllianceRegion, Membership, Organizer


def alliance_list(user: Any) -> QuerySet[Alliance]:
    return (
        Alliance.objects.restrict(user)
        .select_related("parent")
        .annotate(active_members=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)))
        .prefetch_related(Prefetch("region_links", queryset=AllianceRegion.objects.select_related("region")))
        .order_by("name")
    )


def membership_list(user: Any) -> QuerySet[Membership]:
    return Membership.objects.restrict(user).select_related("alliance", "organization", "organization__region")


def alliance_members(alliance: Alliance, *, include_history: bool = False) -> QuerySet[Membership]:
    qs = alliance.memberships.select_related("organization", "organization__region", "organization__parent")
    if not include_history:
        qs = qs.filter(status=MembershipStatus.ACTIVE)
    return qs.order_by("organization__path")


def alliance_member_stats(alliance: Alliance) -> dict[str, Any]:
    """Active members by sector, and the share of "two new" organizations."""
    rows = (alliance.memberships.filter(status=MembershipStatus.ACTIVE).order_by()
            .values_list("organization__sector").annotate(n=Count("id")))
    by_sector = dict(rows)
    total = sum(by_sector.values())
    two_new = sum(n for sector, n in by_sector.items() if sector in TWO_NEW_SECTORS)
    labels = dict(Sector.choices)
    return {
        "total": total,
        "by_sector": [{"sector": sector, "label": str(labels.get(sector, sector)), "count": n}
                      for sector, n in sorted(by_sector.items())],
        "two_new": two_new,
        "two_new_share": round(100 * two_new / total, 1) if total else 0.0,
    }


def alliance_levels(alliance: Alliance) -> list[dict[str, Any]]:
    """The member organizations as the tree they form (e.g. headquarters committee → buildings → enterprise
    branches): each active member with its level inside the alliance, in tree order."""
    members = list(alliance_members(alliance))
    paths = {m.organization.path for m in members}
    result = []
    for m in members:
        path = m.organization.path
        # Level = how many other members are ancestors of this one.
        level = sum(1 for p in paths if p != path and path.startswith(p))
        result.append({"membership": m, "level": level})
    return result


def invite_candidates(alliance: Alliance) -> QuerySet[Organization]:
    """Organizations an alliance may invite: those in the regions it spans that have no open membership yet."""
    region_paths = list(alliance.regions.values_list("path", flat=True))
    open_members = alliance.memberships.filter(status__in=OPEN_STATUSES).values("organization_id")
    return (Organization.objects.filter(subtrees_q(region_paths, "region__path"))
            .exclude(pk__in=open_members).select_related("region").order_by("path"))


def membership_organization_choices(user: Any) -> QuerySet[Organization]:
    """Organizations a membership request by ``user`` may name: those it sees (to apply for one it may change, or
    invite one) and those in the regions of the alliances it administers (to invite them). Any other id gets the
    answer an id that does not exist gets; the services then check the step itself."""
    managed = Alliance.objects.restrict(user, Action.CHANGE)
    region_paths = list(AllianceRegion.objects.filter(alliance__in=managed).values_list("region__path", flat=True))
    return Organization.objects.filter(Q(pk__in=Organization.objects.restrict(user).values("pk"))
                                       | subtrees_q(region_paths, "region__path"))


def joinable_alliances(organization: Organization) -> QuerySet[Alliance]:
    """Active alliances an organization may apply to: those spanning its region or a region above it."""
    regions = [*ancestor_paths(organization.region.path), organization.region.path]
    open_ids = organization.alliance_memberships.filter(status__in=OPEN_STATUSES).values("alliance_id")
    return (Alliance.objects.filter(status=AllianceStatus.ACTIVE, region_links__region__path__in=regions)
            .exclude(pk__in=open_ids).distinct().order_by("name"))


def alliance_organizers(alliance: Alliance) -> QuerySet[Organizer]:
    return alliance.organizers.select_related("organization", "unit")


def organization_alliances(user: Any, organization: Organization) -> QuerySet[Membership]:
    return membership_list(user).filter(organization=organization).order_by("-status", "alliance__name")
