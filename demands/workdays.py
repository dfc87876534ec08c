"""Working-day arithmetic for deadlines: weekends are rest days unless a ``Holiday`` row makes one a working day
(调休); a ``Holiday`` row on a weekday makes it a rest day. A deadline of N working days ends at the close of
the Nth working day after the day the clock starts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import Holiday


class WorkingCalendar:
    """The exceptions between two dates, read once; then pure arithmetic."""

    def __init__(self, start: dt.date, days_ahead: int = 400) -> None:
        rows = Holiday.objects.filter(date__gte=start - dt.timedelta(days=days_ahead),
                                      date__lte=start + dt.timedelta(days=days_ahead))
        self.exceptions = dict(rows.values_list("date", "is_working_day"))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add(self, day: dt.date, n: int) -> dt.date:
        """The Nth working day after ``day`` (``day`` itself does not count)."""
        count = 0
        while count < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def end_of_working_day(day: dt.date) -> dt.datetime:
    hour, minute = settings.WORKDAY_ENDS_AT
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def deadline(start: dt.datetime, working_days: int) -> dt.datetime:
    """The close of the Nth working day after ``start``'s day."""
    day = timezone.localtime(start).date()
    return end_of_working_day(WorkingCalendar(day).add(day, working_days))
