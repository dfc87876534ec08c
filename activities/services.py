"""Activity writes: the activity and its co-hosts, pairs and invitations, the lifecycle, sign-in and attendance,
follow-up items and photos. Every write is atomic and audited; every refusal says what to do instead."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from alliances.choices import MembershipStatus
from alliances.models import Alliance
from core import audit
from core.images import reencode_image
from core.models import AuditAction
from core.permissions import Action, Actor, can, get_scope, signed_in
from core.services import model_create, model_delete, model_update
from core.storage import sweep_orphans
from organizations.models import Organization, Person
from organizations.visibility import refresh_reach
from pairing.choices import LIVE_STATUSES
from pairing.models import Pair

from . import notices
from .choices import UPCOMING_STATUSES, ActivityStatus, AttendanceMethod, FollowUpStatus, RegistrationStatus
from .error_codes import ActivityErrorCode
from .models import (
    Activity,
    ActivityHost,
    ActivityPair,
    ActivityPhoto,
    ActivitySeries,
    Attendance,
    CalendarFeed,
    FollowUp,
    LedgerRule,
    Registration,
    SeriesMonth,
    new_signin_key,
)
from .selectors import markable_people, pickable_hosts
from .signin import signin_window

ACTIVITY_FIELDS = ("kind", "theme", "description", "agenda", "starts_at", "ends_at", "venue", "capacity",
                   "alliance", "workstream", "series", "allow_guests")
RECORD_FIELDS = ("minutes", "outcomes")


def _refused() -> PermissionDenied:
    return PermissionDenied(_("Only the hosts' secretaries and staff may change this activity."))


def _require_change(actor: Actor, activity: Activity) -> None:
    if actor is not None and not can(actor, Action.CHANGE, activity):
        raise _refused()


def _local(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _locked(activity: Activity, actor: Actor = None) -> Activity:
    """The activity, locked and fresh; with ``actor``, only if they may change it (checked in the same query)."""
    rows = Activity.objects.select_for_update()
    if actor is not None:
        rows = rows.restrict(actor, Action.CHANGE)
    current = rows.filter(pk=activity.pk).first()
    if current is None:
        raise _refused()
    return current


# The activity and its relations ----------------------------------------------------------------------------------


def _check_relations(actor: Actor, *, starts_at: dt.datetime | None, alliance: Alliance | None,
                     series: ActivitySeries | None, pairs: list[Pair], lead: Organization | None = None,
                     new_orgs: Iterable[Organization] = (), new_pairs: Iterable[Pair] = (),
                     check_alliance: bool = True, check_series: bool = True, settled_pairs: Iterable[int] = ()) -> None:
    """Raise one ValidationError with every broken rule (field → messages). Only what is new is checked against
    the actor's reach: keeping a co-host someone else added is fine."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if actor is not None:
        if lead is not None and not (can(actor, Action.CHANGE, lead) or (
                alliance is not None and can(actor, Action.CHANGE, alliance)
                and alliance.memberships.filter(organization=lead, status=MembershipStatus.ACTIVE).exists())):
            add("lead", _("You may only record activities led by an organization you are responsible for."))
        if alliance is not None and check_alliance and not Alliance.objects.restrict(actor).filter(
                pk=alliance.pk).exists():
            add("alliance", _("Choose an alliance from the list."))
        org_ids = {o.pk for o in new_orgs}
        if org_ids and pickable_hosts(actor).filter(pk__in=org_ids).count() != len(org_ids):
            add("co_hosts", _("Choose co-hosts and invited organizations from the list."))
        pair_ids = {p.pk for p in new_pairs}
        if pair_ids and Pair.objects.restrict(actor).filter(pk__in=pair_ids).count() != len(pair_ids):
            add("pairs", _("Choose pairs from the list."))
        if series is not None and check_series and not ActivitySeries.objects.restrict(actor).filter(
                pk=series.pk).exists():
            add("series", _("Choose a series from the list."))
    if starts_at is not None:
        day = timezone.localtime(starts_at).date()
        settled = set(settled_pairs)
        for pair in pairs:
            if pair.status not in LIVE_STATUSES and pair.pk not in settled:
                add("pairs", _("The pair %(pair)s has ended; activities cannot be added to it.") % {"pair": pair})
            elif not pair.starts_on <= day <= pair.ends_on:
                add("pairs", _("The activity falls outside the period of the pair %(pair)s (%(start)s – %(end)s).")
                    % {"pair": pair, "start": date_format(pair.starts_on, "SHORT_DATE_FORMAT"),
                       "end": date_format(pair.ends_on, "SHORT_DATE_FORMAT")})
        if series is not None and not series.first_month <= day.replace(day=1) <= series.last_month:
            add("series", _("The activity's month is outside the series (%(first)s – %(last)s).")
                % {"first": f"{series.first_month:%Y-%m}", "last": f"{series.last_month:%Y-%m}"})
    if errors:
        raise ValidationError(errors)


def _all_hosts(lead: Organization, co_hosts: Iterable[Organization], pairs: Iterable[Pair]) -> list[Organization]:
    """The lead, the co-hosts, and both sides of every linked pair (a joint activity counts for each)."""
    hosts: dict[int, Organization] = {lead.pk: lead}
    for org in co_hosts:
        hosts.setdefault(org.pk, org)
    for pair in pairs:
        hosts.setdefault(pair.organ_id, pair.organ)
        for partner in pair.partners.all():
            hosts.setdefault(partner.pk, partner)
    return list(hosts.values())


def _set_relations(activity: Activity, lead: Organization, hosts: list[Organization], pairs: list[Pair],
                   invited: list[Organization] | None, people: list[Person] | None) -> None:
    host_ids = {h.pk for h in hosts}
    ActivityHost.objects.filter(activity=activity).exclude(organization_id__in=host_ids).delete()
    ActivityHost.objects.filter(activity=activity, is_lead=True).exclude(organization=lead).update(is_lead=False)
    existing = set(ActivityHost.objects.filter(activity=activity).values_list("organization_id", flat=True))
    ActivityHost.objects.bulk_create([ActivityHost(activity=activity, organization=h) for h in hosts
                                      if h.pk not in existing])
    ActivityHost.objects.filter(activity=activity, organization=lead).update(is_lead=True)
    ActivityPair.objects.filter(activity=activity).exclude(pair__in=pairs).delete()
    linked = set(ActivityPair.objects.filter(activity=activity).values_list("pair_id", flat=True))
    ActivityPair.objects.bulk_create([ActivityPair(activity=activity, pair=p) for p in pairs if p.pk not in linked])
    if invited is not None:
        activity.invited_organizations.set(invited)
    if people is not None:
        activity.invited_people.set(people)
    refresh_reach(Activity, [activity.pk])


def _relations_snapshot(activity: Activity) -> dict[str, Any]:
    links = list(ActivityHost.objects.filter(activity=activity).values_list("organization_id", "is_lead"))
    return {
        "lead": next((org for org, is_lead in links if is_lead), None),
        "hosts": sorted(org for org, _lead in links),
        "pairs": sorted(ActivityPair.objects.filter(activity=activity).values_list("pair_id", flat=True)),
        "invited_organizations": sorted(activity.invited_organizations.values_list("pk", flat=True)),
        "invited_people": sorted(activity.invited_people.values_list("pk", flat=True)),
    }


def _audit_relations(actor: Actor, activity: Activity, before: dict[str, Any]) -> None:
    after = _relations_snapshot(activity)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=activity, changes=changes)


@transaction.atomic
def activity_create(*, actor: Actor, data: Mapping[str, Any], lead: Organization,
                    co_hosts: Iterable[Organization] = (), pairs: Iterable[Pair] = (),
                    invited_organizations: Iterable[Organization] = (),
                    invited_people: Iterable[Person] = ()) -> Activity:
    """Plan (or, after the fact, enter) an activity. Linking a pair makes both its sides co-hosts."""
    values = {f: data[f] for f in ACTIVITY_FIELDS if f in data}
    co_hosts, pairs = list(dict.fromkeys(co_hosts)), list(dict.fromkeys(pairs))
    invited, people = list(dict.fromkeys(invited_organizations)), list(dict.fromkeys(invited_people))
    _check_relations(actor, starts_at=values.get("starts_at"), alliance=values.get("alliance"),
                     series=values.get("series"), pairs=pairs, lead=lead, new_orgs=[*co_hosts, *invited],
                     new_pairs=pairs)
    hosts = _all_hosts(lead, co_hosts, pairs)
    creator = signed_in(actor)
    activity = model_create(Activity, actor=actor, data={**values, "created_by": creator},
                            after_save=lambda a: _set_relations(a, lead, hosts, pairs, invited, people))
    _audit_relations(actor, activity, {})
    notices.invited(activity, actor, [*(h for h in hosts if h.pk != lead.pk), *invited], people)
    return activity


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, data: Mapping[str, Any], lead: Organization | None = None,
                    co_hosts: Iterable[Organization] | None = None, pairs: Iterable[Pair] | None = None,
                    invited_organizations: Iterable[Organization] | None = None,
                    invited_people: Iterable[Person] | None = None) -> Activity:
    """Change an activity (also after it was recorded: one correction here shows in every ledger, pair and
    statistic). A cancelled activity is history and stays as it is."""
    activity = _locked(activity, actor)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("A cancelled activity is kept as history; it cannot be changed."),
                              code=ActivityErrorCode.CANCELLED)
    values = {f: data[f] for f in (*ACTIVITY_FIELDS, *RECORD_FIELDS) if f in data}
    when_where = _when_where(activity)
    if activity.status not in UPCOMING_STATUSES and values.get("starts_at", activity.starts_at) > timezone.now():
        raise ValidationError({"starts_at": _("This activity has been held; it cannot move into the future.")})
    merged = {f: values.get(f, getattr(activity, f)) for f in ("alliance", "series", "starts_at")}
    if all(v is None for v in (lead, co_hosts, pairs, invited_organizations, invited_people)):
        # Only the activity's own fields: its relations stay as they are (and are neither read nor rewritten).
        linked = list(activity.pairs.all()) if "starts_at" in values else []
        _check_relations(actor, **merged, pairs=linked, check_alliance=merged["alliance"] != activity.alliance,
                         check_series=merged["series"] != activity.series, settled_pairs=[p.pk for p in linked])
        activity, _changed = model_update(activity, actor=actor, data=values, checked=True)
        _tell_changes(activity, actor, when_where)
        return activity
    before = _relations_snapshot(activity)
    current_lead = Organization.objects.get(pk=before["lead"])
    new_lead = lead or current_lead
    new_pairs = list(dict.fromkeys(pairs)) if pairs is not None else list(activity.pairs.all())
    new_co_hosts = list(dict.fromkeys(co_hosts)) if co_hosts is not None else \
        list(Organization.objects.filter(pk__in=before["hosts"]))
    invited = list(dict.fromkeys(invited_organizations)) if invited_organizations is not None else None
    people = list(dict.fromkeys(invited_people)) if invited_people is not None else None
    known = set(before["hosts"]) | set(before["invited_organizations"])
    _check_relations(actor, **merged, pairs=new_pairs,
                     lead=new_lead if new_lead.pk != current_lead.pk else None,
                     new_orgs=[o for o in [*new_co_hosts, *(invited or [])] if o.pk not in known],
                     new_pairs=[p for p in new_pairs if p.pk not in before["pairs"]],
                     check_alliance=merged["alliance"] != activity.alliance,
                     check_series=merged["series"] != activity.series,
                     settled_pairs=before["pairs"])
    activity, _changed = model_update(activity, actor=actor, data=values, checked=True)
    _set_relations(activity, new_lead, _all_hosts(new_lead, new_co_hosts, new_pairs), new_pairs, invited, people)
    _audit_relations(actor, activity, before)
    if actor is not None and not can(actor, Action.CHANGE, activity):
        raise ValidationError(_("After this change you would no longer be responsible for the activity; keep an "
                                "organization you are responsible for as a host."))
    _tell_changes(activity, actor, when_where, before)
    return activity


def _when_where(activity: Activity) -> tuple[Any, ...]:
    return activity.starts_at, activity.ends_at, activity.venue


def _tell_changes(activity: Activity, actor: Actor, when_where: tuple[Any, ...],
                  relations: dict[str, Any] | None = None) -> None:
    """Those newly invited or hosting hear of an upcoming activity; those already in it, of a new time or venue."""
    if activity.status not in UPCOMING_STATUSES or activity.starts_at <= timezone.now():
        return
    if _when_where(activity) != when_where:
        notices.changed(activity, actor)
    if relations is not None:
        known = {*relations["hosts"], *relations["invited_organizations"]}
        after = _relations_snapshot(activity)
        new_orgs = [pk for pk in (*after["hosts"], *after["invited_organizations"]) if pk not in known]
        new_people = set(after["invited_people"]) - set(relations["invited_people"])
        if new_orgs or new_people:
            notices.invited(activity, actor, Organization.objects.filter(pk__in=new_orgs),
                            Person.objects.filter(pk__in=new_people))


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    """Only a planned activity nobody attended may be deleted; otherwise cancel it (the record stays)."""
    activity = _locked(activity, actor)
    if activity.status not in UPCOMING_STATUSES or activity.attendance.exists():
        raise ValidationError(_("Only a planned activity without attendance can be deleted; cancel it instead."))
    model_delete(activity, actor=actor)


# Lifecycle ------------------------------------------------------------------------------------------------------

TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "open": ((ActivityStatus.PLANNED,), ActivityStatus.OPEN),
    "hold": ((ActivityStatus.PLANNED, ActivityStatus.OPEN), ActivityStatus.HELD),
    "record": ((ActivityStatus.PLANNED, ActivityStatus.OPEN, ActivityStatus.HELD, ActivityStatus.RECORDED),
               ActivityStatus.RECORDED),
    "cancel": ((ActivityStatus.PLANNED, ActivityStatus.OPEN), ActivityStatus.CANCELLED),
}

STEP_LABELS = {  # completes "it cannot be …"
    "open": pgettext_lazy("activity step", "opened for registration"),
    "hold": pgettext_lazy("activity step", "marked as held"),
    "record": pgettext_lazy("activity step", "recorded"),
    "cancel": pgettext_lazy("activity step", "cancelled"),
}


def _transition(actor: Actor, activity: Activity, step: str, now: dt.datetime | None = None,
                **fields: Any) -> Activity:
    allowed, target = TRANSITIONS[step]
    current = _locked(activity, actor)
    if current.status not in allowed:
        raise ValidationError(_("This activity is “%(status)s”; it cannot be %(step)s.")
                              % {"status": current.get_status_display(), "step": STEP_LABELS[step]},
                              code=ActivityErrorCode.STEP_NOT_ALLOWED)
    now = now or timezone.now()
    if step == "open" and current.starts_at <= now:
        raise ValidationError(_("The activity has already started; registration can no longer open."),
                              code=ActivityErrorCode.ALREADY_STARTED)
    if step in ("hold", "record") and current.starts_at > now:
        raise ValidationError(_("The activity starts at %(start)s; it can be %(step)s only after it has started.")
                              % {"start": _local(current.starts_at), "step": STEP_LABELS[step]},
                              code=ActivityErrorCode.NOT_STARTED)
    activity, _changed = model_update(current, actor=actor, data={"status": target, **fields}, checked=True)
    return activity


@transaction.atomic
def activity_open(*, actor: Actor, activity: Activity) -> Activity:
    return _transition(actor, activity, "open")


@transaction.atomic
def activity_hold(*, actor: Actor, activity: Activity) -> Activity:
    return _transition(actor, activity, "hold")


@transaction.atomic
def activity_record(*, actor: Actor, activity: Activity, minutes: str, outcomes: str = "",
                    now: dt.datetime | None = None) -> Activity:
    """Record what happened (minutes, outcomes). Recording again corrects the record."""
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes: what was done and who spoke.")})
    recorder = signed_in(actor)
    activity = _transition(actor, activity, "record", now=now, minutes=minutes, outcomes=(outcomes or "").strip(),
                           recorded_at=now or timezone.now(), recorded_by=recorder)
    notices.recorded(activity, actor)
    return activity


@transaction.atomic
def activity_cancel(*, actor: Actor, activity: Activity, reason: str) -> Activity:
    """Cancel with a reason; whoever registered is told (in the platform, and by mail when configured)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; the hosts and the invited will see it.")})
    activity = _transition(actor, activity, "cancel", cancel_reason=reason)
    notices.cancelled(activity, actor)
    return activity


@transaction.atomic
def signin_key_rotate(*, actor: Actor, activity: Activity) -> Activity:
    """Replace the sign-in key: QR codes already printed or shared stop working."""
    activity = _locked(activity, actor)
    activity.signin_key = new_signin_key()
    activity.save(update_fields=["signin_key", "updated_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=activity, changes={"signin_key": ["…", "…"]})
    return activity


# Sign-in and attendance -----------------------------------------------------------------------------------------


def _check_open_for_signin(activity: Activity, now: dt.datetime) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("This activity was cancelled."), code="cancelled")
    opens, closes = signin_window(activity)
    if now < opens:
        raise ValidationError(_("Sign-in opens at %(time)s.") % {"time": _local(opens)}, code="too_early")
    if now > closes:
        raise ValidationError(_("Sign-in closed at %(time)s.") % {"time": _local(closes)}, code="too_late")


def _attend(activity: Activity, **fields: Any) -> Attendance:
    try:
        with transaction.atomic():
            row = Attendance.objects.create(activity=activity, **fields)
    except IntegrityError as exc:  # two taps at once: the second finds the first
        raise _already(activity, fields.get("person"), fields.get("guest_name", "")) from exc
    audit.record_create(fields.get("recorded_by"), row)
    return row


def _already(activity: Activity, person: Person | None, guest_name: str) -> ValidationError:
    row = (Attendance.objects.filter(activity=activity, person=person).first() if person is not None else
           Attendance.objects.filter(activity=activity, person=None, guest_name=guest_name).first())
    when = _local(row.signed_in_at) if row else ""
    return ValidationError(_("%(name)s already signed in at %(time)s.")
                           % {"name": person.name if person else guest_name, "time": when}, code="twice")


@transaction.atomic
def sign_in(*, activity: Activity, person: Person, now: dt.datetime | None = None) -> Attendance:
    """A person signs in by the QR code: attended, and their organization is credited."""
    now = now or timezone.now()
    activity = _locked(activity)
    _check_open_for_signin(activity, now)
    if Attendance.objects.filter(activity=activity, person=person).exists():
        raise _already(activity, person, "")
    return _attend(activity, person=person, organization_id=person.organization_id, method=AttendanceMethod.QR,
                   signed_in_at=now, recorded_by=person.user if person.user_id else None)


@transaction.atomic
def sign_in_guest(*, activity: Activity, name: str, unit: str, now: dt.datetime | None = None) -> Attendance:
    """A guest from another unit signs in with their name and unit (nothing more is asked)."""
    now = now or timezone.now()
    activity = _locked(activity)
    _check_open_for_signin(activity, now)
    if not activity.allow_guests:
        raise ValidationError(_("This activity does not take guest sign-ins; ask the hosts to mark you present."),
                              code="no_guests")
    name, unit = " ".join((name or "").split()), " ".join((unit or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Enter your name.")
    if not unit:
        errors["unit"] = _("Enter your unit.")
    if errors:
        raise ValidationError(errors)
    if Attendance.objects.filter(activity=activity, person=None, guest_name=name, guest_unit=unit).exists():
        raise _already(activity, None, name)
    return _attend(activity, guest_name=name[:50], guest_unit=unit[:200], method=AttendanceMethod.QR,
                   signed_in_at=now)


@transaction.atomic
def attendance_mark(*, actor: Actor, activity: Activity, people: Iterable[Person],
                    now: dt.datetime | None = None) -> tuple[list[Attendance], list[Person]]:
    """Mark people present by hand (after the activity has started). Returns the new rows and the people who
    were already signed in."""
    activity = _locked(activity, actor)
    now = now or timezone.now()
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("This activity was cancelled."))
    if activity.starts_at > now:
        raise ValidationError(_("Attendance can be marked once the activity has started (%(start)s).")
                              % {"start": _local(activity.starts_at)})
    people = list(dict.fromkeys(people))
    allowed = set(markable_people(actor, activity).filter(pk__in=[p.pk for p in people])
                  .values_list("pk", flat=True))
    if len(allowed) != len(people):
        raise ValidationError({"people": _("Choose people from the list.")})
    present = set(Attendance.objects.filter(activity=activity, person__in=people).values_list("person_id", flat=True))
    recorder = signed_in(actor)
    added = [_attend(activity, person=p, organization_id=p.organization_id, method=AttendanceMethod.MANUAL,
                     signed_in_at=now, recorded_by=recorder) for p in people if p.pk not in present]
    return added, [p for p in people if p.pk in present]


@transaction.atomic
def attendance_remove(*, actor: Actor, attendance: Attendance) -> None:
    _require_change(actor, attendance.activity)
    audit.record_delete(actor, attendance, str(attendance.pk))
    attendance.delete()


# Registration (报名) ----------------------------------------------------------------------------------------------


def registered_count(activity: Activity) -> int:
    return activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def register(*, actor: Actor, activity: Activity, person: Person | None = None,
             now: dt.datetime | None = None) -> Registration:
    """Take a place at an activity open for registration. Members register themselves; the hosts may register
    people they could mark present (the invited, their own members). The capacity is checked under a lock."""
    own = require_person(actor) if person is None else None
    person = person or own
    assert person is not None
    if own is None and getattr(getattr(actor, "person", None), "pk", None) != person.pk:
        _require_change(actor, activity)
        if not markable_people(actor, activity).filter(pk=person.pk).exists():
            raise ValidationError({"person": _("Choose a person from the list.")})
    activity = _locked(activity)
    now = now or timezone.now()
    if activity.status != ActivityStatus.OPEN:
        raise ValidationError(_("This activity is “%(status)s”; registration is not open.")
                              % {"status": activity.get_status_display()})
    if activity.starts_at <= now:
        raise ValidationError(_("Registration closed when the activity started (%(start)s).")
                              % {"start": _local(activity.starts_at)})
    existing = Registration.objects.filter(activity=activity, person=person).first()
    if existing is not None and existing.status == RegistrationStatus.REGISTERED:
        raise ValidationError(_("%(name)s is already registered.") % {"name": person.name})
    if activity.capacity is not None and registered_count(activity) >= activity.capacity:
        raise ValidationError(_("The activity is full: all %(n)d places are taken.") % {"n": activity.capacity})
    by = signed_in(actor)
    if existing is not None:
        existing.status, existing.organization_id, existing.registered_by = (
            RegistrationStatus.REGISTERED, person.organization_id, by)
        existing.save(update_fields=["status", "organization", "registered_by", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=existing,
                     changes={"status": [RegistrationStatus.CANCELLED, RegistrationStatus.REGISTERED]})
        notices.registered(existing)
        return existing
    registration = Registration.objects.create(activity=activity, person=person, registered_by=by,
                                               organization_id=person.organization_id)
    audit.record_create(actor, registration)
    notices.registered(registration)
    return registration


@transaction.atomic
def unregister(*, actor: Actor, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """Give up a place (the person themselves, or the hosts) before the activity starts."""
    own = getattr(getattr(actor, "person", None), "pk", None) == registration.person_id
    if not own:
        _require_change(actor, registration.activity)
    registration = Registration.objects.select_for_update().select_related("activity").get(pk=registration.pk)
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(_("This registration was already cancelled."))
    if registration.activity.starts_at <= (now or timezone.now()):
        raise ValidationError(_("The activity has started; the registration stays on record."))
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=registration,
                 changes={"status": [RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED]})
    return registration


# Follow-up items -------------------------------------------------------------------------------------------------


@transaction.atomic
def followup_add(*, actor: Actor, activity: Activity, title: str, owner_organization: Organization,
                 owner_person: Person | None = None, due_on: dt.date | None = None) -> FollowUp:
    _require_change(actor, activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("This activity was cancelled."))
    if actor is not None and not pickable_hosts(actor).filter(pk=owner_organization.pk).exists():
        raise ValidationError({"owner_organization": _("Choose an organization from the list.")})
    return model_create(FollowUp, actor=actor, data={
        "activity": activity, "title": (title or "").strip(), "owner_organization": owner_organization,
        "owner_person": owner_person, "due_on": due_on})


def _may_work_on(actor: Actor, item: FollowUp) -> bool:
    return actor is None or can(actor, Action.CHANGE, item.activity) or can(actor, Action.CHANGE,
                                                                              item.owner_organization)


@transaction.atomic
def followup_complete(*, actor: Actor, item: FollowUp, result: str = "", done_on: dt.date | None = None) -> FollowUp:
    """The hosts or the owner organization close an item."""
    if not _may_work_on(actor, item):
        raise PermissionDenied(_("Only the hosts and the item's owner may close it."))
    item = FollowUp.objects.select_for_update().get(pk=item.pk)
    if item.status == FollowUpStatus.DONE:
        raise ValidationError(_("This item is already done."))
    item, _changed = model_update(item, actor=actor, data={
        "status": FollowUpStatus.DONE, "done_on": done_on or timezone.localdate(), "result": (result or "").strip()})
    return item


# Photos ------------------------------------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, actor: Actor, activity: Activity, upload: IO[bytes], size: int, caption: str = "") -> ActivityPhoto:
    """Validate a photo by its content, re-encode it and keep it (outside the public media)."""
    activity = _locked(activity, actor)
    if activity.photos.count() >= settings.PHOTOS_PER_ACTIVITY:
        raise ValidationError(_("An activity keeps at most %(n)d photos; delete one first.")
                              % {"n": settings.PHOTOS_PER_ACTIVITY})
    clean = reencode_image(upload, size)
    photo = ActivityPhoto(activity=activity, caption=(caption or "").strip()[:200], width=clean.width,
                          height=clean.height, size=len(clean.content),
                          uploaded_by=signed_in(actor))
    photo.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(clean.content), save=False)
    try:
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    audit.record_create(actor, photo)
    return photo


def photo_sweep_orphans(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete photo files no row refers to (see ``core.storage.sweep_orphans``)."""
    return sweep_orphans("activity-photos", ActivityPhoto, "image", older_than)


@transaction.atomic
def photo_delete(*, actor: Actor, photo: ActivityPhoto) -> None:
    _require_change(actor, photo.activity)
    audit.record_delete(actor, photo, str(photo.pk))
    name = photo.image.name or ""
    photo.delete()
    transaction.on_commit(lambda: photo.image.storage.delete(name))


def require_person(user: Any) -> Person:
    person = getattr(user, "person", None) if user is not None else None
    if person is None:
        raise ValidationError(_("Your account is not linked to a person record; sign in as a guest or ask the "
                                "hosts to mark you present."), code="no_person")
    return person


# Calendar feeds ----------------------------------------------------------------------------------------------------


@transaction.atomic
def feed_create(*, actor: Actor, organization: Organization | None = None) -> CalendarFeed:
    """A secret iCalendar link for the actor's own calendar or for one organization they may see."""
    user = signed_in(actor)
    if user is None:
        raise PermissionDenied
    if organization is not None and not can(user, Action.VIEW, organization):
        raise PermissionDenied(_("You may not see this organization's activities."))
    if CalendarFeed.objects.filter(user=user, revoked_at=None).count() >= 20:
        raise ValidationError(_("You have 20 calendar links; revoke one you no longer use first."))
    feed = CalendarFeed.objects.create(user=user, organization=organization)
    audit.record_create(user, feed)
    return feed


@transaction.atomic
def feed_revoke(*, actor: Actor, feed: CalendarFeed) -> CalendarFeed:
    user = signed_in(actor)
    if user is None or feed.user_id != user.pk:
        raise PermissionDenied
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=feed,
                     changes={"revoked_at": [None, feed.revoked_at.isoformat()]})
    return feed


# A calendar program polls every few minutes; the use is kept (and audited) to the hour, not per poll.
FEED_USE_RESOLUTION = dt.timedelta(hours=1)


@transaction.atomic
def feed_mark_used(*, feed: CalendarFeed, now: dt.datetime | None = None) -> bool:
    """Note that the feed was read (audited, as its owner's act); returns whether anything was written."""
    now = now or timezone.now()
    before = feed.last_used_at
    if before is not None and now - before < FEED_USE_RESOLUTION:
        return False
    # Conditional, so that two polls at once write (and audit) the use once.
    unchanged = Q(last_used_at__isnull=True) if before is None else Q(last_used_at=before)
    if not CalendarFeed.objects.filter(unchanged, pk=feed.pk).update(last_used_at=now):
        return False
    feed.last_used_at = now
    audit.record(actor=feed.user, action=AuditAction.UPDATE, instance=feed,
                 changes={"last_used_at": [before.isoformat() if before else None, now.isoformat()]})
    return True


# Series and ledger rules -------------------------------------------------------------------------------------------

SERIES_FIELDS = ("name", "owner", "kind", "first_month", "last_month", "programme", "reminder_day", "description",
                 "is_active")


def _series_values(actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    values = {f: data[f] for f in SERIES_FIELDS if f in data}
    owner, programme = values.get("owner"), values.get("programme")
    if actor is not None and owner is not None and not can(actor, Action.CHANGE, owner):
        raise ValidationError({"owner": _("Choose an organization you are responsible for.")})
    if actor is not None and programme is not None and not can(actor, Action.CHANGE, programme):
        raise ValidationError({"programme": _("Choose a programme you organize.")})
    return values


def _check_participants(actor: Actor, participants: list[Organization] | None, known: Iterable[int] = ()) -> None:
    new = {o.pk for o in participants or []} - set(known)
    if actor is not None and new and pickable_hosts(actor).filter(pk__in=new).count() != len(new):
        raise ValidationError({"participants": _("Choose organizations from the list.")})


@transaction.atomic
def series_create(*, actor: Actor, data: Mapping[str, Any]) -> ActivitySeries:
    values = _series_values(actor, data)
    participants = list(data.get("participants") or [])
    _check_participants(actor, participants)
    return model_create(ActivitySeries, actor=actor, data=values,
                        after_save=lambda s: s.participants.set(participants))


@transaction.atomic
def series_update(*, actor: Actor, series: ActivitySeries, data: Mapping[str, Any]) -> ActivitySeries:
    values = _series_values(actor, data)
    before = sorted(series.participants.values_list("pk", flat=True))
    participants = list(data["participants"]) if "participants" in data else None
    _check_participants(actor, participants, before)
    series, _changed = model_update(series, actor=actor, data=values)
    if participants is not None and sorted(p.pk for p in participants) != before:
        series.participants.set(participants)
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=series,
                     changes={"participants": [before, sorted(p.pk for p in participants)]})
    outside = series.activities.exclude(status=ActivityStatus.CANCELLED).filter(
        Q(starts_at__date__lt=series.first_month) | Q(starts_at__date__gte=_month_after(series.last_month)))
    if outside.exists():
        raise ValidationError({"first_month": _("Activities of the series fall outside the new months; keep them "
                                                "inside.")})
    return series


def _month_after(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@transaction.atomic
def series_set_theme(*, actor: Actor, series: ActivitySeries, month: dt.date, theme: str) -> None:
    """Set (or, with an empty theme, clear) the theme of one month of a series."""
    if actor is not None and not can(actor, Action.CHANGE, series):
        raise PermissionDenied(_("Only the series' organizers may do this."))
    month = month.replace(day=1)
    if not series.first_month <= month <= series.last_month:
        raise ValidationError({"month": _("Choose a month of the series.")})
    theme = (theme or "").strip()
    current = SeriesMonth.objects.filter(series=series, month=month).first()
    if not theme:
        if current is not None:
            current.delete()
    elif current is None:
        SeriesMonth.objects.create(series=series, month=month, theme=theme)
    else:
        current.theme = theme
        current.save(update_fields=["theme"])
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=series,
                 changes={f"theme {month:%Y-%m}": [current.theme if current else None, theme or None]})


@transaction.atomic
def rule_save(*, actor: Actor, rule: LedgerRule, data: Mapping[str, Any]) -> LedgerRule:
    """Create or change a ledger rule (platform administrators)."""
    if actor is not None and not get_scope(actor, Action.CHANGE).everything:
        raise PermissionDenied(_("Only platform administrators configure the ledger rules."))
    if rule.pk is None:
        return model_create(LedgerRule, actor=actor, data=data)
    rule, _changed = model_update(rule, actor=actor, data=data)
    return rule
