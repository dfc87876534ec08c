"""Background work for pairing. Safe to run twice: a reminder is sent once per pair and year."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from . import notices
from .models import Pair
from .selectors import reviews_due


def send_review_reminders(today: dt.date | None = None) -> int:
    """Tell the programme's managers of each pair whose yearly review falls due soon (or is overdue)."""
    due = reviews_due(Pair.objects.all(), today or timezone.localdate())
    for pair, due_on in due:
        notices.review_due(pair, due_on)
    return len(due)


@task()
def send_review_reminders_task(today: str | None = None) -> int:
    return send_review_reminders(dt.date.fromisoformat(today) if today else None)
