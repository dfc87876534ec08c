"""The ways in through the organization tree, regions and the reach kept on a row (see ``core.visibility``).

They live beside the tree because they read it; models of every app import them to declare their visibility.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from core.permissions import Scope
from core.tree import subtrees_q
from core.visibility import Context, People, Way, any_of

from .reach import reach_q, scope_tokens


@dataclass(frozen=True)
class Organizations(Way):
    """Rows whose organization at ``field`` the scope reaches: its subtrees, the organizations of its regions, a
    member's own organization (``""``: the organization itself). Through a relation the rule is a semi-join
    (``organizations.models.organization_scope_q``). ``managers``: only subtrees and regions count — a member's own
    organization lets them see, never manage."""

    field: str = ""
    managers: bool = False

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        from .models import organization_scope_q

        scope = ctx.scope
        if self.managers:
            scope = Scope(org_paths=scope.org_paths, region_paths=scope.region_paths)
        if not (scope.org_paths or scope.region_paths or scope.org_ids):
            return None
        return organization_scope_q(scope, f"{self.field}__" if self.field else "")


@dataclass(frozen=True)
class Regions(Way):
    """Rows whose region at ``field`` lies in one of the scope's region subtrees (``""``: the region itself)."""

    field: str = "region"

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        from .models import region_subtrees_q

        paths = ctx.scope.region_paths
        if not paths:
            return None
        return subtrees_q(paths) if not self.field else region_subtrees_q(paths, self.field)


@dataclass(frozen=True)
class Kept(Way):
    """Ways whose answer is kept on the row as reach tokens (``organizations.reach``): one condition on the kept
    column instead of a semi-join per relation. The inner ways are the rule the tokens stand for; with
    ``reference`` they are compiled from the relations instead, and the reach tests compare the two."""

    ways: tuple[Way, ...]
    field: str = "reach"

    def __init__(self, *ways: Way, field: str = "reach") -> None:
        object.__setattr__(self, "ways", ways)
        object.__setattr__(self, "field", field)

    def q(self, model: type[models.Model], ctx: Context) -> Q | None:
        if ctx.reference:
            return any_of([way.q(model, ctx) for way in self.ways])
        tokens = scope_tokens(ctx.scope)
        if any(isinstance(way, People) for way in self.walk()):
            tokens += [f"p:{pk}" for pk in ctx.scope.person_ids]
        return reach_q(tokens, self.field) if tokens else None

    def walk(self) -> Iterator[Way]:
        yield self
        for way in self.ways:
            yield from way.walk()
