"""Writing the audit trail. Services call these; nothing else writes AuditEvent rows."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .bulk import build_instances, bulk_insert
from .models import AuditAction, AuditEvent
from .permissions import Actor, signed_in

Snapshot = dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def raw_snapshot(instance: models.Model) -> Snapshot:
    """The audited fields with their real values. Used to find what changed; never stored."""
    excluded: set[str] = set(getattr(instance, "audit_excluded_fields", ())) | {"created_at", "updated_at"}
    return {
        field.name: _jsonable(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in excluded and not field.primary_key
    }


def _mask(instance: models.Model, data: Snapshot) -> Snapshot:
    masked: dict[str, Callable[[str], str]] = getattr(instance, "audit_masked_fields", {})
    return {k: masked[k](v or "") if k in masked else v for k, v in data.items()}


def snapshot(instance: models.Model) -> Snapshot:
    """The audited fields of an instance, as JSON-ready values with sensitive ones masked (safe to store)."""
    return _mask(instance, raw_snapshot(instance))


def diff(instance: models.Model, before_raw: Snapshot) -> dict[str, list[Any]]:
    """Changed fields, compared on the real values (a changed middle digit of a phone number counts) and stored
    masked."""
    after_raw = raw_snapshot(instance)
    changed = [k for k, v in after_raw.items() if before_raw.get(k) != v]
    old = _mask(instance, {k: before_raw.get(k) for k in changed})
    new = _mask(instance, {k: after_raw[k] for k in changed})
    return {k: [old[k], new[k]] for k in changed}


def _object_type(instance: models.Model) -> str:
    return instance._meta.label_lower


def record(
    *,
    actor: Actor | str,  # a str: the name tried at a failed login
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    if instance is not None:
        object_type = object_type or _object_type(instance)
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:255]
    user = None if isinstance(actor, str) else signed_in(actor)
    return AuditEvent.objects.create(
        actor=user,
        actor_name=(user.get_username() if user else str(actor or "system"))[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        changes=changes or {},
    )


def record_create(actor: Actor, instance: models.Model) -> AuditEvent:
    return record(actor=actor, action=AuditAction.CREATE, instance=instance, changes=snapshot(instance))


def record_update(actor: Actor, instance: models.Model, before_raw: Snapshot) -> AuditEvent | None:
    changes = diff(instance, before_raw)
    if not changes:
        return None
    return record(actor=actor, action=AuditAction.UPDATE, instance=instance, changes=changes)


def record_delete(actor: Actor, instance: models.Model, object_id: str) -> AuditEvent:
    return record(
        actor=actor, action=AuditAction.DELETE, instance=instance, object_id=object_id, changes=snapshot(instance)
    )


def snapshots(instances: Sequence[models.Model]) -> list[Snapshot]:
    """``snapshot`` of each of many instances of one model (bulk writes): the same values, masked the same way,
    with the field list and the masks looked up once instead of per instance."""
    if not instances:
        return []
    first = instances[0]
    excluded: set[str] = set(getattr(first, "audit_excluded_fields", ())) | {"created_at", "updated_at"}
    fields = [(f.name, f.attname) for f in first._meta.concrete_fields
              if f.name not in excluded and not f.primary_key]
    masked: dict[str, Callable[[str], str]] = getattr(first, "audit_masked_fields", {})
    plain = (str, int, bool)
    result = []
    for instance in instances:
        data: Snapshot = {}
        for name, attname in fields:
            value = getattr(instance, attname)
            if value is not None and type(value) not in plain:
                value = _jsonable(value)
            data[name] = masked[name](value or "") if name in masked else value
        result.append(data)
    return result


def record_many(*, actor: Actor, events: Iterable[tuple[str, models.Model, dict[str, Any]]]) -> int:
    """Write one event per (action, instance, changes) in a few multi-row INSERTs: the rows ``record`` would write
    one by one (bulk imports). Build ``changes`` with ``snapshot(s)`` / ``diff`` so that sensitive values are
    masked the same way. The events of one call share one timestamp."""
    user = signed_in(actor)
    actor_name = (user.get_username() if user else str(actor or "system"))[:150]
    now = timezone.now()
    rows = build_instances(AuditEvent, (
        {"timestamp": now, "actor_id": user.pk if user else None, "actor_name": actor_name, "action": action,
         "object_type": _object_type(instance), "object_id": str(instance.pk), "object_repr": str(instance)[:255],
         "changes": changes or {}}
        for action, instance, changes in events
    ))
    bulk_insert(rows, set_keys=False)
    return len(rows)
