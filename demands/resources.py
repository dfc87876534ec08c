"""Resources (资源): offered, changed, withdrawn and offered again. Every write is scoped, validated and audited;
the matching index follows the change once it has committed (see ``recommend``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Action, Actor, can, signed_in
from core.services import model_create, model_update

from .choices import ResourceStatus
from .models import Resource

RESOURCE_FIELDS = ("title", "description", "kind", "organization", "provider_kind", "provider_name",
                   "provider_unit", "region", "alliance", "capacity", "capacity_note", "available_from",
                   "available_until", "terms", "contact_name", "contact_phone")


def _check_alliance(actor: Actor, values: Mapping[str, Any]) -> None:
    alliance = values.get("alliance")
    if alliance is not None and actor is not None and not can(actor, Action.VIEW, alliance):
        raise ValidationError({"alliance": _("Choose an alliance you belong to.")})


@transaction.atomic
def resource_create(*, actor: Actor, data: Mapping[str, Any]) -> Resource:
    values = {f: data[f] for f in RESOURCE_FIELDS if f in data}
    _check_alliance(actor, values)
    creator = signed_in(actor)
    return model_create(Resource, actor=actor, data={**values, "created_by": creator})


@transaction.atomic
def resource_update(*, actor: Actor, resource: Resource, data: Mapping[str, Any]) -> Resource:
    values = {f: data[f] for f in RESOURCE_FIELDS if f in data}
    if "alliance" in values and values["alliance"] != resource.alliance:
        _check_alliance(actor, values)
    resource, _changed = model_update(resource, actor=actor, data=values)
    return resource


@transaction.atomic
def resource_withdraw(*, actor: Actor, resource: Resource, reason: str = "") -> Resource:
    """No longer offered: it leaves the recommendations at once; what it served keeps its history."""
    if resource.status == ResourceStatus.WITHDRAWN:
        raise ValidationError(_("This resource is already withdrawn."))
    resource, _changed = model_update(resource, actor=actor, data={
        "status": ResourceStatus.WITHDRAWN, "withdrawn_at": timezone.now(),
        "withdraw_reason": (reason or "").strip()[:500]})
    return resource


@transaction.atomic
def resource_restore(*, actor: Actor, resource: Resource) -> Resource:
    if resource.status == ResourceStatus.ACTIVE:
        raise ValidationError(_("This resource is already offered."))
    resource, _changed = model_update(resource, actor=actor, data={
        "status": ResourceStatus.ACTIVE, "withdrawn_at": None, "withdraw_reason": ""})
    return resource
