"""Background work for activities. Tasks take plain values, call a service, and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import series


@task()
def send_series_reminders_task(today: str | None = None) -> int:
    """Daily: remind participants of monthly series with no activity held by the reminder day."""
    return series.send_series_reminders(dt.date.fromisoformat(today) if today else None)
