"""Background work for demands. Tasks take plain values, call a service, and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from core.storage import sweep_orphans

from . import deadlines
from .models import DemandAttachment


@task()
def run_demand_deadlines_task(now: str | None = None) -> dict[str, int]:
    """Reminders before deadlines and escalation of overdue demands (enqueue every hour, or at least daily)."""
    return deadlines.run_deadlines(dt.datetime.fromisoformat(now) if now else None)


@task()
def sweep_orphan_attachments_task() -> int:
    """Delete attachment files whose upload was rolled back (no row refers to them)."""
    return sweep_orphans("demand-attachments", DemandAttachment, "file")
