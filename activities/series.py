"""Monthly theme series: the completion matrix (organizations or pairs × months) and the reminders.

Both read the same rule: a participant has done a month when an activity of the series, held in that month, is
hosted by it (or, for a series of a pairing programme, linked to the pair).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Action, can
from notifications.recipients import secretaries
from notifications.services import notify
from organizations.models import Organization
from pairing.choices import LIVE_STATUSES
from pairing.models import Pair

from . import notices
from .choices import DONE_STATUSES, UPCOMING_STATUSES
from .models import ActivityHost, ActivityPair, ActivitySeries, SeriesMonth, SeriesReminder


def series_months(series: ActivitySeries) -> list[dt.date]:
    months, month = [], series.first_month.replace(day=1)
    while month <= series.last_month:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def month_themes(series: ActivitySeries) -> dict[dt.date, SeriesMonth]:
    return {m.month: m for m in series.months.all()}


@dataclass
class MatrixCell:
    month: dt.date
    held: int
    planned: int
    status: str  # done / planned / missing / open (the month is running, reminder day not reached) / future


@dataclass
class MatrixRow:
    subject: Organization | Pair
    cells: list[MatrixCell]

    @property
    def done(self) -> int:
        return sum(1 for c in self.cells if c.status == "done")


def _cell_status(month: dt.date, held: int, planned: int, today: dt.date, reminder_day: int) -> str:
    if held:
        return "done"
    this_month = today.replace(day=1)
    if month > this_month:
        return "planned" if planned else "future"
    if month < this_month or today.day >= reminder_day:
        return "planned" if planned and month == this_month else "missing"
    return "planned" if planned else "open"


def _counts(series: ActivitySeries, by_pair: bool) -> dict[tuple[int, int, int, bool], int]:
    """(row id, year, month, held?) → activities of the series (cancelled ones left out)."""
    links: QuerySet[Any]
    if by_pair:
        links = ActivityPair.objects.filter(activity__series=series)
        key = "pair_id"
    else:
        links = ActivityHost.objects.filter(activity__series=series)
        key = "organization_id"
    rows = (links.filter(activity__status__in=(*DONE_STATUSES, *UPCOMING_STATUSES))
            .annotate(y=ExtractYear("activity__starts_at"), m=ExtractMonth("activity__starts_at"))
            .values(key, "y", "m", "activity__status").annotate(n=Count("activity_id")).order_by())
    counts: dict[tuple[int, int, int, bool], int] = defaultdict(int)
    for r in rows:
        counts[(r[key], r["y"], r["m"], r["activity__status"] in DONE_STATUSES)] += r["n"]
    return counts


def series_subjects(series: ActivitySeries, user: Any) -> list[Any]:
    """The matrix's rows the user may see: the programme's pairs, or the participating organizations."""
    if series.programme_id:
        pairs = Pair.objects.restrict(user) if user is not None else Pair.objects.all()
        return list(pairs.filter(programme_id=series.programme_id).select_related("organ")
                    .prefetch_related("partners").order_by("organ__path", "pk"))
    orgs = Organization.objects.restrict(user) if user is not None else Organization.objects.all()
    if user is not None and can(user, Action.CHANGE, series):
        orgs = Organization.objects.all()  # the owner's managers see every participant, as they do pairs
    return list(orgs.filter(participating_series=series).order_by("path"))


def completion_matrix(series: ActivitySeries, user: Any, today: dt.date | None = None) -> list[MatrixRow]:
    today = today or timezone.localdate()
    by_pair = bool(series.programme_id)
    counts = _counts(series, by_pair)
    months = series_months(series)
    rows = []
    for subject in series_subjects(series, user):
        cells = []
        for month in months:
            held = counts.get((subject.pk, month.year, month.month, True), 0)
            planned = counts.get((subject.pk, month.year, month.month, False), 0)
            cells.append(MatrixCell(month, held, planned,
                                    _cell_status(month, held, planned, today, series.reminder_day)))
        rows.append(MatrixRow(subject, cells))
    return rows


# Reminders -------------------------------------------------------------------------------------------------------


def due_reminders(series: ActivitySeries, today: dt.date) -> list[Organization]:
    """Organizations to remind this month: participants (or the sides of the programme's live pairs) with no
    activity of the series held this month and not yet reminded for it."""
    month = today.replace(day=1)
    if not series.is_active or today.day < series.reminder_day or not series.first_month <= month <= \
            series.last_month:
        return []
    counts = _counts(series, bool(series.programme_id))
    targets: dict[int, Organization] = {}
    if series.programme_id:
        pairs = (Pair.objects.filter(programme_id=series.programme_id, status__in=LIVE_STATUSES,
                                     starts_on__lte=today, ends_on__gte=month)
                 .select_related("organ").prefetch_related("partners"))
        for pair in pairs:
            if not counts.get((pair.pk, month.year, month.month, True)):
                for org in (pair.organ, *pair.partners.all()):
                    targets.setdefault(org.pk, org)
    else:
        for org in series.participants.all():
            if not counts.get((org.pk, month.year, month.month, True)):
                targets.setdefault(org.pk, org)
    reminded = set(SeriesReminder.objects.filter(series=series, month=month).values_list("organization_id",
                                                                                          flat=True))
    return [org for pk, org in targets.items() if pk not in reminded]


def _reminder_title(series: ActivitySeries) -> str:
    return _("Reminder: no activity of “%(series)s” held yet this month") % {"series": series.name}


def _reminder_body(series: ActivitySeries, org: Organization, month: dt.date, theme: Any) -> str:
    return _("%(org)s has not held an activity of the series “%(series)s” in %(month)s yet%(theme)s. "
             "Record it on the platform once it has taken place.") % {
        "org": org.name, "series": series.name, "month": f"{month:%Y-%m}",
        "theme": _(" (theme: %(theme)s)") % {"theme": theme.theme} if theme else ""}


@transaction.atomic
def send_series_reminders(today: dt.date | None = None) -> int:
    """Remind every participant of every active series that has not held this month's activity by the series'
    reminder day. Safe to run any number of times a day: each organization is reminded once a month."""
    today = today or timezone.localdate()
    sent = 0
    for series in ActivitySeries.objects.filter(is_active=True).select_for_update():
        due = due_reminders(series, today)
        if not due:
            continue
        month = today.replace(day=1)
        theme = month_themes(series).get(month)
        users = secretaries([o.pk for o in due])
        now = timezone.now()
        for org in due:
            recipients = users.get(org.pk, [])
            # Each recipient reads it in their own language: the text is written once per language.
            notify(recipients, kind=notices.SERIES_REMINDER, title=partial(_reminder_title, series),
                   body=partial(_reminder_body, series, org, month, theme),
                   url=reverse("activities:series_detail", args=[series.pk]),
                   event=f"series:{series.pk}:{month:%Y-%m}:{org.pk}")
            SeriesReminder.objects.create(series=series, month=month, organization=org, sent_at=now,
                                          recipients=len(recipients))
            sent += 1
    return sent
