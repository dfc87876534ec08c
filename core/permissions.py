"""The one scoping mechanism.

Every queryset a user can reach goes through ``Model.objects.restrict(user, action)``. A user's reach comes from
their role assignments (accounts.RoleAssignment) and is computed once per request into a :class:`Scope`; each
scoped model declares its ways in (``visibility``, compiled by ``core.visibility``). Detail views fetch through
:func:`get_object_or_404_scoped`, so an object outside the scope answers 404 and never 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self, TypeAlias, TypeVar, cast

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from core import authz_cache


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    REVEAL = "reveal"  # read sensitive personal data unmasked (audited)
    AUDIT = "audit"  # browse the audit log


@dataclass(frozen=True)
class Scope:
    """What one user may reach for one action. ``everything`` trumps the rest."""

    everything: bool = False
    org_paths: tuple[str, ...] = ()  # organization subtrees
    region_paths: tuple[str, ...] = ()  # region subtrees (organizations whose region lies inside)
    person_ids: tuple[int, ...] = ()  # the user's own person record (member role)
    org_ids: tuple[int, ...] = ()  # single organizations without their subtree (a member's own organization)
    alliance_ids: tuple[int, ...] = ()  # alliances the user administers (alliance-facing data only)

    @property
    def reaches_tree(self) -> bool:
        """Reaches organizations or regions (not only alliances or the user's own record): may add records."""
        return bool(self.everything or self.org_paths or self.region_paths)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.org_paths or self.region_paths or self.person_ids or self.org_ids
                    or self.alliance_ids)


NO_SCOPE = Scope()


def runs_regions(user: Any) -> bool:
    """Whether the user works for an organization department (a region's staff, or a platform administrator): who
    founds alliances and runs pairing programmes, which a branch's secretary does not."""
    scope = get_scope(user, Action.CHANGE)
    return bool(scope.everything or scope.region_paths)


def get_scope(user: Any, action: Action | str) -> Scope:
    """The user's scope for an action, cached on the user object for the request (and between requests, see
    ``core.authz_cache``)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cache: dict[str, Scope] | None = user.__dict__.get("_scope_cache")
    if cache is None:
        role_assignment = apps.get_model("accounts", "RoleAssignment")

        def compute() -> dict[str, Scope]:
            return role_assignment.objects.scopes_for(user)

        # Every action's scope at once; kept between requests until a role, account, person, organization or
        # region changes (core.authz_cache).
        cache = authz_cache.cached(f"scopes:{user.pk}", compute) if user.pk is not None else compute()
        user.__dict__["_scope_cache"] = cache
    return cache[str(action)]


def clear_scope_cache(user: Any) -> None:
    user.__dict__.pop("_scope_cache", None)


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every model a user can list or open. The model declares its ways in (``visibility``, see
    ``core.visibility``); no subclass overrides ``restrict``."""

    def restrict(self, user: Any, action: Action | str | None = None) -> Self:
        from .visibility import NOTHING, visibility_of

        declared = visibility_of(self.model)
        action = action or declared.default_action
        user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
        rule = declared.q(self.model, get_scope(user, action), action, user_id)
        if rule is None:
            return self.all()
        return self.none() if rule is NOTHING else self.filter(rule)


M = TypeVar("M", bound=models.Model)


def get_object_or_404_scoped(model: type[M], user: Any, action: Action | str = Action.VIEW, **lookup: Any) -> M:
    try:
        return model._default_manager.restrict(user, action).get(**lookup)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can(user: Any, action: Action | str, instance: models.Model) -> bool:
    """Whether ``user`` may perform ``action`` on this one object (same rule as the lists)."""
    manager = type(instance)._default_manager
    return bool(manager.restrict(user, action).filter(pk=instance.pk).exists())  # type: ignore[attr-defined]


def signed_in(actor: Actor) -> User | None:
    """The actor as the user to record as having done it; None for the system and an anonymous visitor."""
    return cast("User", actor) if getattr(actor, "is_authenticated", False) else None


if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    # Who does a write: a signed-in user (whose request's ``user``), or None for the system (demo loader, tasks,
    # migrations), which skips the permission checks.
    Actor: TypeAlias = "User | AnonymousUser | None"
else:
    Actor = Any
