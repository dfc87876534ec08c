"""Account reads: whose accounts a user manages and which roles they may give.

Accounts are not a scoped model (a user's own reach is the roles they hold, not who may see them), so their
management has a rule of its own, stated once here: **you manage an account when it is anchored in your reach
and every role it holds is one you could give.** Anchors: for department staff a role scoped inside their region
or organization subtree, the account's person in an organization they reach, or an account they created; for
secretaries the account's person in their organization subtree. Platform administrators manage every account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from alliances.models import Alliance, AllianceRegion
from core import authz_cache
from core.permissions import Action
from core.tree import subtrees_q
from organizations.models import Organization, Person, Region

from .models import ROLE_ACTIONS, Role, RoleAssignment, User


@dataclass(frozen=True)
class Authority:
    """What a user may do with accounts, read from their own role assignments. Unlike ``core.permissions.Scope``
    it keeps the staff's reach apart from the secretaries': both change their organizations' records, but only
    staff give roles other than member."""

    everything: bool = False  # platform administrator
    staff_region_paths: tuple[str, ...] = ()
    staff_org_paths: tuple[str, ...] = ()
    secretary_org_paths: tuple[str, ...] = ()
    actions: frozenset[str] = frozenset()  # every action any of the user's roles grants

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_region_paths or self.staff_org_paths)

    @property
    def manages_accounts(self) -> bool:
        return self.everything or self.is_staff or bool(self.secretary_org_paths)

    def holds(self, role: str) -> bool:
        """The user holds every action the role grants (nobody gives more than they have)."""
        return {str(a) for a in ROLE_ACTIONS[role]} <= self.actions


NO_AUTHORITY = Authority()


def authority(user: Any) -> Authority:
    """The user's authority over accounts; one query, kept on the user object and in the authorization cache."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_AUTHORITY
    kept: Authority | None = user.__dict__.get("_account_authority")
    if kept is None:
        def compute() -> Authority:
            rows = list(RoleAssignment.objects.filter(user=user).values_list("role", "region__path",
                                                                              "organization__path"))
            return Authority(
                everything=any(role == Role.PLATFORM_ADMIN for role, _r, _o in rows),
                staff_region_paths=tuple(r for role, r, _o in rows if role == Role.DEPARTMENT_STAFF and r),
                staff_org_paths=tuple(o for role, _r, o in rows if role == Role.DEPARTMENT_STAFF and o),
                secretary_org_paths=tuple(o for role, _r, o in rows if role == Role.SECRETARY and o),
                actions=frozenset(str(a) for role, _r, _o in rows for a in ROLE_ACTIONS[role]),
            )

        # Kept between requests like the scopes (core.authz_cache: any role, region or organization write
        # invalidates it), so that the navigation's question costs no query.
        kept = authz_cache.cached(f"accounts:{user.pk}", compute)
        user.__dict__["_account_authority"] = kept
    return kept


def forget_authority(user: Any) -> None:
    user.__dict__.pop("_account_authority", None)


def can_manage_accounts(user: Any) -> bool:
    """Whether the navigation shows "Accounts": platform administrators, department staff and secretaries."""
    return authority(user).manages_accounts


def grantable_roles(auth: Authority) -> list[str]:
    if auth.everything:
        return list(Role.values)
    roles: list[str] = []
    if auth.is_staff:
        roles = [Role.DEPARTMENT_STAFF, Role.SECRETARY, Role.ALLIANCE_ADMIN]
    if auth.manages_accounts:
        roles.append(Role.MEMBER)
    return [r for r in roles if auth.holds(r)]


def grantable_regions(auth: Authority) -> QuerySet[Region]:
    if auth.everything:
        return Region.objects.order_by("path")
    return Region.objects.filter(subtrees_q(auth.staff_region_paths)).order_by("path")


def _staff_organizations_q(auth: Authority, prefix: str = "") -> Q:
    return subtrees_q(auth.staff_org_paths, f"{prefix}path") | subtrees_q(auth.staff_region_paths,
                                                                            f"{prefix}region__path")


def grantable_organizations(auth: Authority) -> QuerySet[Organization]:
    """Organizations a staff or secretary role may be scoped to (staff reach, not a secretary's)."""
    if auth.everything:
        return Organization.objects.order_by("path")
    return Organization.objects.filter(_staff_organizations_q(auth)).order_by("path")


def grantable_alliances(auth: Authority) -> QuerySet[Alliance]:
    """Alliances whose administrator role the user may give: platform administrators any; staff those with at
    least one region, every one of them inside the staff's region subtrees (a cross-regional alliance needs staff
    who cover all its districts, or a platform administrator)."""
    if auth.everything:
        return Alliance.objects.all()
    if not auth.staff_region_paths:
        return Alliance.objects.none()
    inside = Region.objects.filter(subtrees_q(auth.staff_region_paths)).values("pk")
    return (Alliance.objects.filter(pk__in=AllianceRegion.objects.values("alliance"))
            .exclude(pk__in=AllianceRegion.objects.exclude(region__in=inside).values("alliance")))


def grantable_assignments_q(auth: Authority) -> Q:
    """Role assignments (as rows) the user could give; the same rule as ``services.check_grant`` in SQL."""
    if auth.everything:
        return Q()
    q = Q(pk__in=[])
    if auth.manages_accounts and auth.holds(Role.MEMBER):
        q |= Q(role=Role.MEMBER)
    if auth.is_staff:
        scoped = [r for r in (Role.DEPARTMENT_STAFF, Role.SECRETARY) if auth.holds(r)]
        q |= Q(role__in=scoped) & (
            Q(region__in=grantable_regions(auth).values("pk"))
            | Q(organization__in=Organization.objects.filter(_staff_organizations_q(auth)).values("pk")))
        if auth.holds(Role.ALLIANCE_ADMIN):
            q |= Q(role=Role.ALLIANCE_ADMIN, alliance__in=grantable_alliances(auth).values("pk"))
    return q


def manageable_users(actor: Any) -> QuerySet[User]:
    """The accounts the actor manages (see the module's docstring)."""
    auth = authority(actor)
    if auth.everything:
        return User.objects.all()
    if not auth.manages_accounts:
        return User.objects.none()
    grantable = grantable_assignments_q(auth)
    anchored_by_role = RoleAssignment.objects.filter(grantable).exclude(role=Role.MEMBER).values("user")
    reached = _staff_organizations_q(auth) | subtrees_q(auth.secretary_org_paths)
    anchored_by_person = Person.objects.filter(
        user__isnull=False, organization__in=Organization.objects.filter(reached).values("pk")).values("user")
    beyond = RoleAssignment.objects.exclude(grantable).values("user")
    return (User.objects.filter(Q(pk__in=anchored_by_role) | Q(pk__in=anchored_by_person) | Q(created_by=actor))
            .exclude(pk__in=beyond))


def user_list(actor: Any) -> QuerySet[User]:
    """The account list: manageable accounts with their roles and person, in three queries a page."""
    roles = RoleAssignment.objects.select_related("region", "organization", "alliance").order_by("role", "pk")
    return (manageable_users(actor).select_related("person__organization")
            .prefetch_related(Prefetch("roles", queryset=roles)).order_by("username"))


def user_for_manager(actor: Any, pk: Any) -> User | None:
    """One account the actor manages, or None (the view answers 404: out of reach looks like missing)."""
    try:
        return user_list(actor).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        return None


def linkable_people(actor: Any) -> QuerySet[Person]:
    """People in the actor's change scope who have no account yet (to link a new account to)."""
    return (Person.objects.restrict(actor, Action.CHANGE).filter(user__isnull=True)
            .select_related("organization").order_by("name", "pk"))


def member_account_organizations(actor: Any) -> QuerySet[Organization]:
    """Organizations whose members the actor may create accounts for."""
    if not authority(actor).manages_accounts:
        return Organization.objects.none()
    return Organization.objects.restrict(actor, Action.CHANGE).order_by("path")
