"""The demand workflow (诉求联解). Every step locks the case, checks who may take it and from which status, writes
one timeline event, sets or clears the deadlines, and is audited. A refusal names the current status.

    submitted ─accept→ accepted ─assign/claim→ assigned ─start→ in progress ─resolve→ resolved ─rate→ closed
        ├─decline→ declined                                                               └─low rating→ review
        └─withdraw (by the requester)→ withdrawn
    review ─assign (to someone else) or start (again)→ …
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from alliances.choices import MembershipStatus
from core import audit
from core.models import AuditAction
from core.permissions import Action, Actor, can, signed_in
from core.services import validate
from organizations.models import Organization, Person
from organizations.visibility import prepare_reach, reach_fields_to_save

from . import events, notices, selectors, workdays
from .choices import DeadlineKind, DemandStatus, RequesterKind, ResourceStatus
from .error_codes import DemandErrorCode
from .models import DeadlineTier, Demand, DemandCategory, DemandEvent, Resource
from .selectors import pickable_handlers

DEMAND_FIELDS = ("title", "description", "category", "urgency", "region", "alliance", "workstream",
                 "requester_kind", "requester_name", "requester_unit", "requester_organization", "requester_person",
                 "contact_name", "contact_phone", "on_behalf", "resource")

STEP_LABELS = {  # completes "it cannot be …"
    "accept": pgettext_lazy("demand step", "accepted"),
    "decline": pgettext_lazy("demand step", "declined"),
    "assign": pgettext_lazy("demand step", "assigned"),
    "claim": pgettext_lazy("demand step", "claimed"),
    "start": pgettext_lazy("demand step", "started"),
    "resolve": pgettext_lazy("demand step", "resolved"),
    "rate": pgettext_lazy("demand step", "rated"),
    "withdraw": pgettext_lazy("demand step", "withdrawn by its requester"),
}

ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "accept": (DemandStatus.SUBMITTED,),
    "decline": (DemandStatus.SUBMITTED,),
    "assign": (DemandStatus.ACCEPTED, DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS, DemandStatus.REVIEW),
    "claim": (DemandStatus.ACCEPTED,),
    "start": (DemandStatus.ASSIGNED, DemandStatus.REVIEW),
    "resolve": (DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS, DemandStatus.REVIEW),
    "rate": (DemandStatus.RESOLVED,),
    # Until somebody took the case on: after that, the handlers' work is closed by rating, not by withdrawing.
    "withdraw": (DemandStatus.SUBMITTED,),
}


# Deadlines -----------------------------------------------------------------------------------------------------


def tier_for(category: DemandCategory, urgency: str) -> DeadlineTier:
    """The most specific tier: category and urgency, category, urgency, then the default."""
    tiers = {(t.category_id, t.urgency): t
             for t in DeadlineTier.objects.filter(Q(category=category) | Q(category__isnull=True))}
    for key in ((category.pk, urgency), (category.pk, ""), (None, urgency), (None, "")):
        if key in tiers:
            return tiers[key]
    return DeadlineTier(accept_days=settings.DEMAND_DEFAULT_ACCEPT_DAYS,
                        resolve_days=settings.DEMAND_DEFAULT_RESOLVE_DAYS)


def _marks(value: str, kind: str, add: bool) -> str:
    marks = set(value.split())
    if add:
        marks.add(kind)
    else:
        marks.discard(kind)
    return " ".join(sorted(marks))


# Permissions -----------------------------------------------------------------------------------------------------


def may_manage(actor: Actor, demand: Demand) -> bool:
    """Staff of the demand's region (or above) and the alliance's administrators accept, decline and assign."""
    return actor is None or can(actor, Action.CHANGE, demand)


def may_handle(actor: Actor, demand: Demand) -> bool:
    """The handler: whoever may change the handler organization, the handler person, and the managers."""
    if actor is None or may_manage(actor, demand):
        return True
    if demand.handler_person_id and getattr(getattr(actor, "person", None), "pk", None) == demand.handler_person_id:
        return True
    return bool(demand.handler_organization_id and demand.handler_organization is not None
                and can(actor, Action.CHANGE, demand.handler_organization))


def is_requester(actor: Actor, demand: Demand) -> bool:
    """Whoever raised or recorded it (``None``, the system, records ratings collected on the requester's behalf)."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    person = getattr(actor, "person", None)
    return demand.created_by_id == actor.pk or bool(person and demand.requester_person_id == person.pk)


# Writing -------------------------------------------------------------------------------------------------------


def _locked(demand: Demand, step: str, allowed: Any = None, message: str = "",
            code: str = DemandErrorCode.STEP_NOT_ALLOWED) -> Demand:
    """The case, locked and fresh; then who may take the step (``allowed(current)``) and from which status
    (``code``: the error code of a refusal for the status)."""
    current = (Demand.objects.select_for_update(of=("self",))
               .select_related("handler_organization", "category", "region", "created_by", "requester_person__user",
                                  "handler_person__user").get(pk=demand.pk))
    if allowed is not None and not allowed(current):
        raise PermissionDenied(message)
    if current.status not in ALLOWED_FROM[step]:
        raise ValidationError(_("This demand is “%(status)s”; it cannot be %(step)s.")
                              % {"status": current.get_status_display(), "step": STEP_LABELS[step]},
                              code=code)
    return current


def _save(actor: Actor, demand: Demand, before: dict[str, Any], fields: Mapping[str, Any]) -> Demand:
    for name, value in fields.items():
        setattr(demand, name, value)
    validate(demand, fields.keys())
    demand.save(update_fields=[*fields, "updated_at", *reach_fields_to_save(demand, fields)])
    audit.record_update(actor, demand, before)
    return demand


def _step(actor: Actor, demand: Demand, step: str, event: events.StepEvent, fields: Mapping[str, Any], *,
          note: str = "", organization: Organization | None = None, at: dt.datetime | None = None) -> Demand:
    before_status = demand.status
    before = audit.raw_snapshot(demand)
    demand = _save(actor, demand, before, fields)
    notices.step(demand, event(demand, actor, before=before_status, note=note, organization=organization, at=at))
    return demand


def _own_link(actor: Actor, field: str, linked: Any) -> bool:
    """An enterprise contact names their own unit and a member their own person record, though no role shows
    them (read only when such a link is given)."""
    if field == "requester_unit":
        return getattr(actor, "unit_id", None) == linked.pk or linked == selectors.own_unit(actor)
    return field == "requester_person" and linked == selectors.own_person(actor)


@transaction.atomic
def demand_submit(*, actor: Actor, data: Mapping[str, Any], now: dt.datetime | None = None) -> Demand:
    """Raise a demand (or record one on someone's behalf). The accept-by deadline starts now."""
    now = now or timezone.now()
    values = {f: data[f] for f in DEMAND_FIELDS if f in data}
    alliance, region = values.get("alliance"), values.get("region")
    if alliance is not None and actor is not None and not can(actor, Action.VIEW, alliance) and not (
            region is not None and any(region.path.startswith(r.path) for r in alliance.regions.all())) and not (
            selectors.own_alliances(actor).filter(pk=alliance.pk).exists()):
        raise ValidationError({"alliance": _("Choose an alliance of the demand's region.")})
    for field in ("requester_organization", "requester_person", "requester_unit"):
        linked = values.get(field)
        if linked is not None and actor is not None and not _own_link(actor, field, linked) and not can(
                actor, Action.VIEW, linked):
            raise ValidationError({field: _("Choose from the list.")})
    if values.get("requester_kind") not in RequesterKind.values:
        raise ValidationError({"requester_kind": _("Say who raised the demand.")})
    resource = values.get("resource")
    if resource is not None and (resource.status != ResourceStatus.ACTIVE or (actor is not None and not (
            Resource.objects.restrict(actor).filter(pk=resource.pk).exists()))):
        raise ValidationError({"resource": ValidationError(_("This resource is no longer offered to you."),
                                                           code=DemandErrorCode.RESOURCE_NOT_AVAILABLE)})
    tier = tier_for(values["category"], values.get("urgency") or "normal")
    creator = signed_in(actor)
    # Not ``model_create``: whoever raises a demand need not be able to manage it (they keep seeing it as its
    # requester).
    demand = Demand(**values, created_by=creator, status=DemandStatus.SUBMITTED,
                    accept_due=workdays.deadline(now, tier.accept_days))
    validate(demand)
    prepare_reach(demand)
    demand.save()
    audit.record_create(actor, demand)
    # The case's history is shared by everyone: the note is in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        note = (_("Requested the resource “%(resource)s” from the catalogue.") % {"resource": resource}
                if resource is not None else "")
    notices.submitted(demand, events.submitted(demand, actor, at=now, note=note))
    return demand


@transaction.atomic
def demand_accept(*, actor: Actor, demand: Demand, open_for_claim: bool = False, note: str = "",
                  now: dt.datetime | None = None) -> Demand:
    """Take the case on; the resolve-by deadline starts. ``open_for_claim`` lets the alliance's members claim it."""
    demand = _locked(demand, "accept", lambda d: may_manage(actor, d),
                     _("Only the staff of the demand's region and its alliance's administrators may "
                                 "accept it."))
    now = now or timezone.now()
    if open_for_claim and not demand.alliance_id:
        raise ValidationError({"open_for_claim": _("Only a demand linked to an alliance can be opened for "
                                                   "claiming by its members.")})
    tier = tier_for(demand.category, demand.urgency)
    return _step(actor, demand, "accept", events.accepted, {
        "status": DemandStatus.ACCEPTED, "accepted_at": now, "open_for_claim": open_for_claim,
        "resolve_due": workdays.deadline(now, tier.resolve_days)}, note=note)


@transaction.atomic
def demand_decline(*, actor: Actor, demand: Demand, reason: str) -> Demand:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; the requester will read it.")})
    demand = _locked(demand, "decline", lambda d: may_manage(actor, d),
                     _("Only the staff of the demand's region and its alliance's administrators may "
                                 "decline it."))
    return _step(actor, demand, "decline", events.declined, {
        "status": DemandStatus.DECLINED, "decline_reason": reason, "closed_at": timezone.now()}, note=reason)


@transaction.atomic
def demand_assign(*, actor: Actor, demand: Demand, organization: Organization, person: Person | None = None,
                  note: str = "", via: Resource | None = None) -> Demand:
    """Hand the case to an organization (and optionally a person in it); also a reassignment. ``via``: a resource
    the manager sees, whose offering organization may take the case even from outside their own list."""
    demand = _locked(demand, "assign", lambda d: may_manage(actor, d),
                     _("Only the staff of the demand's region and its alliance's administrators may "
                                 "assign it."))
    offered_by = via is not None and via.organization_id == organization.pk and (
        actor is None or Resource.objects.restrict(actor).filter(pk=via.pk).exists())
    if not offered_by and not pickable_handlers(actor, demand).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("Choose an organization from the list.")})
    if person is not None and person.organization_id != organization.pk:
        raise ValidationError({"person": _("The handler must belong to the handler organization.")})
    if demand.handler_organization_id == organization.pk and demand.handler_person_id == (person.pk if person
                                                                                          else None):
        raise ValidationError({"organization": _("The case is already with %(org)s.") % {"org": organization}})
    return _step(actor, demand, "assign", events.assigned, {
        "status": DemandStatus.ASSIGNED, "handler_organization": organization, "handler_person": person,
        "claimed": False, "open_for_claim": False}, note=note, organization=organization)


@transaction.atomic
def demand_claim(*, actor: Actor, demand: Demand, organization: Organization) -> Demand:
    """A member organization of the alliance takes an accepted case open for claiming (认领)."""
    if actor is not None and not can(actor, Action.CHANGE, organization):
        raise PermissionDenied(_("You may claim only for an organization you are responsible for."))
    demand = _locked(demand, "claim")
    if not demand.open_for_claim:
        raise ValidationError(_("This demand is not open for claiming."))
    if not demand.alliance or not demand.alliance.memberships.filter(
            organization=organization, status=MembershipStatus.ACTIVE).exists():
        raise ValidationError({"organization": _("Only member organizations of the alliance may claim it.")})
    return _step(actor, demand, "claim", events.claimed, {
        "status": DemandStatus.ASSIGNED, "handler_organization": organization, "handler_person": None,
        "claimed": True, "open_for_claim": False}, organization=organization)


@transaction.atomic
def demand_start(*, actor: Actor, demand: Demand, note: str = "") -> Demand:
    demand = _locked(demand, "start", lambda d: may_handle(actor, d),
                     _("Only the handler may work on this demand."))
    return _step(actor, demand, "start", events.started, {"status": DemandStatus.IN_PROGRESS}, note=note)


@transaction.atomic
def demand_resolve(*, actor: Actor, demand: Demand, resolution: str, now: dt.datetime | None = None) -> Demand:
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say how the demand was resolved; the requester will read it.")})
    demand = _locked(demand, "resolve", lambda d: may_handle(actor, d),
                     _("Only the handler may resolve this demand."))
    return _step(actor, demand, "resolve", events.resolved, {
        "status": DemandStatus.RESOLVED, "resolution": resolution, "resolved_at": now or timezone.now()},
        note=resolution)


@transaction.atomic
def demand_rate(*, actor: Actor, demand: Demand, rating: int, comment: str = "",
                now: dt.datetime | None = None) -> Demand:
    """The requester rates the result (1–5). A rating at or below ``DEMAND_LOW_RATING`` reopens the case for
    review with a new resolve-by deadline; otherwise the case is closed."""
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Rate from 1 (very dissatisfied) to 5 (very satisfied).")})
    demand = _locked(demand, "rate", lambda d: is_requester(actor, d),
                     _("Only whoever raised the demand may rate the result."))
    now = now or timezone.now()
    comment = (comment or "").strip()
    if int(rating) <= settings.DEMAND_LOW_RATING:
        if not comment:
            raise ValidationError({"comment": _("Say what is still wrong, so the case can be reviewed.")})
        tier = tier_for(demand.category, demand.urgency)
        demand = _step(actor, demand, "rate", events.rated, {
            # the result was not accepted: the case is no longer resolved (the timeline keeps the earlier result)
            "status": DemandStatus.REVIEW, "rating": rating, "rating_comment": comment, "resolved_at": None,
            "resolve_due": workdays.deadline(now, tier.resolve_days),
            "reminded": _marks(demand.reminded, DeadlineKind.RESOLVE, False),
            "escalated": _marks(demand.escalated, DeadlineKind.RESOLVE, False)}, note=comment, at=now)
        events.reopened(demand, at=now)
        return demand
    return _step(actor, demand, "rate", events.rated, {
        "status": DemandStatus.CLOSED, "rating": rating, "rating_comment": comment, "closed_at": now}, note=comment)


@transaction.atomic
def demand_withdraw(*, actor: Actor, demand: Demand, reason: str = "", now: dt.datetime | None = None) -> Demand:
    """The requester takes the case back before anyone accepted it (the problem went away, or was raised twice).
    The managers are told; the case is finished and no deadline runs."""
    demand = _locked(demand, "withdraw", lambda d: is_requester(actor, d),
                     _("Only whoever raised the demand may withdraw it."), code=DemandErrorCode.WITHDRAW_TOO_LATE)
    return _step(actor, demand, "withdraw", events.withdrawn, {
        "status": DemandStatus.WITHDRAWN, "closed_at": now or timezone.now()}, note=(reason or "").strip(), at=now)


@transaction.atomic
def demand_comment(*, actor: Actor, demand: Demand, note: str) -> DemandEvent:
    """A comment on the timeline, by anyone who may see the case (the requester included)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write the comment.")})
    if actor is not None and not can(actor, Action.VIEW, demand):
        raise PermissionDenied
    event = events.commented(demand, actor, note=note)
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=demand, changes={"comment": note[:200]})
    notices.commented(demand, event)
    return event
