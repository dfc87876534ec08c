"""What authorization reads on every request, kept between requests (Zulip's pattern: cache on read, flush on write).

Every API request used to look up its token and user, the user's roles (its ``Scope``) and, for lists in tree
order, the span of each region's organizations (``organizations.models.region_spans``): three database round
trips and their ORM work, about 5 of a list request's 13 ms at 100k organizations. They change only when an
account, a token, a role, a region, an organization or a person changes, which is rare next to reads. The totals
of a scope (``organizations.selectors.scope_totals``: the counts of unfiltered lists and of the dashboard) are kept
the same way; the services that change member counts and regional tallies invalidate them. So are the alliances a
scope's organizations are active members of (``alliances.models.member_alliance_ids``, for the demands they may
claim), which also change with an alliance membership.

One shared **generation** number guards every entry. An entry holds the generation read *before* its value was
computed, and is used only while the generation is still the same. Each write to what the entries are computed
from bumps the generation (``invalidate``), and again when its transaction commits: a value computed from data read
before the commit is stored under an older generation and never used. This is coarse (any such write recomputes
every user's entries once) and therefore hard to get wrong: no write has to know which entries it touches.

- Writes through the ORM are covered by signals (``connect_signals``: save and delete of the models above).
  Writes that bypass them call ``core.derived.bulk_written`` (which invalidates, and refreshes the other derived
  state): tree moves, the person import's bulk writes; migrations invalidate on ``post_migrate`` and the
  benchmark's data generator clears its own cache database.
- Values that also read a table's rows (the count of an unfiltered demand list, ``core.paging``) are kept under a
  second generation, that table's (``COUNTED_MODELS``): a write to one of its rows bumps it (save and delete
  signals), and only those values are recomputed; the shared generation still invalidates them too.
- A lost generation key (a restarted Redis) starts again from the clock, above every generation stored before.
- Entries also expire after ``TIMEOUT`` seconds, so a write that failed to reach the cache cannot outlive that.
- Only with a cache shared by every process (``settings.AUTHZ_CACHE``: on with Redis, and in tests, where one
  process serves). With a per-process cache several workers would not see each other's invalidations.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

GENERATION_KEY = "authz:generation"
TIMEOUT = 300


def enabled() -> bool:
    return bool(getattr(settings, "AUTHZ_CACHE", False))


def digest(text: str) -> str:
    """A cache key part for a secret (an API token) or a long value (a list of paths)."""
    return hashlib.sha256(text.encode()).hexdigest()


def table_generation_key(label: str) -> str:
    return f"{GENERATION_KEY}:{label}"


def cached(key: str, compute: Callable[[], T], tables: Sequence[str] = ()) -> T:
    """``compute()``, or its value from an earlier request while nothing it reads from has changed since.
    ``tables``: models (``"demands.Demand"``) whose rows the value also reads; a write to one of them invalidates it
    (``COUNTED_MODELS``), and only it."""
    if not enabled():
        return compute()
    full_key = f"authz:{key}"
    generation_keys = [GENERATION_KEY, *(table_generation_key(label) for label in tables)]
    try:
        values = cache.get_many([*generation_keys, full_key])
        missing = [k for k in generation_keys if values.get(k) is None]
        if missing:
            for k in missing:
                cache.add(k, time.time_ns(), timeout=None)
            values.update(cache.get_many(missing))
    except Exception:  # the cache is an optimisation: without it, read the database
        logger.warning("authorization cache unreachable; reading the database", exc_info=True)
        return compute()
    generation = tuple(values.get(k) for k in generation_keys)
    complete = all(g is not None for g in generation)
    entry = values.get(full_key)
    if entry is not None and complete and entry[0] == generation:
        return entry[1]
    value = compute()
    if complete:
        try:
            cache.set(full_key, (generation, value), TIMEOUT)
        except Exception:
            logger.warning("authorization cache unreachable; entry not stored", exc_info=True)
    return value


def bump(*tables: str) -> None:
    """A new generation now (of the given tables' entries, or of every entry): the entries stored so far stop being
    used. A write never fails because the cache is unreachable: the entries it could not invalidate expire after
    ``TIMEOUT`` seconds."""
    for key in [table_generation_key(label) for label in tables] or [GENERATION_KEY]:
        try:
            try:
                cache.incr(key)
            except ValueError:  # no generation yet (or lost): start from the clock, above any stored before
                cache.add(key, time.time_ns(), timeout=None)
        except Exception:
            logger.error("authorization cache unreachable: entries stay valid for up to %d s", TIMEOUT,
                         exc_info=True)


def invalidate(using: str | None = None, tables: Sequence[str] = ()) -> None:
    """Every entry (or every entry reading these tables) stops being used: now, so that this transaction reads what
    it wrote, and again once it commits, so that a value another request computed meanwhile from the data before
    the commit is not used either."""
    if enabled():
        bump(*tables)
        transaction.on_commit(lambda: bump(*tables), using=using, robust=True)


def _on_write(sender: Any, using: str | None = None, **kwargs: Any) -> None:
    invalidate(using)


def _on_table_write(sender: Any, using: str | None = None, **kwargs: Any) -> None:
    invalidate(using, tables=[sender._meta.label])


def _on_migrate(sender: Any, **kwargs: Any) -> None:
    if enabled():
        bump()


# What the entries are computed from: a token and its user; roles (and the region, organization and person
# records their scopes name); organizations (paths, regions: the spans).
SOURCE_MODELS = ("authtoken.Token", "accounts.User", "accounts.RoleAssignment", "organizations.Region",
                 "organizations.Organization", "organizations.Person", "alliances.Membership")
# Tables with a generation of their own, for values that also read their rows (the counts of unfiltered lists,
# ``core.paging``): a write to one of them invalidates only those values. Every write to a demand goes through its
# ``save`` (services, imports); its reach is refreshed by ``bulk_update`` only after an organization changed, which
# bumps every generation anyway.
COUNTED_MODELS = ("demands.Demand",)


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_migrate, post_save

    for label in SOURCE_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"authz-cache-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"authz-cache-delete-{label}")
    for label in COUNTED_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_table_write, sender=model, dispatch_uid=f"authz-cache-table-save-{label}")
        post_delete.connect(_on_table_write, sender=model, dispatch_uid=f"authz-cache-table-delete-{label}")
    post_migrate.connect(_on_migrate, dispatch_uid="authz-cache-migrate")
