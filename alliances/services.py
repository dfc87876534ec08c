"""Alliance writes: creation with the default workstreams, organizers, and the membership workflow
(apply → approve/refuse, invite → accept/decline, leave). Every step is atomic and audited; illegal steps are
refused with a clear message and write nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.models import AuditAction
from core.permissions import Action, Actor, can, runs_regions
from core.services import model_create, model_delete, model_update
from organizations.models import Organization, Region

from . import notices
from .choices import DEFAULT_WORKSTREAMS, OPEN_STATUSES, MemberRole, MembershipStatus
from .error_codes import AllianceErrorCode
from .models import Alliance, AllianceRegion, Membership, Organizer, Workstream


def _require(actor: Actor, action: Action, instance: Any, message: str) -> None:
    if actor is not None and not can(actor, action, instance):
        raise PermissionDenied(message)


def _require_alliance_manager(actor: Actor, alliance: Alliance) -> None:
    _require(actor, Action.CHANGE, alliance, _("Only the alliance's administrators may do this."))


def _require_organization_side(actor: Actor, organization: Organization) -> None:
    _require(actor, Action.CHANGE, organization, _("Only the organization's secretary or staff may do this."))


# Alliances -----------------------------------------------------------------------------------------------------


@transaction.atomic
def alliance_create(*, actor: Actor, data: Mapping[str, Any], regions: Iterable[Region]) -> Alliance:
    """Create an alliance spanning ``regions`` (at least one) with the four default workstreams."""
    regions = list(regions)
    if not regions:
        raise ValidationError({"regions": _("Choose at least one region the alliance spans.")})
    if actor is not None and not (runs_regions(actor) and any(can(actor, Action.CHANGE, r) for r in regions)):
        parent = data.get("parent")
        if parent is None or not can(actor, Action.CHANGE, parent):
            raise PermissionDenied(_("Alliances are founded by the organization department of a region you are "
                                     "responsible for."))
    alliance = model_create(Alliance, actor=actor, data=data,
                            after_save=lambda created: _set_regions(created, regions))
    for position, (code, name) in enumerate(DEFAULT_WORKSTREAMS):
        Workstream.objects.create(alliance=alliance, code=code, name=str(name), position=position)
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=alliance,
                 changes={"regions": [None, [r.pk for r in regions]],
                          "workstreams": [None, [code for code, _name in DEFAULT_WORKSTREAMS]]})
    return alliance


def _set_regions(alliance: Alliance, regions: list[Region]) -> None:
    AllianceRegion.objects.filter(alliance=alliance).exclude(region__in=regions).delete()
    existing = set(AllianceRegion.objects.filter(alliance=alliance).values_list("region_id", flat=True))
    AllianceRegion.objects.bulk_create(
        [AllianceRegion(alliance=alliance, region=r) for r in regions if r.pk not in existing]
    )


@transaction.atomic
def alliance_update(*, actor: Actor, alliance: Alliance, data: Mapping[str, Any],
                    regions: Iterable[Region] | None = None) -> Alliance:
    _require_alliance_manager(actor, alliance)
    values = dict(data)
    parent = values.get("parent")
    if parent is not None and _is_descendant_or_self(parent, alliance):
        raise ValidationError({"parent": _("An alliance cannot be nested under itself or its own sub-alliance.")})
    alliance, _changed = model_update(alliance, actor=actor, data=values)
    if regions is not None:
        regions = list(regions)
        if not regions:
            raise ValidationError({"regions": _("Choose at least one region the alliance spans.")})
        before = sorted(alliance.region_links.values_list("region_id", flat=True))
        _set_regions(alliance, regions)
        after = sorted(r.pk for r in regions)
        if before != after:
            audit.record(actor=actor, action=AuditAction.UPDATE, instance=alliance,
                         changes={"regions": [before, after]})
    return alliance


def _is_descendant_or_self(candidate: Alliance, alliance: Alliance) -> bool:
    node: Alliance | None = candidate
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        if node.pk == alliance.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def organizer_add(*, actor: Actor, alliance: Alliance, part: str, organization: Organization | None = None,
                  unit: Any = None) -> Organizer:
    _require_alliance_manager(actor, alliance)
    return model_create(Organizer, actor=actor,
                        data={"alliance": alliance, "part": part, "organization": organization, "unit": unit})


@transaction.atomic
def organizer_remove(*, actor: Actor, organizer: Organizer) -> None:
    _require_alliance_manager(actor, organizer.alliance)
    model_delete(organizer, actor=actor)


@transaction.atomic
def workstream_update(*, actor: Actor, workstream: Workstream, data: Mapping[str, Any]) -> Workstream:
    """Rename, describe, reorder or (de)activate a workstream. Workstreams are never deleted: records of later
    modules hang on them; an inactive one is offered for nothing new."""
    _require_alliance_manager(actor, workstream.alliance)
    allowed = {k: v for k, v in data.items() if k in ("name", "description", "position", "is_active")}
    workstream, _changed = model_update(workstream, actor=actor, data=allowed)
    return workstream


@transaction.atomic
def workstream_add(*, actor: Actor, alliance: Alliance, code: str, name: str, description: str = "") -> Workstream:
    _require_alliance_manager(actor, alliance)
    position = alliance.workstreams.count()
    if alliance.workstreams.filter(code=code).exists():
        raise ValidationError({"code": _("This alliance already has a workstream with this code.")})
    return model_create(Workstream, actor=actor, data={"alliance": alliance, "code": code, "name": name,
                                                       "description": description, "position": position})


# Membership ----------------------------------------------------------------------------------------------------


def _open_membership_exists(alliance: Alliance, organization: Organization) -> Membership | None:
    return Membership.objects.filter(alliance=alliance, organization=organization, status__in=OPEN_STATUSES).first()


def _new_membership(actor: Actor, alliance: Alliance, organization: Organization, status: str) -> Membership:
    if alliance.status == "dissolved":
        raise ValidationError(_("This alliance has been dissolved; it takes no new members."))
    existing = _open_membership_exists(alliance, organization)
    if existing is not None:
        messages = {
            MembershipStatus.ACTIVE: _("%(org)s is already a member of this alliance."),
            MembershipStatus.APPLIED: _("%(org)s has already applied to join; the application is waiting for a "
                                        "decision."),
            MembershipStatus.INVITED: _("%(org)s has already been invited; the invitation is waiting for an answer."),
        }
        raise ValidationError(messages[MembershipStatus(existing.status)] % {"org": organization})
    try:
        with transaction.atomic():
            membership = model_create(Membership, actor=actor, data={"alliance": alliance,
                                                                     "organization": organization, "status": status})
    except IntegrityError as exc:  # a concurrent request opened one first
        raise ValidationError(_("%(org)s already has an open membership of this alliance.")
                              % {"org": organization}) from exc
    notices.opened(membership, actor)
    return membership


@transaction.atomic
def membership_apply(*, actor: Actor, alliance: Alliance, organization: Organization) -> Membership:
    """An organization applies to join; the alliance's administrators decide."""
    _require_organization_side(actor, organization)
    if actor is not None and not can(actor, Action.VIEW, alliance):
        from .selectors import joinable_alliances

        if not joinable_alliances(organization).filter(pk=alliance.pk).exists():
            raise ValidationError({"alliance": _("This alliance does not take applications from your region.")})
    return _new_membership(actor, alliance, organization, MembershipStatus.APPLIED)


@transaction.atomic
def membership_invite(*, actor: Actor, alliance: Alliance, organization: Organization) -> Membership:
    """The alliance invites an organization from the regions it spans; its secretary or staff accept or decline."""
    _require_alliance_manager(actor, alliance)
    from .selectors import invite_candidates

    if not invite_candidates(alliance).filter(pk=organization.pk).exists() and not (
            actor is None or can(actor, Action.VIEW, organization)):
        raise ValidationError({"organization": _("Only organizations in the regions the alliance spans can be "
                                                 "invited.")})
    return _new_membership(actor, alliance, organization, MembershipStatus.INVITED)


# Which statuses each step may start from.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((MembershipStatus.APPLIED,), MembershipStatus.ACTIVE),
    "refuse": ((MembershipStatus.APPLIED,), MembershipStatus.REFUSED),
    "accept": ((MembershipStatus.INVITED,), MembershipStatus.ACTIVE),
    "decline": ((MembershipStatus.INVITED,), MembershipStatus.DECLINED),
    "leave": ((MembershipStatus.ACTIVE,), MembershipStatus.LEFT),
}


def _transition(actor: Actor, membership: Membership, step: str, **fields: Any) -> Membership:
    allowed, target = TRANSITIONS[step]
    # Lock the row: two administrators deciding at once must not both succeed.
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if current.status not in allowed:
        raise ValidationError(
            _("This membership is “%(status)s”; it cannot be %(step)s.")
            % {"status": current.get_status_display(), "step": STEP_LABELS[step]},
            code=AllianceErrorCode.STEP_NOT_ALLOWED,
        )
    membership, _changed = model_update(current, actor=actor, data={"status": target, **fields})
    (notices.left if step == "leave" else notices.decided)(membership, actor)
    return membership


STEP_LABELS = {
    "approve": gettext_lazy("approved"),
    "refuse": gettext_lazy("refused"),
    "accept": gettext_lazy("accepted"),
    "decline": gettext_lazy("declined"),
    "leave": gettext_lazy("ended"),
}


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; the organization will see it.")})
    return reason


@transaction.atomic
def membership_approve(*, actor: Actor, membership: Membership, joined_on: dt.date | None = None) -> Membership:
    _require_alliance_manager(actor, membership.alliance)
    return _transition(actor, membership, "approve", joined_on=joined_on or timezone.localdate())


@transaction.atomic
def membership_refuse(*, actor: Actor, membership: Membership, reason: str) -> Membership:
    _require_alliance_manager(actor, membership.alliance)
    return _transition(actor, membership, "refuse", reason=_reason(reason))


@transaction.atomic
def membership_accept(*, actor: Actor, membership: Membership, joined_on: dt.date | None = None) -> Membership:
    _require_organization_side(actor, membership.organization)
    return _transition(actor, membership, "accept", joined_on=joined_on or timezone.localdate())


@transaction.atomic
def membership_decline(*, actor: Actor, membership: Membership, reason: str) -> Membership:
    _require_organization_side(actor, membership.organization)
    return _transition(actor, membership, "decline", reason=_reason(reason))


@transaction.atomic
def membership_leave(*, actor: Actor, membership: Membership, reason: str = "",
                     left_on: dt.date | None = None) -> Membership:
    """Either side may end a membership; the row stays as history."""
    if actor is not None and not (can(actor, Action.CHANGE, membership.alliance)
                                  or can(actor, Action.CHANGE, membership.organization)):
        raise PermissionDenied(_("Only the alliance's administrators or the organization may end a membership."))
    left_on = left_on or timezone.localdate()
    if membership.joined_on and left_on < membership.joined_on:
        raise ValidationError({"left_on": _("The leaving date cannot be before the joining date.")})
    return _transition(actor, membership, "leave", left_on=left_on, reason=(reason or "").strip(),
                       role=MemberRole.MEMBER, chair_term_start=None, chair_term_end=None)


@transaction.atomic
def membership_set_role(*, actor: Actor, membership: Membership, role: str, chair_term_start: dt.date | None = None,
                        chair_term_end: dt.date | None = None) -> Membership:
    """Lead unit (one per alliance), rotating chair (with a term), or member."""
    _require_alliance_manager(actor, membership.alliance)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("Only active members can hold a role."))
    if role == MemberRole.LEAD and membership.alliance.memberships.filter(
            role=MemberRole.LEAD, status=MembershipStatus.ACTIVE).exclude(pk=membership.pk).exists():
        raise ValidationError({"role": _("This alliance already has a lead unit; change that one first.")})
    if role == MemberRole.CHAIR:
        if not (chair_term_start and chair_term_end):
            raise ValidationError({"chair_term_start": _("A rotating chair needs the start and end of the term.")})
        if chair_term_end < chair_term_start:
            raise ValidationError({"chair_term_end": _("The term cannot end before it starts.")})
        overlapping = membership.alliance.memberships.filter(
            role=MemberRole.CHAIR, status=MembershipStatus.ACTIVE, chair_term_start__lte=chair_term_end,
            chair_term_end__gte=chair_term_start).exclude(pk=membership.pk)
        if overlapping.exists():
            raise ValidationError({"chair_term_start": _("Another member chairs the alliance during this term.")})
    else:
        chair_term_start = chair_term_end = None
    membership, changed = model_update(membership, actor=actor, data={
        "role": role, "chair_term_start": chair_term_start, "chair_term_end": chair_term_end})
    if changed:
        notices.role_changed(membership, actor)
    return membership
