"""Background work for activities. Tasks take plain values, call a service, and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import followups, series, services


@task()
def send_series_reminders_task(today: str | None = None) -> int:
    """Daily: remind participants of monthly series with no activity held by the reminder day."""
    return series.send_series_reminders(dt.date.fromisoformat(today) if today else None)


@task()
def send_followup_reminders_task(today: str | None = None) -> int:
    """Daily: remind the owners of follow-up items due soon or overdue."""
    return followups.send_followup_reminders(dt.date.fromisoformat(today) if today else None)


@task()
def sweep_orphan_photos_task() -> int:
    """Daily: delete photo files whose upload was rolled back."""
    return services.photo_sweep_orphans()
