"""Pairing writes: programmes, pairs and their agreement, the status workflow and yearly reviews.

Every write is atomic and audited. The rules a pair must keep — an organ on one side and enterprise or social
organizations on the other, never an organization with itself, no two live pairings of the same organizations in
overlapping periods, within the programme's period, within the organ's load — are checked here, with the organ's
row locked so that two people pairing the same organ at once cannot both pass the checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import audit
from core.models import AuditAction
from core.permissions import Action, Actor, can, runs_regions, signed_in
from core.services import model_create, model_delete, model_update
from organizations.models import Organization
from organizations.visibility import refresh_reach_through

from . import notices
from .choices import LIVE_STATUSES, ORGAN_SECTORS, PARTNER_SECTORS, REVIEWABLE_STATUSES, PairStatus
from .error_codes import PairingErrorCode
from .models import Pair, PairingProgramme, PairPartner, PairReview
from .selectors import organ_loads, pickable_organizations

PAIR_FIELDS = ("starts_on", "ends_on", "goals", "teams_content", "activities_content", "appeals_content",
               "target_activities_per_quarter")


def _require_manager(actor: Actor, programme: PairingProgramme) -> None:
    if actor is not None and not can(actor, Action.CHANGE, programme):
        raise PermissionDenied(_("Only the programme's organizers may do this."))


def _d(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# Programmes ----------------------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor: Actor, data: Mapping[str, Any]) -> PairingProgramme:
    owner = data.get("owner")
    if actor is not None and not runs_regions(actor):
        raise PermissionDenied(_("Pairing programmes are run by organization departments."))
    if actor is not None and owner is not None and not can(actor, Action.CHANGE, owner):
        raise PermissionDenied(_("You may only run programmes for organizations you are responsible for."))
    return model_create(PairingProgramme, actor=actor, data=data)


@transaction.atomic
def programme_update(*, actor: Actor, programme: PairingProgramme, data: Mapping[str, Any]) -> PairingProgramme:
    _require_manager(actor, programme)
    programme = _locked(programme)
    owner = programme.owner_id
    programme, _changed = model_update(programme, actor=actor, data=data)
    if programme.owner_id != owner:
        refresh_reach_through(Pair, programme.pairs.values_list("pk", flat=True))
    outside = programme.pairs.filter(status__in=LIVE_STATUSES).filter(
        Q(starts_on__lt=programme.starts_on) | Q(ends_on__gt=programme.ends_on)).count()
    if outside:
        raise ValidationError({"starts_on": ngettext(
            "%(n)d pair runs outside the new period; change or end it first.",
            "%(n)d pairs run outside the new period; change or end them first.", outside) % {"n": outside}})
    highest = max(organ_loads(programme).values(), default=0)
    if programme.max_partners_per_organ < highest:
        raise ValidationError({"max_partners_per_organ": _(
            "An organ is already paired with %(n)d organizations in this programme; the maximum cannot be lower.")
            % {"n": highest}})
    return programme


def _locked(programme: PairingProgramme) -> PairingProgramme:
    """The programme's row, locked: its period and maximum cannot change under a pair being checked."""
    return PairingProgramme.objects.select_for_update().get(pk=programme.pk)


@transaction.atomic
def programme_delete(*, actor: Actor, programme: PairingProgramme) -> None:
    if programme.pairs.exists():
        raise ValidationError(_("The programme still holds pairs; end them instead of deleting the programme."))
    model_delete(programme, actor=actor)


# Pairs -----------------------------------------------------------------------------------------------------------


def check_pair(*, programme: PairingProgramme, organ: Organization, partners: list[Organization],
                starts_on: dt.date, ends_on: dt.date, exclude: int | None = None) -> None:
    """Raise one ValidationError listing every broken rule (field → messages); write nothing."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if organ.sector not in ORGAN_SECTORS:
        add("organ", _("%(org)s is not an organ or public-institution organization; one side of a pair must be.")
            % {"org": organ})
    if not partners:
        add("partners", _("Choose at least one partner organization."))
    if any(p.pk == organ.pk for p in partners):
        add("partners", _("An organization cannot be paired with itself."))
    for p in partners:
        if p.pk != organ.pk and p.sector not in PARTNER_SECTORS:
            add("partners", _("%(org)s is not an enterprise or social organization.") % {"org": p})
    if starts_on and ends_on:
        if ends_on < starts_on:
            add("ends_on", _("The pairing cannot end before it starts."))
        if starts_on < programme.starts_on or ends_on > programme.ends_on:
            add("starts_on", _("The pairing must lie within the programme's period (%(start)s – %(end)s).")
                % {"start": _d(programme.starts_on), "end": _d(programme.ends_on)})
        clashes = (PairPartner.objects
                   .filter(pair__organ=organ, pair__status__in=LIVE_STATUSES, organization__in=partners,
                           pair__starts_on__lte=ends_on, pair__ends_on__gte=starts_on)
                   .exclude(pair_id=exclude or 0)
                   .select_related("pair", "organization"))
        for clash in clashes:
            add("partners", _("%(organ)s and %(partner)s are already paired from %(start)s to %(end)s; the periods "
                              "overlap.") % {"organ": organ, "partner": clash.organization,
                                             "start": _d(clash.pair.starts_on), "end": _d(clash.pair.ends_on)})
    load = (PairPartner.objects.filter(pair__programme=programme, pair__organ=organ,
                                       pair__status__in=LIVE_STATUSES).exclude(pair_id=exclude or 0).count())
    current = PairPartner.objects.filter(pair_id=exclude).count() if exclude else 0
    growing = len(partners) > current  # a pair that keeps or drops partners never trips the maximum
    if partners and growing and load + len(partners) > programme.max_partners_per_organ:
        add("organ", _("%(org)s would be paired with %(n)d organizations in this programme; the maximum is %(max)d.")
            % {"org": organ, "n": load + len(partners), "max": programme.max_partners_per_organ})
    if errors:
        raise ValidationError(errors)


def _require_pickable(actor: Actor, programme: PairingProgramme, organizations: Iterable[Organization]) -> None:
    """Organizations being added to a pair must be ones the manager may pick (see ``pickable_organizations``)."""
    ids = {o.pk for o in organizations}
    if ids and pickable_organizations(programme, actor).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"partners": _("Choose organizations from the list.")})


def _lock(organ: Organization) -> None:
    Organization.objects.select_for_update().filter(pk=organ.pk).first()


def _set_partners(pair: Pair, partners: list[Organization]) -> None:
    PairPartner.objects.filter(pair=pair).exclude(organization__in=partners).delete()
    existing = set(PairPartner.objects.filter(pair=pair).values_list("organization_id", flat=True))
    PairPartner.objects.bulk_create([PairPartner(pair=pair, organization=p) for p in partners
                                     if p.pk not in existing])
    refresh_reach_through(Pair, [pair.pk])


@transaction.atomic
def pair_create(*, actor: Actor, programme: PairingProgramme, organ: Organization, partners: Iterable[Organization],
                data: Mapping[str, Any]) -> Pair:
    """Propose a pair; its period defaults to the programme's."""
    _require_manager(actor, programme)
    programme = _locked(programme)
    partners = list(dict.fromkeys(partners))
    _require_pickable(actor, programme, [organ, *partners])
    values = {f: data[f] for f in PAIR_FIELDS if f in data}
    values.setdefault("starts_on", programme.starts_on)
    values.setdefault("ends_on", programme.ends_on)
    _lock(organ)
    check_pair(programme=programme, organ=organ, partners=partners, starts_on=values["starts_on"],
                ends_on=values["ends_on"])
    pair = model_create(Pair, actor=actor, data={"programme": programme, "organ": organ, **values},
                        after_save=lambda created: _set_partners(created, partners))
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=pair,
                 changes={"partners": [None, sorted(p.pk for p in partners)]})
    notices.proposed(pair, actor)
    return pair


@transaction.atomic
def pair_update(*, actor: Actor, pair: Pair, data: Mapping[str, Any],
                partners: Iterable[Organization] | None = None) -> Pair:
    """Change the agreement (and, optionally, the partners) of a pair that has not ended."""
    _require_manager(actor, pair.programme)
    programme = _locked(pair.programme)
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if pair.status == PairStatus.ENDED:
        raise ValidationError(_("An ended pair is kept as history; it cannot be changed."),
                              code=PairingErrorCode.ENDED)
    before = sorted(pair.partners.values_list("pk", flat=True))
    new_partners = list(dict.fromkeys(partners)) if partners is not None else list(pair.partners.all())
    _require_pickable(actor, programme, [p for p in new_partners if p.pk not in before])
    values = {f: data[f] for f in PAIR_FIELDS if f in data}
    if pair.status != PairStatus.PROPOSED and any(
            f in values and values[f] != getattr(pair, f) for f in ("starts_on", "ends_on")):
        raise ValidationError({"ends_on": _("Once a pair is in force its period changes only by renewal after a "
                                            "review, or by ending it.")})
    _lock(pair.organ)
    check_pair(programme=programme, organ=pair.organ, partners=new_partners,
                starts_on=values.get("starts_on", pair.starts_on), ends_on=values.get("ends_on", pair.ends_on),
                exclude=pair.pk)
    pair, _changed = model_update(pair, actor=actor, data=values)
    after = sorted(p.pk for p in new_partners)
    if partners is not None and after != before:
        _set_partners(pair, new_partners)
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=pair, changes={"partners": [before, after]})
    return pair


# Which statuses each step may start from, and where it leads.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "activate": ((PairStatus.PROPOSED,), PairStatus.ACTIVE),
    "review": ((PairStatus.ACTIVE, PairStatus.RENEWED), PairStatus.UNDER_REVIEW),
    "renew": ((PairStatus.UNDER_REVIEW,), PairStatus.RENEWED),
    "end": ((PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.UNDER_REVIEW, PairStatus.RENEWED), PairStatus.ENDED),
}

STEP_LABELS = {
    "activate": gettext_lazy("put in force"),
    "review": gettext_lazy("put under review"),
    "renew": gettext_lazy("renewed"),
    "end": gettext_lazy("ended"),
}


def _transition(actor: Actor, pair: Pair, step: str, **fields: Any) -> Pair:
    _require_manager(actor, pair.programme)
    allowed, target = TRANSITIONS[step]
    current = Pair.objects.select_for_update().get(pk=pair.pk)  # two managers at once: one wins
    if current.status not in allowed:
        raise ValidationError(_("This pair is “%(status)s”; it cannot be %(step)s.")
                              % {"status": current.get_status_display(), "step": STEP_LABELS[step]},
                              code=PairingErrorCode.STEP_NOT_ALLOWED)
    pair, _changed = model_update(current, actor=actor, data={"status": target, **fields})
    notices.stepped(pair, actor)
    return pair


@transaction.atomic
def pair_activate(*, actor: Actor, pair: Pair, signed_on: dt.date | None = None) -> Pair:
    """Both sides signed the agreement: the pair is in force."""
    return _transition(actor, pair, "activate", signed_on=signed_on or timezone.localdate())


@transaction.atomic
def pair_start_review(*, actor: Actor, pair: Pair) -> Pair:
    return _transition(actor, pair, "review")


@transaction.atomic
def pair_renew(*, actor: Actor, pair: Pair, ends_on: dt.date) -> Pair:
    """After a review, continue the pair until a later date (within the programme)."""
    _require_manager(actor, pair.programme)
    programme = _locked(pair.programme)
    current = Pair.objects.select_for_update().get(pk=pair.pk)
    if current.status == PairStatus.UNDER_REVIEW:
        if ends_on is None or ends_on <= current.ends_on:
            raise ValidationError({"ends_on": _("A renewal must run past the current end (%(end)s).")
                                   % {"end": _d(current.ends_on)}})
        if not current.reviews.filter(year=timezone.localdate().year).exists():
            raise ValidationError(_("Record this year's review before renewing the pair."))
        _lock(current.organ)
        check_pair(programme=programme, organ=current.organ, partners=list(current.partners.all()),
                    starts_on=current.starts_on, ends_on=ends_on, exclude=current.pk)
    return _transition(actor, current, "renew", ends_on=ends_on)


@transaction.atomic
def pair_end(*, actor: Actor, pair: Pair, reason: str, ends_on: dt.date | None = None) -> Pair:
    """End a pair (at the end of its term or early, with a reason). The row stays as history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; both sides will see it.")})
    ends_on = ends_on or min(timezone.localdate(), pair.ends_on)
    if ends_on < pair.starts_on:
        ends_on = pair.starts_on
    return _transition(actor, pair, "end", end_reason=reason, ends_on=ends_on)


@transaction.atomic
def review_record(*, actor: Actor, pair: Pair, year: int, rating: str, comments: str = "") -> PairReview:
    """The yearly review (one per year) of a pair in force or under review."""
    _require_manager(actor, pair.programme)
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if pair.status not in REVIEWABLE_STATUSES:
        raise ValidationError(_("Only a pair in force or under review can be reviewed; this one is “%(status)s”.")
                              % {"status": pair.get_status_display()})
    today = timezone.localdate()
    if not pair.starts_on.year <= year <= today.year:
        raise ValidationError({"year": _("Choose a year from %(first)d to %(last)d.")
                               % {"first": pair.starts_on.year, "last": today.year}})
    if pair.reviews.filter(year=year).exists():
        raise ValidationError({"year": _("This pair already has a review for %(year)d.") % {"year": year}})
    reviewer = signed_in(actor)
    return model_create(PairReview, actor=actor, data={"pair": pair, "year": year, "rating": rating,
                                                       "comments": (comments or "").strip(), "reviewed_by": reviewer})

