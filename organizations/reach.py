"""Visibility kept on the row ("reach"): the organizations and regions through which a record is seen, as tokens.

An activity is seen by whoever sees one of its hosts, invited organizations or the organizations of its pairs; a
demand by whoever sees its handler, requester or escalation organization, or its region. Asked as OR-ed
semi-joins, a list first built the set of everything the scope reaches (every host row of a 20 % subtree) before
its first row, and a count scanned the whole table (``bench/``). Instead each such record keeps, in one column,
one token per way in::

    i:<organization id>  o:<path of the organization and of each ancestor>  r:<path of its region and of each
    ancestor region>  p:<invited person id>

and a request lists the tokens that let its user in (:func:`scope_tokens`): an organization subtree ``P`` is
``o:P``, a region subtree ``R`` is ``r:R``, a single organization ``N`` is ``i:N``. A row is visible when the two
share a token (the ``reaches`` lookup) — the same rule as ``organization_scope_q`` (a subtree is every path that
starts with its own), with the prefixes written out, so that PostgreSQL answers it from one GIN index on the
tokens (a count, a small scope) or checks it row by row while reading in date order (a page of a large scope).
SQLite checks it row by row. The other ways in (an alliance, a person, who recorded a demand) are plain indexed
columns, OR-ed with it in each model's ``scope_q``; PostgreSQL combines their indexes with the GIN index.

Measured at 100k organizations, for a 20 % scope (200k activities): a count of up to 10,001 visible activities
takes 15 ms from the GIN index, 48 ms checking the arrays row by row, 60 ms with ``LIKE`` on a text column and 450
ms splitting a text column into an array per row; a page of 50 reads ~300 rows newest first in 2 ms.

The column is derived state: every write that changes what a record is seen through, or an organization's path
or region, refreshes it in the same transaction (``organizations.visibility.refresh_reach``, which computes it from
the model's declared ``Kept`` ways); tests compare it with the rule
read from the relations after every kind of write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import migrations, models
from django.db.models import Q

from core.permissions import Scope
from core.tree import STEP_LEN

SEPARATOR = "|"


class ReachField(models.TextField):
    """The reach of a record (see the module); never edited by hand, never shown. In Python it is the text form
    (``reach_text``); PostgreSQL stores the tokens as a ``text[]`` (a GIN index over it answers ``reaches``, and
    checking one row is a comparison of arrays, not a parse), SQLite as that text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def db_type(self, connection: Any) -> str | None:
        return "text[]" if connection.vendor == "postgresql" else super().db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if connection.vendor == "postgresql" and isinstance(value, str):
            return tokens_of(value)
        return value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if value is None:
            return ""
        return reach_text(value) if isinstance(value, list) else value


def tokens_of(text: str) -> list[str]:
    """The tokens of a stored reach text."""
    return [token for token in text.split(SEPARATOR) if token]


def pg_array_literal(text: str) -> str:
    """A reach text as PostgreSQL's array literal, for COPY (tokens hold no quote, comma, brace or space)."""
    return "{" + ",".join(tokens_of(text)) + "}"


class KeepsReach:
    """Model mixin: a plain ``save()`` of a stored row leaves ``reach`` alone. Only the refresh functions write it,
    so an instance read before a refresh cannot write its stale copy back."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        state = self._state  # type: ignore[attr-defined]
        if kwargs.get("update_fields") is None and not state.adding and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields  # type: ignore[attr-defined]
                                       if not f.primary_key and f.name != "reach"]
        super().save(*args, **kwargs)  # type: ignore[misc]


def path_tokens(kind: str, path: str) -> list[str]:
    """``kind:`` + the path and every ancestor's path (4 characters a level, ``core.tree.STEP_LEN``)."""
    return [f"{kind}:{path[:end]}" for end in range(STEP_LEN, len(path) + 1, STEP_LEN)]


def organization_tokens(organization_id: int, path: str, region_path: str) -> tuple[str, ...]:
    return (f"i:{organization_id}", *path_tokens("o", path), *path_tokens("r", region_path))


def region_tokens(region_path: str) -> list[str]:
    return path_tokens("r", region_path)


def reach_text(tokens: Iterable[str]) -> str:
    """The stored form: sorted, without repeats, each token between separators ("" for none)."""
    unique = sorted(set(tokens))
    return f"{SEPARATOR}{SEPARATOR.join(unique)}{SEPARATOR}" if unique else ""


def scope_tokens(scope: Scope) -> list[str]:
    """The tokens of a scope's organization subtrees, region subtrees and single organizations."""
    return ([f"o:{path}" for path in scope.org_paths] + [f"r:{path}" for path in scope.region_paths]
            + [f"i:{pk}" for pk in scope.org_ids])


def reach_q(tokens: Iterable[str], field: str = "reach") -> Q:
    """Rows whose reach holds one of the tokens (none: no row)."""
    wanted = sorted(set(tokens))
    return Q(**{f"{field}__reaches": wanted}) if wanted else Q(pk__in=[])


@ReachField.register_lookup
class Reaches(models.Lookup):
    """``reach__reaches=[token, …]``: the stored reach holds one of the tokens. On PostgreSQL the array overlaps
    the list, which the GIN index of :func:`gin_index_operation` answers; elsewhere one ``instr`` a token."""

    lookup_name = "reaches"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        tokens = list(self.rhs)
        sql = " OR ".join(f"instr({lhs}, %s) > 0" for _ in tokens)
        params: list[Any] = []
        for token in tokens:
            params += [*lhs_params, f"{SEPARATOR}{token}{SEPARATOR}"]
        return f"({sql})", tuple(params)

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} && %s::text[]", (*lhs_params, list(self.rhs))


def gin_index_operation(table: str, name: str) -> migrations.RunPython:
    """A migration operation creating (reversed: dropping) the GIN index over a table's reach tokens, on
    PostgreSQL only (see ``Reaches``; SQLite checks the text row by row)."""

    def run(sql: str) -> Callable[[Any, Any], None]:
        def operation(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return operation

    return migrations.RunPython(run(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (reach)"),
                                run(f"DROP INDEX IF EXISTS {name}"))


def tokens_of_organizations(organization_model: type[models.Model],
                            organization_ids: Iterable[int | None]) -> dict[int, tuple[str, ...]]:
    """{organization id: its tokens}, in one query (``None`` ids are skipped). The model is passed in so that
    migrations can use it."""
    ids = {pk for pk in organization_ids if pk}
    if not ids:
        return {}
    rows = organization_model._default_manager.filter(pk__in=ids).values_list("pk", "path", "region__path")
    return {pk: organization_tokens(pk, path, region_path) for pk, path, region_path in rows}


Compute = Callable[[list[int]], dict[int, str]]
BATCH = 2000


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), BATCH):
        yield ordered[start:start + BATCH]


def refresh(model: type[models.Model], ids: Iterable[int], compute: Compute) -> int:
    """Store ``compute(batch)`` ({pk: reach}) for these rows where it differs from the stored reach; returns how
    many changed. Runs in the caller's transaction."""
    changed = 0
    for batch in _batches(ids):
        stored = dict(model._default_manager.filter(pk__in=batch).values_list("pk", "reach"))
        stale = [model(pk=pk, reach=reach) for pk, reach in compute(list(stored)).items() if stored[pk] != reach]
        model._default_manager.bulk_update(stale, ["reach"], batch_size=500)
        changed += len(stale)
    return changed


def rebuild(model: type[models.Model], compute: Compute) -> int:
    """Recompute every row's reach (after loading data in bulk, and to repair); returns how many changed."""
    return refresh(model, model._default_manager.values_list("pk", flat=True), compute)


def refresh_reached_through(model: type[models.Model], scope: Scope, compute: Compute) -> int:
    """Refresh the rows whose stored reach the scope matches (organizations that moved, changed region or were
    deleted: their old tokens find the rows)."""
    rows = model._default_manager.filter(reach_q(scope_tokens(scope))).values_list("pk", flat=True)
    return refresh(model, rows, compute)
