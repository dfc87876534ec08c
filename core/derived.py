"""Derived state kept beside the data, and the one call a write makes when it changes what that state is read from
without going through a model's save and delete (a bulk import, a tree move, an organization's new region).

Kept today: the authorization cache (``core.authz_cache``: scopes, region spans, scope totals), the reach kept on
rows (``organizations.visibility``) and the member counts with the regional tallies (``organizations.services``).
Such a write calls :func:`bulk_written` once with what it did; the authorization cache is invalidated and every
keeper registered by an app (in its ``AppConfig.ready``) brings its own state up to date, in the caller's
transaction. A new kind of derived state registers a keeper instead of asking every bulk write to call it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from . import authz_cache
from .permissions import Scope


@dataclass(frozen=True)
class BulkWrite:
    model: type[models.Model]
    ids: tuple[int, ...] = ()  # rows inserted or updated without their model's save
    moved: Scope | None = None  # organizations (or regions) moved, given another region or deleted: their old tokens
    member_deltas: Mapping[int, int] = field(default_factory=dict)  # members added (+) or removed (-) per organization


Keeper = Callable[[BulkWrite], Any]
_KEEPERS: dict[str, Keeper] = {}


def register(name: str, keeper: Keeper) -> None:
    """Keep a kind of derived state current after bulk writes (idempotent: registering again replaces)."""
    _KEEPERS[name] = keeper


def bulk_written(model: type[models.Model], *, ids: Iterable[int] = (), moved: Scope | None = None,
                 member_deltas: Mapping[int, int] | None = None) -> None:
    authz_cache.invalidate()  # anything it holds may have been read from these rows
    change = BulkWrite(model=model, ids=tuple(ids), moved=moved, member_deltas=dict(member_deltas or {}))
    for keeper in _KEEPERS.values():
        keeper(change)
