"""What authorization reads on every request, kept between requests (Zulip's pattern: cache on read, flush on write).

Every API request used to look up its token and user, the user's roles (its ``Scope``) and, for lists in tree
order, the span of each region's organizations (``organizations.models.region_spans``): three database round
trips and their ORM work, about 5 of a list request's 13 ms at 100k organizations. They change only when an
account, a token, a role, a region, an organization or a person changes, which is rare next to reads. The totals
of a scope (``organizations.selectors.scope_totals``: the counts of unfiltered lists and of the dashboard) are kept
the same way; the services that change member counts and regional tallies invalidate them. So are the alliances a
scope's organizations are active members of (``alliances.selectors.member_alliance_ids``, for the demands they may
claim), which also change with an alliance membership.

One shared **generation** number guards every entry. An entry holds the generation read *before* its value was
computed, and is used only while the generation is still the same. Each write to what the entries are computed
from bumps the generation (``invalidate``), and again when its transaction commits: a value computed from data read
before the commit is stored under an older generation and never used. This is coarse (any such write recomputes
every user's entries once) and therefore hard to get wrong: no write has to know which entries it touches.

- Writes through the ORM are covered by signals (``connect_signals``: save and delete of the models above).
  Writes that bypass them call ``invalidate()`` themselves: tree moves (``core.tree.move_subtree``), the person
  import's ``bulk_update``, migrations (``post_migrate``) and the benchmark's data generator (it clears its own
  cache database).
- A lost generation key (a restarted Redis) starts again from the clock, above every generation stored before.
- Entries also expire after ``TIMEOUT`` seconds, so a write that failed to reach the cache cannot outlive that.
- Only with a cache shared by every process (``settings.AUTHZ_CACHE``: on with Redis, and in tests, where one
  process serves). With a per-process cache several workers would not see each other's invalidations.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
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


def cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its value from an earlier request while nothing it reads from has changed since."""
    if not enabled():
        return compute()
    full_key = f"authz:{key}"
    try:
        values = cache.get_many([GENERATION_KEY, full_key])
        generation = values.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception:  # the cache is an optimisation: without it, read the database
        logger.warning("authorization cache unreachable; reading the database", exc_info=True)
        return compute()
    entry = values.get(full_key)
    if entry is not None and generation is not None and entry[0] == generation:
        return entry[1]  # type: ignore[no-any-return]
    value = compute()
    if generation is not None:
        try:
            cache.set(full_key, (generation, value), TIMEOUT)
        except Exception:
            logger.warning("authorization cache unreachable; entry not stored", exc_info=True)
    return value


def bump() -> None:
    """A new generation now: every entry stored so far stops being used. A write never fails because the cache
    is unreachable: the entries it could not invalidate expire after ``TIMEOUT`` seconds."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet (or lost): start from the clock, above any generation stored before
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.error("authorization cache unreachable: entries stay valid for up to %d s", TIMEOUT, exc_info=True)


def invalidate(using: str | None = None) -> None:
    """Every entry stops being used: now, so that this transaction reads what it wrote, and again once it commits,
    so that a value another request computed meanwhile from the data before the commit is not used either."""
    if enabled():
        bump()
        transaction.on_commit(bump, using=using, robust=True)


def _on_write(sender: Any, using: str | None = None, **kwargs: Any) -> None:
    invalidate(using)


def _on_migrate(sender: Any, **kwargs: Any) -> None:
    if enabled():
        bump()


# What the entries are computed from: a token and its user; roles (and the region, organization and person
# records their scopes name); organizations (paths, regions: the spans).
SOURCE_MODELS = ("authtoken.Token", "accounts.User", "accounts.RoleAssignment", "organizations.Region",
                 "organizations.Organization", "organizations.Person", "alliances.Membership")


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_migrate, post_save

    for label in SOURCE_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"authz-cache-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"authz-cache-delete-{label}")
    post_migrate.connect(_on_migrate, dispatch_uid="authz-cache-migrate")
