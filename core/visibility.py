"""The visibility kernel: a scoped model declares its ways in; one function compiles them.

A model says who sees it and who changes it as a list of *ways* (``visibility = Visibility(view=[...],
change=[...])``); :meth:`core.permissions.ScopedQuerySet.restrict` is the only reader and no queryset overrides
it. Each way turns a :class:`~core.permissions.Scope` into a condition, or into nothing when the scope has no part
that way uses; the rule is their OR. The generic ways live here; the ways through the organization tree, regions and
the kept reach (``Organizations``, ``Regions``, ``Kept``) live beside the tree in ``organizations.visibility``.

``reference=True`` compiles the rule read from the relations instead of the reach kept on the row: what the kept
column must agree with (``conftest.assert_reach_current``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from .permissions import Action, Scope

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Context:
    scope: Scope
    action: str
    user_id: int | None = None
    reference: bool = False


class Way:
    """One way in. ``q`` returns the rows of ``model`` it lets in, or None when the scope has nothing it uses."""

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:  # pragma: no cover - every way defines it
        raise NotImplementedError

    def walk(self) -> Iterator[Way]:
        yield self

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        """The row's own fields the answer depends on (None: cannot tell, as for a ``Rule``)."""
        return None


def fields_of(ways: Sequence[Way], model: type[models.Model]) -> frozenset[str] | None:
    """The row's own fields these ways read together (None as soon as one cannot tell)."""
    found: set[str] = set()
    for way in ways:
        fields = way.fields(model)
        if fields is None:
            return None
        found |= fields
    return frozenset(found)


def _first(path: str) -> frozenset[str]:
    name = path.split("__")[0]
    return frozenset() if name in ("", "pk") else frozenset({name})


def _resolve(label: str | type[models.Model]) -> type[models.Model]:
    return apps.get_model(label) if isinstance(label, str) else label


def any_of(parts: Sequence[Q | None]) -> Q | None:
    found = [part for part in parts if part is not None]
    return reduce(operator.or_, found) if found else None


class Visibility:
    """A model's declaration: the ways in for viewing and (when they differ) for changing.

    ``public``: any role holder views every row (reference data such as regions and ledger rules); changing still
    follows ``change``. ``default_action``: what ``restrict(user)`` checks when no action is named (the audit log:
    ``audit``). An unscoped scope (platform administrators, unscoped auditors) always sees and changes everything
    its role allows."""

    def __init__(self, view: Sequence[Way], change: Sequence[Way] | None = None, *, public: bool = False,
                 default_action: Action = Action.VIEW) -> None:
        self.view = tuple(view)
        self.change = tuple(change) if change is not None else None
        self.public = public
        self.default_action = default_action

    def ways(self, action: str) -> tuple[Way, ...]:
        return self.change if action == Action.CHANGE and self.change is not None else self.view

    def fields(self, model: type[models.Model], action: str) -> frozenset[str] | None:
        """The row's own fields the rule for ``action`` reads (None: cannot tell). A write that changes none of them
        cannot move the row out of anyone's scope, so the generic write services skip the check after it."""
        return fields_of(self.ways(action), model)

    def q(self, model: type[models.Model], scope: Scope, action: str, user_id: int | None = None,
          reference: bool = False) -> Q | None:
        """The condition for rows the scope may act on; None for every row, ``NOTHING`` for none."""
        if scope.everything:
            return None
        if self.public and action == Action.VIEW and not scope.is_empty:
            return None
        ctx = Context(scope=scope, action=str(action), user_id=user_id, reference=reference)
        return any_of([way.q(model, ctx) for way in self.ways(action)]) or NOTHING


def visibility_of(model: type[models.Model]) -> Visibility:
    declared = getattr(model, "visibility", None)
    if not isinstance(declared, Visibility):
        raise TypeError(f"{model._meta.label} declares no visibility")
    return declared


def scope_rule(model: type[models.Model] | str, scope: Scope, action: str = Action.VIEW,
               reference: bool = False) -> Q | None:
    """Another model's rule for the same scope (for composing: a membership is seen with its alliance)."""
    target = _resolve(model)
    return visibility_of(target).q(target, scope, action, reference=reference)


def reference_q(model: type[models.Model], user: Any, action: str = Action.VIEW) -> Q | None:
    """The user's rule read from the relations instead of the reach kept on the row (None: every row)."""
    from .permissions import get_scope

    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    return visibility_of(model).q(model, get_scope(user, action), action, user_id, reference=True)


# The generic ways ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class People(Way):
    """The user's own person record (member role) at ``field``."""

    field: str = "pk"

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        return Q(**{f"{self.field}__in": ctx.scope.person_ids}) if ctx.scope.person_ids else None

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        return _first(self.field)


@dataclass(frozen=True)
class Creator(Way):
    """What the user recorded themselves (viewing only, with or without a role)."""

    field: str = "created_by"

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        return Q(**{f"{self.field}_id": ctx.user_id}) if ctx.user_id and ctx.action == Action.VIEW else None

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        return _first(self.field)


@dataclass(frozen=True)
class Administered(Way):
    """The alliances the user administers, at ``field`` (``pk`` for the alliance itself, ``parent`` for its
    sub-alliances)."""

    field: str = "alliance"

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        ids = ctx.scope.alliance_ids
        return Q(**{f"{self.field}_id__in" if self.field != "pk" else "pk__in": ids}) if ids else None

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        return _first(self.field)


@dataclass(frozen=True)
class Via(Way):
    """Rows tied to rows of another model that the inner ways let in, as a semi-join: ``<field> IN (SELECT <back>
    FROM link WHERE … AND <where>)`` (``field`` is ``pk`` for a link table pointing back at the row)."""

    link: str
    back: str
    ways: tuple[Way, ...]
    field: str = "pk"
    where: tuple[tuple[str, Any], ...] = ()

    def __init__(self, link: str, back: str, *ways: Way, field: str = "pk", where: dict[str, Any] | None = None
                 ) -> None:
        object.__setattr__(self, "link", link)
        object.__setattr__(self, "back", back)
        object.__setattr__(self, "ways", ways)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "where", tuple((where or {}).items()))

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        link = _resolve(self.link)
        inner = any_of([way.q(link, ctx) for way in self.ways])
        if inner is None:
            return None
        rows = link._default_manager.filter(inner, **dict(self.where)).values(self.back)
        return Q(**{f"{self.field}__in": rows})

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        return _first(self.field)  # a link table pointing back (``pk``): none of the row's own fields

    def walk(self) -> Iterator[Way]:
        yield self
        for way in self.ways:
            yield from way.walk()


@dataclass(frozen=True)
class Seen(Way):
    """The model's own declared rule (inside ``Via``: the rows of the link the scope sees — a programme is seen
    with any of its pairs)."""

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        rule = scope_rule(model, ctx.scope, Action.VIEW, ctx.reference)
        return None if rule is NOTHING else (rule if rule is not None else Q(pk__isnull=False))  # every row

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        return visibility_of(model).fields(model, Action.VIEW)


@dataclass(frozen=True)
class Visible(Way):
    """Rows whose ``field`` points at a row the scope sees (``target``'s own declaration). ``ids``: read the few
    visible ids first and compare the column with them (an index PostgreSQL can combine with others)."""

    field: str
    target: str
    ids: bool = False

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        target = _resolve(self.target)
        rule = scope_rule(target, ctx.scope, Action.VIEW, ctx.reference)
        if rule is NOTHING:
            return None
        rows = (target._default_manager.all() if rule is None else target._default_manager.filter(rule)).values("pk")
        if self.ids and not ctx.reference:
            found = [row["pk"] for row in rows]
            return Q(**{f"{self.field}_id__in": found}) if found else None
        return Q(**{f"{self.field}__in": rows})

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        return _first(self.field)


@dataclass(frozen=True)
class Rule(Way):
    """A rule of the model's own that the ways above cannot say (named, with its reason, where it is declared)."""

    build: Callable[[type[models.Model], Context], Q | None]

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        return self.build(model, ctx)
