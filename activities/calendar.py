"""Calendar views (month, week) and iCalendar feeds.

A user's calendar is the activities they may see — those of their organizations, their alliances, their pairs,
and those they were invited to. A feed shows what its owner may see *now*: a feed whose owner lost a role or was
deactivated shrinks or goes empty; a revoked feed answers 404.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from organizations.models import Organization

from .choices import ActivityStatus
from .models import Activity, ActivityHost, CalendarFeed
from .selectors import activity_list

FEED_PAST_DAYS = 180
FEED_FUTURE_DAYS = 400
FEED_LIMIT = 2000


def calendar_activities(user: Any, start: dt.date, end: dt.date,
                        organization: Organization | None = None) -> QuerySet[Activity]:
    """Visible activities starting on a day in [start, end)."""
    tz = timezone.get_current_timezone()
    qs = activity_list(user).filter(
        starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        starts_at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz))
    if organization is not None:
        qs = for_organization(qs, organization)
    return qs.order_by("starts_at", "pk")


def for_organization(qs: QuerySet[Activity], organization: Organization) -> QuerySet[Activity]:
    hosted = ActivityHost.objects.filter(organization=organization).values("activity")
    return qs.filter(Q(pk__in=hosted) | Q(invited_organizations=organization)).distinct()


@dataclass
class Day:
    date: dt.date
    in_month: bool
    activities: list[Activity]

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


def _by_day(activities: QuerySet[Activity]) -> dict[dt.date, list[Activity]]:
    days: dict[dt.date, list[Activity]] = defaultdict(list)
    for activity in activities:
        days[timezone.localtime(activity.starts_at).date()].append(activity)
    return days


def month_grid(user: Any, year: int, month: int, organization: Organization | None = None) -> list[list[Day]]:
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    days = _by_day(calendar_activities(user, weeks[0][0], weeks[-1][-1] + dt.timedelta(days=1), organization))
    return [[Day(d, d.month == month, days.get(d, [])) for d in week] for week in weeks]


def week_days(user: Any, monday: dt.date, organization: Organization | None = None) -> list[Day]:
    days = _by_day(calendar_activities(user, monday, monday + dt.timedelta(days=7), organization))
    return [Day(monday + dt.timedelta(days=i), True, days.get(monday + dt.timedelta(days=i), []))
            for i in range(7)]


def feed_activities(feed: CalendarFeed) -> QuerySet[Activity]:
    today = timezone.localdate()
    return calendar_activities(feed.user, today - dt.timedelta(days=FEED_PAST_DAYS),
                               today + dt.timedelta(days=FEED_FUTURE_DAYS), feed.organization)[:FEED_LIMIT]


def ical(activities: Any, name: str, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Lianmeng//activities//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    host = base_url.split("//")[-1].split("/")[0] or "lianmeng"
    for activity in activities:
        event = Event()
        event.add("uid", f"activity-{activity.pk}@{host}")
        event.add("dtstamp", activity.updated_at)
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at)
        event.add("summary", f"[{activity.get_kind_display()}] {activity.theme}")
        if activity.venue:
            event.add("location", activity.venue)
        hosts = "、".join(link.organization.name for link in activity.host_links.all())
        event.add("description", "\n".join(filter(None, [hosts, activity.description])))
        event.add("url", f"{base_url.rstrip('/')}{activity.get_absolute_url()}")
        event.add("status", "CANCELLED" if activity.status == ActivityStatus.CANCELLED else
                  "TENTATIVE" if activity.status == ActivityStatus.PLANNED else "CONFIRMED")
        cal.add_component(event)
    return bytes(cal.to_ical())


def site_url(request: Any) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/")
