"""What waits on projects: milestones of the user's projects falling due within a week or overdue, and progress
reports asked for and not yet given."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Action
from workbench.registry import Found, Item, first, todo

from .choices import ProjectEventKind, ProjectStatus
from .models import Milestone, Project

RUNNING = (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE)


def _mine(user: Any) -> Any:
    return Project.objects.restrict(user, Action.CHANGE).filter(status__in=RUNNING)


@todo("projects.milestones", _("Project milestones due"), order=60)
def milestones(user: Any, now: dt.datetime) -> Found:
    soon = timezone.localdate(now) + dt.timedelta(days=7)
    rows, total = first(Milestone.objects.filter(project__in=_mine(user).values("pk"), done_on=None,
                                                 due_on__lte=soon).select_related("project").order_by("due_on", "id"))
    return [Item(m.title, m.project.get_absolute_url(), m.due_on, m.project.title) for m in rows], total


@todo("projects.progress", _("Progress reports asked for"), order=61)
def progress(user: Any, now: dt.datetime) -> Found:
    asked = _mine(user).annotate(
        asked=Max("events__at", filter=Q(events__kind=ProjectEventKind.PROGRESS_REQUESTED)),
        reported=Max("events__at", filter=Q(events__kind=ProjectEventKind.PROGRESS)),
    ).filter(Q(reported=None) | Q(reported__lt=F("asked")), asked__isnull=False).order_by("asked", "id")
    rows, total = first(asked)
    return [Item(p.title, p.get_absolute_url(), None) for p in rows], total
