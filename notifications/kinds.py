"""The kinds of notification: each app declares its own in ``<app>/notices.py`` (found at start-up, as the admin
finds ``admin.py``); the preferences page lists them by group, and a user may switch each off per channel."""

from __future__ import annotations

from dataclasses import dataclass

from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Kind:
    key: str
    label: StrOrPromise
    group: StrOrPromise

    def __str__(self) -> str:
        return self.key


KINDS: dict[str, Kind] = {}


def declare(key: str, label: StrOrPromise, group: StrOrPromise) -> Kind:
    """A kind of notification; ``key`` is ``<app>.<what>`` and never changes (preferences refer to it)."""
    kind = KINDS.setdefault(key, Kind(key, label, group))
    if kind.label != label:
        raise ValueError(f"notification kind {key!r} declared twice")
    return kind
