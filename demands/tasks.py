"""Background work for demands. Tasks take plain values, call a service, and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import deadlines


@task()
def run_demand_deadlines_task(now: str | None = None) -> dict[str, int]:
    """Reminders before deadlines and escalation of overdue demands (enqueue every hour, or at least daily)."""
    return deadlines.run_deadlines(dt.datetime.fromisoformat(now) if now else None)
