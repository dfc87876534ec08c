"""Who acts for what: the people a workflow step must reach, read from the role assignments.

- an organization is answered for by its secretaries; one with none (a new enterprise branch) by the nearest
  organization above it that has some, and failing that by the department staff of its region;
- a region by its department staff; a region with none by the nearest region above it that has some;
- an alliance by its administrators;
- a person by their own account, when they have one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from accounts.models import Role, RoleAssignment
from core.tree import TreeNode, ancestor_paths
from organizations.models import Organization, Person, Region


def _assignments(**filters: Any) -> Any:
    return RoleAssignment.objects.filter(user__is_active=True, **filters).select_related("user")


def secretaries(organization_ids: Iterable[int]) -> Mapping[int, list[Any]]:
    """The users holding a secretary role on each organization."""
    users: dict[int, list[Any]] = defaultdict(list)
    for ra in _assignments(role=Role.SECRETARY, organization_id__in=list(organization_ids)):
        users[ra.organization_id].append(ra.user)
    return users


def _staff_by_region(regions: Iterable[TreeNode]) -> dict[int, list[Any]]:
    """Each region's department staff, or those of the nearest region above it that has some (one query)."""
    regions = list(regions)
    paths = {p for r in regions for p in (*ancestor_paths(r.path), r.path)}
    found: dict[str, list[Any]] = defaultdict(list)
    for ra in _assignments(role=Role.DEPARTMENT_STAFF, region__path__in=paths).select_related("region"):
        found[ra.region.path].append(ra.user)
    by_region: dict[int, list[Any]] = {}
    for region in regions:
        chain = [region.path, *reversed(ancestor_paths(region.path))]
        by_region[region.pk] = next((found[p] for p in chain if found.get(p)), [])
    return by_region


def region_staff(region: TreeNode | None) -> list[Any]:
    """The department staff of the region, or of the nearest region above it that has some."""
    return _staff_by_region([region])[region.pk] if region is not None else []


def organization_contacts(organizations: Iterable[Organization]) -> list[Any]:
    """For each organization, its secretaries, else those of the nearest organization above it with some, else its
    region's staff (three queries at most, whatever the number of organizations)."""
    organizations = [o for o in organizations if o is not None]
    paths = {p for o in organizations for p in (*ancestor_paths(o.path), o.path)}
    by_path: dict[str, list[Any]] = defaultdict(list)
    for ra in _assignments(role=Role.SECRETARY, organization__path__in=paths).select_related("organization"):
        by_path[ra.organization.path].append(ra.user)
    users: list[Any] = []
    orphans: list[Organization] = []
    for organization in organizations:
        chain = [organization.path, *reversed(ancestor_paths(organization.path))]
        nearest = next((by_path[p] for p in chain if by_path.get(p)), None)
        if nearest is None:
            orphans.append(organization)
        else:
            users += nearest
    if orphans:
        staff = _staff_by_region(Region.objects.filter(pk__in={o.region_id for o in orphans}))
        users += [u for o in orphans for u in staff.get(o.region_id, [])]
    return users


def alliance_admins(alliance_ids: Iterable[int | None]) -> list[Any]:
    ids = [i for i in alliance_ids if i]
    return [ra.user for ra in _assignments(role=Role.ALLIANCE_ADMIN, alliance_id__in=ids)] if ids else []


def account(person: Person | None) -> list[Any]:
    """The person's own account, as a list (empty when they have none)."""
    if person is None or not person.user_id:
        return []
    return [person.user]
