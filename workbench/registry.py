"""The workbench (待办): what waits for a user now, computed from the records each time, never stored as tasks.

Each app lists its kinds of to-do in ``<app>/todo.py`` with ``@todo(key, label)``: a function of the user and the
moment that returns the items, at most ``LIMIT`` of them (and how many there are in all). An item links to the page
where it is done and disappears once it is done, because the records no longer match."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_stubs_ext import StrOrPromise

LIMIT = 20  # items shown per kind; the count says how many there are


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    due: dt.datetime | dt.date | None = None
    detail: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.due, dt.datetime)

    def overdue(self, now: dt.datetime) -> bool:
        if self.due is None:
            return False
        if isinstance(self.due, dt.datetime):
            return self.due < now
        return self.due < timezone.localdate(now)

    def sort_key(self) -> tuple[int, dt.datetime]:
        if self.due is None:
            return 1, dt.datetime.max.replace(tzinfo=dt.UTC)
        if isinstance(self.due, dt.datetime):
            return 0, self.due
        return 0, dt.datetime.combine(self.due, dt.time.max, tzinfo=timezone.get_current_timezone())


@dataclass
class Group:
    key: str
    label: StrOrPromise
    count: int
    now: dt.datetime
    items: list[Item] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[Item, bool]]:
        """Each item with whether it is overdue."""
        return [(item, item.overdue(self.now)) for item in self.items]

    @property
    def overdue(self) -> int:
        return sum(late for _item, late in self.rows)


Found = tuple[Iterable[Item], int]
Provider = Callable[[Any, dt.datetime], Found]


@dataclass(frozen=True)
class Kind:
    key: str
    label: StrOrPromise
    provider: Provider
    order: int


KINDS: dict[str, Kind] = {}


def todo(key: str, label: StrOrPromise, order: int = 50) -> Callable[[Provider], Provider]:
    """Declare a kind of to-do: ``provider(user, now)`` returns (items, total). ``order`` places it on the page."""
    def register(provider: Provider) -> Provider:
        KINDS[key] = Kind(key, label, provider, order)
        return provider

    return register


def collect(user: Any, now: dt.datetime | None = None) -> list[Group]:
    """What waits for the user, by kind (only kinds with something in them), overdue first within each."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return []
    groups = []
    for kind in sorted(KINDS.values(), key=lambda k: (k.order, k.key)):
        found, total = kind.provider(user, now)
        items = sorted(found, key=Item.sort_key)[:LIMIT]
        if total:
            groups.append(Group(kind.key, kind.label, total, now, items))
    return groups


def first(rows: QuerySet[Any], limit: int = LIMIT) -> tuple[list[Any], int]:
    """A provider's first ``limit`` rows and their total: one query when they fit, a count besides otherwise."""
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return found, len(found)
    return found[:limit], rows.count()
