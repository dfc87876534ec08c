"""Materialized-path trees (regions, organizations).

Each node stores its full path: 4 base-36 characters per level, as django-treebeard's MP_Node does, plus a parent
key and the depth. "Everything under X" is a *range* on the path (``path >= P AND path < P || '~'``), which both
PostgreSQL (with ``COLLATE "C"``) and SQLite answer from the path index; ``LIKE 'P%'`` makes SQLite scan.
See docs/architecture.md ("The organization tree") for the measurements behind this choice.
"""

from __future__ import annotations

from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from core import authz_cache

STEP_LEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_STEP = len(ALPHABET) ** STEP_LEN - 1
# '~' sorts after every character of ALPHABET in the C collation, so [P, P~) holds exactly P's subtree.
RANGE_END = "~"
MAX_DEPTH = 60


def encode_step(number: int) -> str:
    if not 0 < number <= MAX_STEP:
        raise ValueError(f"tree step out of range: {number}")
    digits = []
    while number:
        number, rem = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[rem])
    return "".join(reversed(digits)).rjust(STEP_LEN, "0")


def decode_step(step: str) -> int:
    return int(step, len(ALPHABET))


def subtree_q(path: str, field: str = "path") -> Q:
    """Q for the node with this path and all its descendants."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path + RANGE_END})


def subtrees_q(paths: list[str] | tuple[str, ...], field: str = "path") -> Q:
    """Q for the union of several subtrees; an empty list matches nothing."""
    q = Q(pk__in=[])
    for path in paths:
        q |= subtree_q(path, field)
    return q


def ancestor_paths(path: str) -> list[str]:
    """Paths of the node's ancestors, root first (excluding the node itself)."""
    return [path[:i] for i in range(STEP_LEN, len(path), STEP_LEN)]


def collapse_paths(paths: list[str]) -> list[str]:
    """Drop paths that lie inside another path of the list (a subtree already covers them)."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


class TreePathField(models.CharField):
    """The path column: byte-order (``COLLATE "C"``) on PostgreSQL so range scans and tree order use the index.

    SQLite's default BINARY collation already compares bytes. The collation is not part of the field's
    deconstruction, so migrations are the same for every database.
    """

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class TreeNode(models.Model):
    path = TreePathField(_("tree path"), max_length=STEP_LEN * MAX_DEPTH, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        abstract = True
        ordering = ["path"]

    def subtree(self) -> models.QuerySet[Self]:
        return type(self)._default_manager.filter(subtree_q(self.path))

    def descendants(self) -> models.QuerySet[Self]:
        return self.subtree().exclude(pk=self.pk)

    def ancestors(self) -> models.QuerySet[Self]:
        return type(self)._default_manager.filter(path__in=ancestor_paths(self.path)).order_by("path")

    def is_in_subtree_of(self, other: TreeNode) -> bool:
        return self.path.startswith(other.path)


def _next_child_path(model: type[TreeNode], parent: TreeNode | None) -> str:
    prefix = parent.path if parent else ""
    manager: Any = model._default_manager  # abstract base: the stubs plugin cannot resolve its lookups
    siblings = manager.filter(parent_id=parent.pk) if parent else manager.filter(depth=1)
    last = siblings.order_by("-path").values_list("path", flat=True).first()
    number = decode_step(last[-STEP_LEN:]) + 1 if last else 1
    return prefix + encode_step(number)


def place_node(node: TreeNode) -> None:
    """Give a new (unsaved) node its path and depth under ``node.parent``. Call inside a transaction.

    The parent row is locked so two concurrent inserts under one parent cannot take the same path; for roots
    the unique constraint on ``path`` is the final guard.
    """
    parent = node.parent
    if parent is not None:
        parent = type(node)._default_manager.select_for_update().get(pk=parent.pk)
        if parent.depth >= MAX_DEPTH:
            raise ValidationError({"parent": _("The tree is too deep here.")})
    node.path = _next_child_path(type(node), parent)
    node.depth = (parent.depth if parent else 0) + 1


@transaction.atomic
def move_subtree(node: TreeNode, new_parent: TreeNode | None) -> str | None:
    """Move ``node`` and its whole subtree under ``new_parent`` with one UPDATE of the subtree's rows; returns the
    subtree's old path (None when it stays where it is).

    Both rows are locked and re-read first, so the cycle and depth checks see the current tree even when another
    move ran since the caller loaded them. The authorization cache is invalidated here; the caller reports the move
    to ``core.derived.bulk_written`` so that the rest of the derived state (kept reach) follows the old paths.
    """
    model = type(node)
    manager: Any = model._default_manager
    fresh = manager.select_for_update().get(pk=node.pk)
    if new_parent is not None:
        new_parent = manager.select_for_update().get(pk=new_parent.pk)
        if new_parent.path.startswith(fresh.path):
            raise ValidationError({"parent": _("A node cannot be moved under itself or its own descendants.")})
    if (new_parent.pk if new_parent else None) == fresh.parent_id:
        return None
    old_path, old_depth = fresh.path, fresh.depth
    deepest = manager.filter(subtree_q(old_path)).aggregate(deepest=Max("depth"))["deepest"] or old_depth
    if (new_parent.depth if new_parent else 0) + 1 + (deepest - old_depth) > MAX_DEPTH:
        raise ValidationError({"parent": _("The tree is too deep here.")})
    new_path = _next_child_path(model, new_parent)
    new_depth = (new_parent.depth if new_parent else 0) + 1
    model._default_manager.filter(subtree_q(old_path)).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=TreePathField()),
        depth=F("depth") + (new_depth - old_depth),
    )
    model._default_manager.filter(pk=node.pk).update(parent_id=new_parent.pk if new_parent else None)
    authz_cache.invalidate()  # paths changed without signals: scopes and region spans name paths
    node.refresh_from_db(fields=["path", "depth", "parent"])
    return old_path
