"""Reminders before a deadline and escalation after it, run by a scheduled background task.

- **Reminder**: when the running deadline (accept by, resolve by) is at most the tier's ``remind_days`` working
  days away, the people who must act are told once: the staff of the demand's region and the alliance's
  administrators for acceptance; the handler organization's secretaries and the handler for resolution.
- **Escalation**: once a deadline has passed the case goes one level up, once per deadline: an acceptance goes
  to the staff of the parent region; a resolution goes to the handler organization's parent organization (which
  then sees the case: ``escalated_to``) and to the staff of the demand's region. The level is kept on the case and
  every escalation is a timeline event the requester sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import audit
from notifications import recipients as recipients_of
from notifications.kinds import Kind
from notifications.services import notify
from organizations.models import Organization
from organizations.visibility import reach_fields_to_save

from . import events, notices, workdays
from .choices import AWAITING_ACCEPTANCE, AWAITING_RESOLUTION, DeadlineKind
from .models import Demand
from .services import _marks, tier_for


def _running(demand: Demand) -> tuple[str, dt.datetime | None]:
    if demand.status in AWAITING_ACCEPTANCE:
        return DeadlineKind.ACCEPT, demand.accept_due
    if demand.status in AWAITING_RESOLUTION:
        return DeadlineKind.RESOLVE, demand.resolve_due
    return "", None


def _say(recipients: Iterable[Any], demand: Demand, kind: str, due: dt.datetime, title: str, body: str,
         notice: Kind) -> None:
    """``title`` and ``body`` (msgids) are written in each recipient's own language."""
    notify(recipients, kind=notice, title=partial(_write, title, demand, kind, due),
           body=partial(_write, body, demand, kind, due), url=demand.get_absolute_url(),
           event=f"demand:{demand.pk}:{notice}:{kind}:{due.isoformat()}")


def _write(message: str, demand: Demand, kind: str, due: dt.datetime) -> str:
    """A deadline message in the active language."""
    return _(message) % {"title": demand.title, "due": date_format(timezone.localtime(due), "SHORT_DATETIME_FORMAT"),
                         "deadline": str(DeadlineKind(kind).label)}


@transaction.atomic
def run_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders that are due and escalate what is overdue. Safe to run any number of times."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    calendar = workdays.WorkingCalendar(today)
    counts = {"reminded": 0, "escalated": 0}
    horizon = workdays.end_of_working_day(calendar.add(today, settings.DEMAND_MAX_REMIND_DAYS))
    candidates = (Demand.objects.select_for_update(of=("self",))
                  .filter(Q(status__in=AWAITING_ACCEPTANCE, accept_due__lte=horizon)
                          | Q(status__in=AWAITING_RESOLUTION, resolve_due__lte=horizon))
                  .select_related("category", "region", "handler_organization", "handler_person__user"))
    tiers: dict[tuple[int, str], int] = {}
    for demand in candidates:
        kind, due = _running(demand)
        if due is None:
            continue
        if due <= now and kind not in demand.escalated.split():
            _escalate(demand, kind, due, now)
            counts["escalated"] += 1
        elif due > now and kind not in demand.reminded.split():
            left = calendar.between(today, timezone.localtime(due).date())
            key = (demand.category_id, demand.urgency)
            if key not in tiers:
                tiers[key] = tier_for(demand.category, demand.urgency).remind_days
            if left <= tiers[key]:
                recipients = notices.managers(demand) if kind == DeadlineKind.ACCEPT else notices.handlers(demand)
                _say(recipients, demand, kind, due, gettext_noop("Due soon: %(title)s"),
                     gettext_noop("Deadline to %(deadline)s the demand “%(title)s”: %(due)s."), notices.DUE_SOON)
                demand.reminded = _marks(demand.reminded, kind, True)
                demand.save(update_fields=["reminded"])
                events.reminded(demand, deadline=kind, at=now)
                counts["reminded"] += 1
    return counts


def _escalate(demand: Demand, kind: str, due: dt.datetime, now: dt.datetime) -> None:
    target: Organization | None = None
    if kind == DeadlineKind.ACCEPT:  # one level up: the staff above the demand's region
        recipients = recipients_of.region_staff(demand.region.parent or demand.region) + \
            recipients_of.alliance_admins([demand.alliance_id])
    else:
        handler = demand.handler_organization
        target = cast(Organization | None, handler.parent if handler is not None else None)
        recipients = notices.managers(demand)
        if target is not None:
            recipients += recipients_of.secretaries([target.pk]).get(target.pk, [])
    recipients += notices.handlers(demand)
    before = audit.raw_snapshot(demand)
    demand.escalation_level += 1
    demand.escalated = _marks(demand.escalated, kind, True)
    fields = ["escalation_level", "escalated"]
    if target is not None:
        demand.escalated_to = target
        fields.append("escalated_to")
    demand.save(update_fields=[*fields, *reach_fields_to_save(demand, fields)])
    audit.record_update(None, demand, before)  # the system escalated it, and widened who sees the case
    with translation.override(settings.LANGUAGE_CODE):  # the case history is one record, in the platform's language
        note = _write(gettext_noop("The deadline to %(deadline)s (%(due)s) has passed."), demand, kind, due)
    events.escalated(demand, deadline=kind, organization=target, note=note, at=now)
    _say(recipients, demand, kind, due, gettext_noop("Overdue, escalated: %(title)s"),
         gettext_noop("The deadline to %(deadline)s the demand “%(title)s” (%(due)s) has passed; the case was "
                      "escalated."), notices.ESCALATED)
