"""Writes for regions, units, organizations and people. Each runs in one transaction and is audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from core import audit, authz_cache, derived
from core.models import AuditAction
from core.permissions import Action, Actor, Scope, can
from core.services import model_create, model_delete, model_update, require_change, require_still_in_scope
from core.tree import move_subtree, place_node

from .choices import SECTOR_FOR_UNIT_KIND, PersonKind
from .models import Organization, Person, Position, Region, RegionTally, Unit


def _require(user: Any, action: Action, instance: Any, message: str) -> None:
    if user is not None and not can(user, action, instance):
        raise PermissionDenied(message)


# Regions ---------------------------------------------------------------------------------------------------


def region_create(*, actor: Actor, data: Mapping[str, Any]) -> Region:
    return model_create(Region, actor=actor, data=data, prepare=place_node)


def region_update(*, actor: Actor, region: Region, data: Mapping[str, Any]) -> Region:
    return model_update(region, actor=actor, data=data)[0]


# Units ---------------------------------------------------------------------------------------------------------


def _unit_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "credit_code" in values:
        code = (values["credit_code"] or "").strip().upper()
        if code and (len(code) != 18 or not code.isalnum()):
            raise ValidationError({"credit_code": _("A unified social credit code has 18 letters and digits.")})
        values["credit_code"] = code or None
    return values


def unit_create(*, actor: Actor, data: Mapping[str, Any]) -> Unit:
    return model_create(Unit, actor=actor, data=_unit_values(data))


def unit_update(*, actor: Actor, unit: Unit, data: Mapping[str, Any]) -> Unit:
    return model_update(unit, actor=actor, data=_unit_values(data))[0]


@transaction.atomic
def unit_delete(*, actor: Actor, unit: Unit) -> None:
    require_change(actor, unit)
    if unit.organizations.exists() or unit.people.exists():
        raise ValidationError(_("This unit still hosts organizations or people; move or delete them first."))
    model_delete(unit, actor=actor)


# Organizations -----------------------------------------------------------------------------------------------------


def _organization_defaults(data: dict[str, Any]) -> dict[str, Any]:
    if "code" in data:
        data["code"] = (data["code"] or "").strip() or None  # empty codes must not collide as ""
    unit = data.get("unit")
    if not data.get("sector") and unit is not None:
        sector = SECTOR_FOR_UNIT_KIND.get(unit.kind)
        if sector:
            data["sector"] = sector
    return data


def organization_create(*, actor: Actor, data: Mapping[str, Any]) -> Organization:
    """Create an organization under ``data['parent']`` (or as a root). The actor must be able to change the
    parent, or — for a root — hold the region in their change scope."""
    values = _organization_defaults(dict(data))
    parent = values.get("parent")
    if actor is not None:
        if parent is not None:
            _require(actor, Action.CHANGE, parent, _("You may not add organizations under this one."))
        else:
            region = values.get("region")
            if region is None or not can(actor, Action.CHANGE, region):
                raise PermissionDenied(_("Only staff responsible for the region may create top-level organizations."))
    with transaction.atomic():
        organization = model_create(Organization, actor=actor, data=values, prepare=place_node)
        _tally(organization.region_id, organization.sector, organizations=+1)
    return organization


def organization_update(*, actor: Actor, organization: Organization, data: Mapping[str, Any]) -> Organization:
    values = dict(data)
    new_parent = values.pop("parent", organization.parent)
    with transaction.atomic():
        before = (organization.region_id, organization.sector)
        organization, _changed = model_update(organization, actor=actor, data=_organization_defaults(values))
        if before != (organization.region_id, organization.sector):
            members = Organization.objects.filter(pk=organization.pk).values_list("member_count", flat=True)[0]
            _tally(*before, organizations=-1, members=-members)
            _tally(organization.region_id, organization.sector, organizations=+1, members=+members)
        if before[0] != organization.region_id:
            derived.bulk_written(Organization, moved=Scope(org_ids=(organization.pk,)))
        if new_parent != organization.parent:
            organization_move(actor=actor, organization=organization, new_parent=new_parent)
    return organization


@transaction.atomic
def organization_move(*, actor: Actor, organization: Organization, new_parent: Organization | None) -> Organization:
    require_change(actor, organization)
    if new_parent is not None:
        _require(actor, Action.CHANGE, new_parent, _("You may not move organizations under this one."))
    elif actor is not None and not can(actor, Action.CHANGE, organization.region):
        raise PermissionDenied(_("Only staff responsible for the region may create top-level organizations."))
    old_parent = organization.parent
    old_path = move_subtree(organization, new_parent)
    if old_path is not None:  # every path of the subtree changed: what was kept by the old ones is refreshed
        derived.bulk_written(Organization, moved=Scope(org_paths=(old_path,)))
    require_still_in_scope(actor, organization)
    audit.record(
        actor=actor,
        action=AuditAction.MOVE,
        instance=organization,
        changes={"parent": [old_parent.pk if old_parent else None, new_parent.pk if new_parent else None]},
    )
    return organization


@transaction.atomic
def organization_delete(*, actor: Actor, organization: Organization) -> None:
    require_change(actor, organization)
    if RoleAssignment.objects.filter(organization=organization).exists():
        raise ValidationError(_("Users hold roles scoped to this organization; change their roles first."))
    if organization.children.exists():
        raise ValidationError(_("This organization still has sub-organizations; move or delete them first."))
    if organization.people.exists():
        raise ValidationError(_("This organization still has members; transfer them first."))
    _tally(organization.region_id, organization.sector, organizations=-1)
    pk = organization.pk
    model_delete(organization, actor=actor)
    derived.bulk_written(Organization, moved=Scope(org_ids=(pk,)))


# People --------------------------------------------------------------------------------------------------------------


def keep_member_counts(change: derived.BulkWrite) -> None:
    """``core.derived`` keeper: members added or removed in bulk move the counts and tallies once."""
    if change.member_deltas:
        adjust_member_counts(change.member_deltas)


def adjust_member_counts(deltas: Mapping[int, int]) -> None:
    """Apply member-count changes {organization id: +/- n} to the denormalized counts (each organization's
    ``member_count`` and the regional tallies), in the caller's transaction. Every write that adds, removes or
    moves members goes through here (bulk imports included)."""
    deltas = {pk: delta for pk, delta in deltas.items() if delta}
    if not deltas:
        return
    authz_cache.invalidate()  # the cached totals of every scope (selectors.scope_totals)
    by_key: dict[tuple[int, str], int] = defaultdict(int)
    for pk, region_id, sector in Organization.objects.filter(pk__in=deltas).values_list("pk", "region_id", "sector"):
        by_key[(region_id, sector)] += deltas[pk]
    for organization_id, delta in deltas.items():
        Organization.objects.filter(pk=organization_id).update(member_count=F("member_count") + delta)
    for (region_id, sector), delta in by_key.items():
        _tally(region_id, sector, members=delta)


def _tally(region_id: int, sector: str, *, organizations: int = 0, members: int = 0) -> None:
    """Add to one regional tally; the row is created on first use (safe against a concurrent creation)."""
    if not (organizations or members):
        return
    authz_cache.invalidate()  # the cached totals of every scope (selectors.scope_totals)
    RegionTally.objects.bulk_create([RegionTally(region_id=region_id, sector=sector)], ignore_conflicts=True)
    RegionTally.objects.filter(region_id=region_id, sector=sector).update(
        organizations=F("organizations") + organizations, members=F("members") + members
    )


def rebuild_region_tallies() -> int:
    """Recompute every regional tally from the organizations table (repair, and after loading data in bulk).
    Returns the number of tallies written."""
    live = (Organization.objects.order_by().values("region_id", "sector")
            .annotate(n=Count("id"), m=Coalesce(Sum("member_count"), 0)))
    with transaction.atomic():
        authz_cache.invalidate()
        RegionTally.objects.all().delete()
        return len(RegionTally.objects.bulk_create(
            [RegionTally(region_id=row["region_id"], sector=row["sector"], organizations=row["n"], members=row["m"])
             for row in live], batch_size=2000))


def _adjust_member_count(organization_id: int | None, delta: int) -> None:
    if organization_id:
        adjust_member_counts({organization_id: delta})


def _counts(person: Person) -> bool:
    return person.kind == PersonKind.MEMBER and person.organization_id is not None


def _check_unique_id_number(id_number: str, exclude_pk: int | None = None) -> None:
    if not id_number:
        return
    others = Person.objects.with_id_number(id_number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"id_number": _("A person with this ID number is already registered.")})


@transaction.atomic
def person_create(*, actor: Actor, data: Mapping[str, Any]) -> Person:
    organization = data.get("organization")
    if actor is not None and organization is not None:
        _require(actor, Action.CHANGE, organization, _("You may not add people to this organization."))
    _check_unique_id_number(data.get("id_number", ""))
    person = model_create(Person, actor=actor, data=data)
    if _counts(person):
        _adjust_member_count(person.organization_id, +1)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, data: Mapping[str, Any]) -> Person:
    new_org = data.get("organization", person.organization)
    if actor is not None and new_org is not None and new_org != person.organization:
        _require(actor, Action.CHANGE, new_org, _("You may not transfer people to this organization."))
    if "id_number" in data:
        _check_unique_id_number(data["id_number"], exclude_pk=person.pk)
    before = (_counts(person), person.organization_id)
    person, _changed = model_update(person, actor=actor, data=data)
    after = (_counts(person), person.organization_id)
    if before != after:
        if before[0]:
            _adjust_member_count(before[1], -1)
        if after[0]:
            _adjust_member_count(after[1], +1)
    return person


@transaction.atomic
def person_delete(*, actor: Actor, person: Person) -> None:
    if _counts(person):
        _adjust_member_count(person.organization_id, -1)
    model_delete(person, actor=actor)


def position_create(*, actor: Actor, data: Mapping[str, Any]) -> Position:
    organization = data.get("organization")
    if actor is not None and organization is not None:
        _require(actor, Action.CHANGE, organization, _("You may not record posts in this organization."))
    return model_create(Position, actor=actor, data=data)


def person_reveal(*, actor: Actor, person: Person) -> dict[str, str]:
    """Return the person's ID and phone numbers in clear, for a user who holds the reveal permission, and audit
    that they were read."""
    _require(actor, Action.REVEAL, person, _("You may not view this person's sensitive data."))
    audit.record(
        actor=actor, action=AuditAction.REVEAL, instance=person, changes={"fields": ["id_number", "phone"]}
    )
    return {"id_number": person.id_number, "phone": person.phone}


def recount_members(organization_ids: list[int] | None = None) -> int:
    """Recompute the denormalized member counts from the people table (repair); the regional tallies follow
    through ``adjust_member_counts``. Returns how many organizations were off."""
    orgs = Organization.objects.all()
    if organization_ids is not None:
        orgs = orgs.filter(pk__in=organization_ids)
    live = orgs.annotate(live=Count("people", filter=Q(people__kind=PersonKind.MEMBER))).values_list(
        "pk", "live", "member_count"
    )
    deltas = {pk: count - stored for pk, count, stored in live.iterator(chunk_size=2000) if count != stored}
    with transaction.atomic():
        adjust_member_counts(deltas)
    return len(deltas)
