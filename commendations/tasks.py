"""Daily reminders of a commendation's windows: nominating organizations before nominations close, the reviewers of
a stage that still holds nominations before the review closes, the campaign's managers once the decision is overdue.
Safe to run any number of times: each reminder is keyed by its campaign, stage and date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from . import notices
from .choices import CampaignStatus, NominationStatus
from .models import Campaign, ReviewStage

DONE = (CampaignStatus.DECIDED, CampaignStatus.ARCHIVED)


def send_deadline_reminders(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=settings.COMMENDATION_REMIND_DAYS)
    sent = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN, nominate_until__range=(today, soon)):
        notices.nominations_closing(campaign)
        sent += 1
    stages = (ReviewStage.objects.filter(campaign__status=CampaignStatus.REVIEWING,
                                         campaign__review_until__range=(today, soon))
              .annotate(waiting=Count("nominations", filter=Q(nominations__status=NominationStatus.SUBMITTED)))
              .filter(waiting__gt=0).select_related("campaign", "organization"))
    for stage in stages:
        notices.review_closing(stage, stage.waiting)
        sent += 1
    for campaign in Campaign.objects.exclude(status__in=(*DONE, CampaignStatus.DRAFT)).filter(decide_by__lt=today):
        notices.decision_overdue(campaign)
        sent += 1
    return sent


@task()
def send_deadline_reminders_task(today: str | None = None) -> int:
    return send_deadline_reminders(dt.date.fromisoformat(today) if today else None)
