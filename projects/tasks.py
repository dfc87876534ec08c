"""Background work for projects. Safe to run twice: each milestone is announced once when due soon and once when
overdue."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import notices
from .choices import ProjectStatus
from .models import Milestone


def send_milestone_reminders(today: dt.date | None = None) -> int:
    """Milestones not reached that fall due within ``MILESTONE_REMIND_DAYS`` or are overdue, of running projects."""
    today = today or timezone.localdate()
    milestones = (Milestone.objects.filter(done_on=None, due_on__isnull=False,
                                           due_on__lte=today + dt.timedelta(days=settings.MILESTONE_REMIND_DAYS),
                                           project__status__in=(ProjectStatus.PROPOSED, ProjectStatus.ACTIVE))
                  .select_related("project"))
    count = 0
    for milestone in milestones:
        notices.milestone_due(milestone, today)
        count += 1
    return count


@task()
def send_milestone_reminders_task(today: str | None = None) -> int:
    return send_milestone_reminders(dt.date.fromisoformat(today) if today else None)
