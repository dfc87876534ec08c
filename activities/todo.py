"""What waits on activities: the ones the user hosts this week (sign-in to take), the ones held and not yet
recorded, the user's own registrations, follow-up items of their organizations falling due, and this period's
gaps in the organization-life ledger of the organizations they answer for as secretary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.permissions import Action, get_scope
from core.tree import subtrees_q
from organizations.models import Organization
from workbench.registry import Found, Item, first, todo

from .choices import UPCOMING_STATUSES, ActivityStatus, FollowUpStatus, RegistrationStatus
from .ledger import build_ledgers
from .models import Activity, FollowUp, Registration

WEEK = dt.timedelta(days=7)
LEDGER_ORGANIZATIONS = 30  # a general branch's secretary sees its branches' gaps; the ledger page has the rest


def _hosted(user: Any) -> Any:
    return Activity.objects.restrict(user, Action.CHANGE)


@todo("activities.hosting", _("Activities I host this week"), order=40)
def hosting(user: Any, now: dt.datetime) -> Found:
    rows, total = first(_hosted(user).filter(status__in=UPCOMING_STATUSES, starts_at__gte=now - dt.timedelta(hours=2),
                                             starts_at__lt=now + WEEK).order_by("starts_at", "id"))
    return [Item(a.theme, a.get_absolute_url(), a.starts_at, a.venue) for a in rows], total


@todo("activities.record", _("Activities held, to record"), order=41)
def to_record(user: Any, now: dt.datetime) -> Found:
    """Took place in the last 60 days (ended) and has no record yet."""
    rows, total = first(_hosted(user).filter(
        Q(status__in=UPCOMING_STATUSES) | Q(status=ActivityStatus.HELD), ends_at__lt=now,
        starts_at__gte=now - dt.timedelta(days=60)).order_by("starts_at", "id"))
    return [Item(a.theme, a.get_absolute_url(), None, a.venue) for a in rows], total


@todo("activities.registrations", _("My registrations"), order=42)
def registrations(user: Any, now: dt.datetime) -> Found:
    person = getattr(user, "person", None)
    if person is None:
        return [], 0
    rows, total = first(Registration.objects.filter(person=person, status=RegistrationStatus.REGISTERED,
                                                    activity__starts_at__gte=now)
                        .select_related("activity").order_by("activity__starts_at", "id"))
    return [Item(r.activity.theme, r.activity.get_absolute_url(), None, r.activity.venue) for r in rows], total


@todo("activities.followups", _("Follow-up items due"), order=43)
def followups(user: Any, now: dt.datetime) -> Found:
    paths = get_scope(user, Action.CHANGE).org_paths
    person = getattr(user, "person", None)
    mine = subtrees_q(paths, "owner_organization__path") | (Q(owner_person=person) if person else Q(pk__in=[]))
    soon = timezone.localdate(now) + WEEK
    rows, total = first(FollowUp.objects.filter(mine, status=FollowUpStatus.OPEN, due_on__lte=soon)
                        .select_related("activity", "owner_organization").order_by("due_on", "id"))
    return [Item(f.title, f.activity.get_absolute_url(), f.due_on, f.owner_organization.name) for f in rows], total


@todo("activities.ledger", _("Organization life still due this period"), order=44)
def ledger_gaps(user: Any, now: dt.datetime) -> Found:
    """The running period's rules not yet met by the organizations the user is secretary of (and their
    branches), e.g. this quarter's party lecture."""
    paths = get_scope(user, Action.CHANGE).org_paths
    if not paths:
        return [], 0
    today = timezone.localdate(now)
    organizations = list(Organization.objects.filter(subtrees_q(paths)).order_by("path")[:LEDGER_ORGANIZATIONS])
    items = []
    for ledger in build_ledgers(organizations, today.year, today):
        due = [(row.rule.name, cell) for row in ledger.rows for cell in row.cells if cell.status == "due"]
        if due:  # one line per organization: what its running periods still lack
            items.append(Item(ledger.organization.name,
                              reverse("activities:organization_ledger", args=[ledger.organization.pk]),
                              min(_period_end(today.year, cell.period.last_month) for _rule, cell in due),
                              "; ".join(gettext("%(rule)s %(done)d/%(required)d") % {
                                  "rule": rule, "done": cell.count, "required": cell.required} for rule, cell in due)))
    return items, len(items)


def _period_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
