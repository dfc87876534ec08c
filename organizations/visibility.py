"""The ways in through the organization tree, regions and the reach kept on a row (see ``core.visibility``).

They live beside the tree because they read it; models of every app import them to declare their visibility.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeGuard

from django.db import models
from django.db.models import Q

from core.derived import BulkWrite
from core.permissions import Scope
from core.tree import subtrees_q
from core.visibility import Context, People, Way, any_of, fields_of

from . import reach
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

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        # The organization itself is placed by its path and region (a move rewrites the path).
        return frozenset({self.field.split("__")[0]}) if self.field else frozenset({"path", "parent", "region"})


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

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        return frozenset({self.field.split("__")[0]}) if self.field else frozenset({"path", "parent"})


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

    def fields(self, model: type[models.Model]) -> frozenset[str] | None:
        return fields_of(self.ways, model)


# The kept reach, compiled from the declaration ----------------------------------------------------------------------
# A model keeps its reach when its view rule holds a ``Kept`` way. Its tokens are computed from the same inner ways
# the reference rule is compiled from, so the two cannot drift; ``refresh_reach`` is the one path that writes them.


@dataclass
class _Sources:
    organizations: set[int]
    regions: set[str]
    people: set[int]


def kept_way(model: type[models.Model]) -> Kept | None:
    declared = getattr(model, "visibility", None)
    return next((w for w in declared.view if isinstance(w, Kept)), None) if declared is not None else None


def kept_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [model for model in apps.get_models() if kept_way(model) is not None]


def _is_column(way: Way) -> TypeGuard[Organizations | Regions | People]:
    """A kept way that reads one of the row's own columns (not a relation further away)."""
    return isinstance(way, Organizations | Regions | People) and bool(way.field) and "__" not in way.field


def kept_sources(model: type[models.Model]) -> frozenset[str]:
    """The model's own fields its kept reach is read from (a save changing one of them must refresh it)."""
    way = kept_way(model)
    return frozenset(w.field for w in way.ways if _is_column(w)) if way else frozenset()


def _collect(model: type[models.Model], way: Way, ids: list[int]) -> dict[int, _Sources]:
    from core.visibility import Via, Visible, visibility_of

    found = {pk: _Sources(set(), set(), set()) for pk in ids}
    if not ids:
        return found
    rows = model._default_manager.filter(pk__in=ids)
    if isinstance(way, Organizations):
        for pk, org in rows.values_list("pk", way.field or "pk"):
            if org:
                found[pk].organizations.add(org)
    elif isinstance(way, Regions):
        for pk, path in rows.values_list("pk", f"{way.field}__path" if way.field else "path"):
            if path:
                found[pk].regions.add(path)
    elif isinstance(way, People):
        for pk, person in rows.values_list("pk", way.field):
            if person:
                found[pk].people.add(person)
    elif isinstance(way, Via) and way.field == "pk":
        link = way_model(way.link)
        links = list(link._default_manager.filter(**{f"{way.back}__in": ids}, **dict(way.where))
                     .values_list("pk", way.back))
        inner = [_collect(link, w, [pk for pk, _back in links]) for w in way.ways]
        for link_pk, back in links:
            for part in inner:
                _merge(found[back], part[link_pk])
    elif isinstance(way, Visible):
        target = way_model(way.target)
        pointed = list(rows.values_list("pk", way.field))
        targets = sorted({t for _pk, t in pointed if t})
        inner = [_collect(target, w, targets) for w in visibility_of(target).view]
        for pk, t in pointed:
            for part in inner if t else ():
                _merge(found[pk], part[t])
    else:
        raise TypeError(f"{type(way).__name__} cannot be kept on {model._meta.label}'s rows")
    return found


def _merge(into: _Sources, other: _Sources) -> None:
    into.organizations |= other.organizations
    into.regions |= other.regions
    into.people |= other.people


def _single_valued(model: type[models.Model], path: str) -> bool:
    """Whether ``path`` follows only forward foreign keys (one value per row, so columns can share a query)."""
    current: Any = model
    for name in path.split("__"):
        field = current._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or field.auto_created:
            return False
        current = field.related_model
    return True


def way_model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def computed_reach(model: type[models.Model], ids: Iterable[int]) -> dict[int, str]:
    """{pk: the reach as it should be stored}, from the relations the declaration names (a few queries a way, for
    any number of rows)."""
    from .models import Organization

    way = kept_way(model)
    assert way is not None, f"{model._meta.label} keeps no reach"
    batch = list(ids)
    sources = {pk: _Sources(set(), set(), set()) for pk in batch}
    # The row's own columns (its organizations, region, people) in one query; the ways through links one each.
    columns = [w for w in way.ways if isinstance(w, Organizations | Regions | People) and w.field
               and _single_valued(model, w.field)]
    if columns and batch:
        paths = [f"{w.field}__path" if isinstance(w, Regions) else w.field for w in columns]
        for pk, *values in model._default_manager.filter(pk__in=batch).values_list("pk", *paths):
            for w, value in zip(columns, values, strict=True):
                if value:
                    target = (sources[pk].regions if isinstance(w, Regions)
                              else sources[pk].people if isinstance(w, People) else sources[pk].organizations)
                    target.add(value)
    for inner in way.ways:
        if inner in columns:
            continue
        for pk, part in _collect(model, inner, batch).items():
            _merge(sources[pk], part)
    tokens = reach.tokens_of_organizations(Organization, {o for s in sources.values() for o in s.organizations})
    return {pk: reach.reach_text([*(t for o in s.organizations for t in tokens.get(o, ())),
                                  *(t for path in s.regions for t in reach.region_tokens(path)),
                                  *(f"p:{person}" for person in s.people)])
            for pk, s in sources.items()}


def refresh_reach(model: type[models.Model], ids: Iterable[int]) -> int:
    """Recompute and store the reach of these rows (inside the writing transaction); returns how many changed. The
    one path that writes a kept reach."""
    return reach.refresh(model, ids, partial(computed_reach, model))


def reach_in_memory(instance: models.Model) -> str | None:
    """The reach of a row from its fields as they are in memory, when its kept ways read only its own columns
    (None otherwise): a new row is inserted with it, a changed one compares it with what it holds."""
    from .models import Organization

    model = type(instance)
    way = kept_way(model)
    if way is None or not all(_is_column(w) for w in way.ways):
        return None
    organizations = [getattr(instance, f"{w.field}_id") for w in way.ways if isinstance(w, Organizations)]
    tokens = reach.tokens_of_organizations(Organization, organizations)
    parts: list[str] = [t for o in organizations if o for t in tokens.get(o, ())]
    for w in way.ways:
        if isinstance(w, Regions) and getattr(instance, f"{w.field}_id"):
            parts += reach.region_tokens(getattr(instance, w.field).path)
        elif isinstance(w, People) and getattr(instance, f"{w.field}_id"):
            parts.append(f"p:{getattr(instance, f'{w.field}_id')}")
    return reach.reach_text(parts)


def prepare_reach(instance: models.Model) -> None:
    """Before inserting a row whose reach reads only its own columns: write it with the row (no refresh after)."""
    computed = reach_in_memory(instance)
    if computed is not None:
        instance.reach = computed  # type: ignore[attr-defined]


def reach_fields_to_save(instance: models.Model, fields: Iterable[str]) -> list[str]:
    """Before saving ``fields`` of a row whose reach reads only its own columns: when one of them is a source, put
    the new reach in the same UPDATE (returns ``["reach"]`` to add to ``update_fields``)."""
    sources = kept_sources(type(instance))
    if not {f.removesuffix("_id") for f in fields} & sources:
        return []
    computed = reach_in_memory(instance)
    if computed is None:
        raise TypeError(f"{type(instance)._meta.label}'s reach reads more than its own columns: refresh it instead")
    instance.reach = computed  # type: ignore[attr-defined]
    return ["reach"]


def rebuild_reach(model: type[models.Model]) -> int:
    """Recompute every row's reach (after loading data in bulk, and to repair); returns how many changed."""
    return reach.rebuild(model, partial(computed_reach, model))


def refresh_reach_through(target: type[models.Model], ids: Iterable[int]) -> int:
    """Rows of every keeping model whose reach reads these rows of ``target`` through a ``Visible`` way (the sides of
    a pair changed: the activities linked to it)."""
    from core.visibility import Via, Visible

    changed_ids = list(ids)
    label = target._meta.label
    changed = 0
    for model in kept_models():
        way = kept_way(model)
        assert way is not None
        affected: set[int] = set()
        for inner in way.ways:
            if isinstance(inner, Visible) and inner.target == label:
                affected |= set(model._default_manager.filter(**{f"{inner.field}__in": changed_ids})
                                .values_list("pk", flat=True))
            elif isinstance(inner, Via):
                for nested in inner.ways:
                    if isinstance(nested, Visible) and nested.target == label:
                        link = way_model(inner.link)
                        affected |= set(link._default_manager.filter(**{f"{nested.field}__in": changed_ids})
                                        .values_list(inner.back, flat=True))
        if affected:
            changed += refresh_reach(model, affected)
    return changed


def keep_reach(change: BulkWrite) -> None:
    """``core.derived`` keeper: rows that hold the old tokens of what moved, and rows written in bulk of a model
    that keeps its reach."""
    if change.moved is not None:
        refresh_reach_of_moved(change.moved)
    if change.ids and kept_way(change.model) is not None:
        refresh_reach(change.model, change.ids)


def refresh_reach_of_moved(scope: Scope) -> None:
    """Organizations moved, given another region or deleted (``scope`` matches the tokens they had): their old
    tokens find the rows to refresh, in every model that keeps a reach."""
    for model in kept_models():
        reach.refresh_reached_through(model, scope, partial(computed_reach, model))
