"""Generic write helpers used by the domain services: validate, save, audit — in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from . import audit

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def model_create(model: type[M], *, actor: Any, data: Mapping[str, Any], prepare: Any = None) -> M:
    instance = model(**data)
    if prepare is not None:
        prepare(instance)
    instance.full_clean()
    instance.save()
    audit.record_create(actor, instance)
    return instance


@transaction.atomic
def model_update(instance: M, *, actor: Any, data: Mapping[str, Any]) -> tuple[M, bool]:
    """Set the given fields, validate, save only what changed and audit the difference."""
    before = audit.snapshot(instance)
    changed: list[str] = []
    for field, value in data.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    if not changed:
        return instance, False
    instance.full_clean()
    update_fields = [instance._meta.get_field(f).name for f in changed]
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    audit.record_update(actor, instance, before)
    return instance, True


@transaction.atomic
def model_delete(instance: models.Model, *, actor: Any) -> None:
    object_id = str(instance.pk)
    audit.record_delete(actor, instance, object_id)
    instance.delete()
