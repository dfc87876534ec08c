"""Generic write helpers used by the domain services: check scope, validate, save, audit — in one transaction.

Scope is enforced here for every scoped model (one with ``objects.restrict``), so no domain service can forget
it: the actor must be able to change the object *before* an update or delete, and must still be able to change
it *after* a create or update (a write may not push a record out of the writer's own scope, e.g. into another
district). ``actor=None`` is the system (demo loader, migrations, tasks) and skips the checks.

Check once, write lean: a service that already asserted the actor's right on the object passes ``checked=True``;
the check after an update runs only when a field the change rule reads was changed (the model's declaration says
which, ``core.visibility.Visibility.fields``); validation covers the fields that changed and trusts related rows
that were read from the database (a form or serializer chose them from a scoped list).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from . import audit
from .error_codes import CoreErrorCode
from .permissions import Action, Actor, can

M = TypeVar("M", bound=models.Model)


def _is_scoped(instance: models.Model) -> bool:
    return hasattr(type(instance)._default_manager, "restrict")


def require_change(actor: Actor, instance: models.Model) -> None:
    """The actor may change this object (it lies in their change scope)."""
    if actor is not None and _is_scoped(instance) and not can(actor, Action.CHANGE, instance):
        raise PermissionDenied(_("You may not change this record."))


def require_still_in_scope(actor: Actor, instance: models.Model, changed: Iterable[str] | None = None) -> None:
    """After a write the actor may still change the object; ``changed``: the fields written (None: a new row)."""
    if actor is None or not _is_scoped(instance):
        return
    if changed is not None:
        from .visibility import visibility_of

        read = visibility_of(type(instance)).fields(type(instance), Action.CHANGE)
        names = {type(instance)._meta.get_field(f).name for f in changed}
        if read is not None and not names & read:
            return
    if not can(actor, Action.CHANGE, instance):
        raise ValidationError(_("After this change the record would be outside your scope (for example in another "
                                "region); choose values inside your scope."), code=CoreErrorCode.OUT_OF_SCOPE)


def _constraint_groups(model: type[models.Model]) -> list[set[str]]:
    """The fields checked together: unique-together sets, unique and check constraints (by the fields they name)."""
    groups = [set(fields) for fields in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            groups.append(set(constraint.fields))
        elif isinstance(constraint, models.CheckConstraint):
            groups.append(_names(constraint.condition))
    return groups


def _names(condition: Any) -> set[str]:
    if isinstance(condition, tuple):
        return {condition[0].split("__")[0]}
    return {name for child in getattr(condition, "children", ()) for name in _names(child)}


def validate(instance: models.Model, changed: Iterable[str] | None = None) -> None:
    """``full_clean`` for a write. Field checks cover the ``changed`` fields (None: all) and not the existence of
    related rows that were read from the database (each would be one more query); uniqueness and constraints are
    checked for every group of fields that holds a changed one."""
    meta = instance._meta
    names = {meta.get_field(f).name for f in changed} if changed is not None else None
    trusted = set()
    for field in meta.concrete_fields:
        related = instance._state.fields_cache.get(field.name) if field.is_relation else None
        if related is not None and related.pk is not None and not related._state.adding:
            trusted.add(field.name)
    every = {f.name for f in meta.concrete_fields}
    unchanged = every - names if names is not None else set()
    together = set().union(*(g for g in _constraint_groups(type(instance)) if g & names)) if names else set()
    skip = unchanged - together if names is not None else set()
    # As full_clean: every problem at once, and a field that failed is not checked again for uniqueness.
    errors: dict[str, Any] = {}
    try:
        instance.clean_fields(exclude=unchanged | trusted)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    skip |= {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_unique(exclude=skip)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.validate_constraints(exclude=skip)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def model_create(
    model: type[M], *, actor: Actor, data: Mapping[str, Any], prepare: Any = None, after_save: Any = None
) -> M:
    """``prepare`` runs before validation (e.g. to place a tree node), ``after_save`` before the scope check
    (e.g. to add the many-to-many rows that decide who can see the new object)."""
    instance = model(**data)
    if prepare is not None:
        prepare(instance)
    validate(instance)
    instance.save()
    if after_save is not None:
        after_save(instance)
    require_still_in_scope(actor, instance)
    audit.record_create(actor, instance)
    return instance


@transaction.atomic
def model_update(instance: M, *, actor: Actor, data: Mapping[str, Any], checked: bool = False) -> tuple[M, bool]:
    """Set the given fields, validate, save only what changed and audit the difference. ``checked``: the caller
    already asserted that the actor may change this object."""
    if not checked:
        require_change(actor, instance)
    before = audit.raw_snapshot(instance)
    changed: list[str] = []
    for field, value in data.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    if not changed:
        return instance, False
    validate(instance, changed)
    update_fields = [instance._meta.get_field(f).name for f in changed]
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    require_still_in_scope(actor, instance, changed)
    audit.record_update(actor, instance, before)
    return instance, True


@transaction.atomic
def model_delete(instance: models.Model, *, actor: Actor) -> None:
    require_change(actor, instance)
    object_id = str(instance.pk)
    audit.record_delete(actor, instance, object_id)
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(_("“%(object)s” is still referred to by other records (for example a role's scope); "
                                "remove those first.") % {"object": instance},
                              code=CoreErrorCode.STILL_REFERRED) from exc
