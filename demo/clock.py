"""The demo's one clock: the loader reads the time once and derives every rolling date from it.

The real cases keep their real dates (DOMAIN.md); what recurs (monthly party days, yearly reviews, the chair's
term, deadlines) is placed relative to this clock, so a load on any day — the 1st, the 31st, 29 February, a
Sunday — gives the same shape of data. Tests load the demo under ``time_machine`` at such anchors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class DemoClock:
    now: dt.datetime

    @classmethod
    def read(cls) -> DemoClock:
        return cls(timezone.now())

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def ago(self, days: float) -> dt.datetime:
        return self.now - dt.timedelta(days=days)

    def months_back(self, count: int) -> list[dt.date]:
        """The first days of the last ``count`` months, this month included, oldest first."""
        first = self.today.replace(day=1)
        months = []
        for _ in range(count):
            months.append(first)
            first = (first - dt.timedelta(days=1)).replace(day=1)
        return sorted(months)

    def last(self, month: int, day: int) -> dt.date:
        """The most recent month/day on or before today (29 February falls back to the 28th in other years)."""
        def on(year: int) -> dt.date:
            return dt.date(year, month, min(day, 28) if (month, day) == (2, 29) and not _leap(year) else day)

        candidate = on(self.today.year)
        return candidate if candidate <= self.today else on(self.today.year - 1)

    def end_of_year(self, offset: int = 0) -> dt.date:
        return dt.date(self.today.year + offset, 12, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
