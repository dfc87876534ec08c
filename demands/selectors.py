"""Reading demands: the scoped list, one case with its timeline, and what the viewer may do with it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from alliances.choices import AllianceStatus, MembershipStatus
from alliances.models import Alliance, Membership
from core.permissions import Action, Actor
from core.tree import ancestor_paths
from organizations.models import Organization, Person, Region, Unit

from .choices import SERVING_KINDS, RequesterKind
from .models import Demand, DemandCategory, DemandEvent, Resource


def demand_list(user: Any) -> QuerySet[Demand]:
    return Demand.objects.restrict(user).select_related("category", "region", "handler_organization")


def demand_detail_queryset(user: Any) -> QuerySet[Demand]:
    return demand_list(user).select_related("alliance", "workstream", "handler_person", "escalated_to",
                                            "created_by", "resource__organization").prefetch_related(
        Prefetch("events", DemandEvent.objects.select_related("actor", "organization")))


def pickable_handlers(actor: Actor, demand: Demand) -> QuerySet[Organization]:
    """Organizations a manager may hand the case to: those they see, and the alliance's active members."""
    q = Q(pk__in=Organization.objects.restrict(actor).values("pk")) if actor is not None else Q()
    if demand.alliance_id:
        q |= Q(pk__in=Membership.objects.filter(alliance_id=demand.alliance_id, status=MembershipStatus.ACTIVE)
               .values("organization"))
    return Organization.objects.filter(q)


def claimable_for(user: Any, demand: Demand) -> QuerySet[Organization]:
    """The user's organizations that are active members of the demand's alliance (they may claim it)."""
    if not demand.alliance_id:
        return Organization.objects.none()
    return Organization.objects.restrict(user, Action.CHANGE).filter(
        alliance_memberships__alliance_id=demand.alliance_id, alliance_memberships__status=MembershipStatus.ACTIVE)


def resource_list(user: Any) -> QuerySet[Resource]:
    return Resource.objects.restrict(user).select_related("organization", "region")


# Who the signed-in user speaks for ----------------------------------------------------------------------------------
# An enterprise contact's account is linked to its unit (``User.unit``), a member's to their person record: the demand
# form and the API fill in what the platform already knows instead of asking for it again.


def own_person(user: Any) -> Person | None:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person if isinstance(person, Person) else None


def own_unit(user: Any) -> Unit | None:
    """The unit the account speaks for: its own link, else its person's unit (a contact recorded with one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.unit_id:
        return user.unit
    person = own_person(user)
    return person.unit if person is not None and person.unit_id else None


def own_organization_ids(user: Any) -> list[int]:
    """The party organizations the user belongs to: their person's, and those of the unit they speak for."""
    ids: set[int] = set()
    person = own_person(user)
    if person is not None and person.organization_id:
        ids.add(person.organization_id)
    unit = own_unit(user)
    if unit is not None:
        ids.update(Organization.objects.filter(unit=unit).values_list("pk", flat=True))
    return sorted(ids)


def own_alliances(user: Any) -> QuerySet[Alliance]:
    """Active alliances of which the user's organization (see ``own_organization_ids``) is an active member."""
    organizations = own_organization_ids(user)
    if not organizations:
        return Alliance.objects.none()
    return Alliance.objects.filter(
        status=AllianceStatus.ACTIVE,
        pk__in=Membership.objects.filter(organization_id__in=organizations, status=MembershipStatus.ACTIVE)
        .values("alliance")).order_by("name")


def own_region(user: Any) -> Region | None:
    """Where the user's demands usually arise: their unit's region, else their organization's."""
    unit, person = own_unit(user), own_person(user)
    if unit is not None:
        return unit.region
    if person is not None and person.organization_id and person.organization is not None:
        return person.organization.region
    return None


def alliance_choices(user: Any) -> QuerySet[Alliance]:
    """The alliances offered on the demand form. Someone linked to a unit or an organization that belongs to
    alliances is offered those, the alliances they see and those spanning their region (a longer list would only
    hide them); anyone else every alliance (public facts)."""
    own = own_alliances(user)
    region = own_region(user)
    if region is None and not own.exists():
        return Alliance.objects.order_by("name")
    q = Q(pk__in=own.values("pk")) | Q(pk__in=Alliance.objects.restrict(user).values("pk"))
    if region is not None:
        q |= Q(status=AllianceStatus.ACTIVE, region_links__region__path__in=[*ancestor_paths(region.path),
                                                                             region.path])
    return Alliance.objects.filter(q).distinct().order_by("name")


def requester_defaults(user: Any) -> dict[str, Any]:
    """What a demand raised by ``user`` says of its requester when they do not say otherwise: the unit an
    enterprise contact speaks for (or the member's person record), its name, the contact's name and phone, the
    region and — when there is exactly one — the alliance. Empty for an account linked to neither."""
    if not getattr(user, "is_authenticated", False):
        return {}
    unit, person = own_unit(user), own_person(user)
    values: dict[str, Any] = {}
    if user.unit_id and unit is not None:  # an enterprise contact speaks for the unit, not for themselves
        values.update(requester_kind=RequesterKind.UNIT, requester_unit=unit, requester_name=unit.name,
                      region=unit.region)
    elif person is not None:
        values.update(requester_kind=RequesterKind.PERSON, requester_person=person, requester_name=person.name,
                      region=own_region(user))
    else:
        return {}
    values["contact_name"] = (user.display_name or (person.name if person is not None else "") or user.username)[:50]
    values["contact_phone"] = person.phone if person is not None else ""  # decrypted: it is the user's own
    alliances = list(own_alliances(user)[:2])
    if len(alliances) == 1:
        values["alliance"] = alliances[0]
    return {k: v for k, v in values.items() if v not in (None, "")}


def requester_links(user: Any, kind: str) -> dict[str, Any]:
    """The unit or person record a demand of ``kind`` raised by ``user`` is linked to (what they speak for)."""
    defaults = requester_defaults(user)
    if defaults.get("requester_kind") != kind:
        return {}
    return {f: defaults[f] for f in ("requester_unit", "requester_person") if f in defaults}


def category_for_kind(kind: str) -> DemandCategory | None:
    """The category of demand a kind of resource usually serves (the first listed in ``SERVING_KINDS``)."""
    codes = [code for code, kinds in SERVING_KINDS.items() if kinds and kinds[0] == kind]
    codes += [code for code, kinds in SERVING_KINDS.items() if kind in kinds]
    return DemandCategory.objects.filter(code=codes[0], is_active=True).first() if codes else None


def request_defaults(resource: Resource, defaults: dict[str, Any]) -> dict[str, Any]:
    """What a demand asking for ``resource`` ("Request this resource") starts from, beside the requester's
    defaults: the resource itself, a title naming it, the category it serves and its alliance."""
    values: dict[str, Any] = {"resource": resource.pk,
                              "title": _("Request: %(resource)s") % {"resource": resource.title}}
    category = category_for_kind(resource.kind)
    if category is not None:
        values["category"] = category
    if resource.alliance_id:
        values["alliance"] = resource.alliance_id
    if "region" not in defaults:
        values["region"] = resource.region_id
    return values


def raised_by_q(user: Any) -> Q:
    """Demands the user raised ("mine"): recorded by them, raised by their person record or by the unit they speak
    for (the enterprise's colleagues see its cases: ``models._raised_by_my_unit``)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(created_by_id=user.pk)
    person = own_person(user)
    if person is not None:
        q |= Q(requester_person_id=person.pk)
    unit_id = user.unit_id or (person.unit_id if person is not None else None)
    if unit_id:
        q |= Q(requester_unit_id=unit_id)
    return q
