"""Reminders for follow-up items: once when an item falls due soon, once when it is overdue (the owner
organization's secretaries and the owner; for an overdue item also the lead host's secretaries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.recipients import secretaries
from notifications.services import notify

from . import notices
from .choices import FollowUpStatus
from .models import ActivityHost, FollowUp


def _recipients(item: FollowUp, by_org: Mapping[int, list[Any]], lead: int | None) -> list[Any]:
    users = list(by_org.get(item.owner_organization_id, []))
    if item.owner_person is not None and item.owner_person.user_id:
        users.append(item.owner_person.user)
    if lead is not None:
        users.extend(by_org.get(lead, []))
    return users


@transaction.atomic
def send_followup_reminders(today: dt.date | None = None) -> int:
    """Remind the owners of open items due within ``FOLLOWUP_REMIND_DAYS`` days and of overdue items. Safe to run
    any number of times a day: each item gets each reminder once."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=settings.FOLLOWUP_REMIND_DAYS)
    items = list(FollowUp.objects.select_for_update(of=("self",))
                 .filter(status=FollowUpStatus.OPEN, due_on__isnull=False, due_on__lte=soon)
                 .exclude(due_on__gte=today, reminded_due_on__isnull=False)
                 .exclude(due_on__lt=today, reminded_overdue_on__isnull=False)
                 .select_related("activity", "owner_organization", "owner_person__user"))
    if not items:
        return 0
    leads = dict(ActivityHost.objects.filter(activity__in={i.activity_id for i in items}, is_lead=True)
                 .values_list("activity_id", "organization_id"))
    by_org = secretaries([*{i.owner_organization_id for i in items}, *leads.values()])
    for item in items:
        overdue = item.due_on < today  # type: ignore[operator]
        # Each recipient reads it in their own language: the text is written once per language.
        notify(_recipients(item, by_org, leads.get(item.activity_id) if overdue else None),
               kind=notices.FOLLOWUP_DUE, title=partial(_reminder_title, item, overdue),
               body=partial(_reminder_body, item, overdue), url=item.activity.get_absolute_url(),
               event=f"followup:{item.pk}:{'overdue' if overdue else 'due'}:{item.due_on}")
        if overdue:
            item.reminded_overdue_on = today
        else:
            item.reminded_due_on = today
        item.save(update_fields=["reminded_due_on", "reminded_overdue_on"])
    return len(items)


def _reminder_values(item: FollowUp) -> dict[str, str]:
    return {"item": item.title, "due": date_format(item.due_on, "SHORT_DATE_FORMAT"),  # type: ignore[arg-type]
            "activity": item.activity.theme, "org": item.owner_organization.name}


def _reminder_title(item: FollowUp, overdue: bool) -> str:
    return (_("Overdue: %(item)s") if overdue else _("Due soon: %(item)s")) % _reminder_values(item)


def _reminder_body(item: FollowUp, overdue: bool) -> str:
    if overdue:
        return _("The follow-up item “%(item)s” of “%(activity)s”, owned by %(org)s, was due on %(due)s. "
                 "Close it with its result once it is done.") % _reminder_values(item)
    return _("The follow-up item “%(item)s” of “%(activity)s”, owned by %(org)s, is due on %(due)s.") \
        % _reminder_values(item)
