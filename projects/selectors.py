"""Reading projects: the scoped list, one project, and its timeline (meeting → decision → project → milestones →
result) assembled from the records that hold each fact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from core.permissions import Actor
from demands.models import Demand, Resource

from .choices import ProjectEventKind
from .models import Project, ProjectEvent, ProjectOwner


def project_list(user: Any) -> QuerySet[Project]:
    return Project.objects.restrict(user).select_related("alliance", "workstream").prefetch_related(
        Prefetch("owner_links", ProjectOwner.objects.select_related("organization")))


def project_detail_queryset(user: Any) -> QuerySet[Project]:
    return project_list(user).select_related("origin_meeting", "created_by").prefetch_related(
        "milestones", Prefetch("events", ProjectEvent.objects.select_related("actor")),
        Prefetch("activities", Activity.objects.order_by("starts_at")), "demands", "resources")


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str
    label: str
    text: str = ""
    url: str = ""
    actor: Actor = None


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0)))


def visible_links(user: Any, project: Project) -> dict[str, list[Any]]:
    """The project's linked demands, resources and activities that the viewer may see: a project is seen by the
    whole alliance, the cases and records it links to are not."""
    links: dict[str, list[Any]] = {}
    models: tuple[tuple[str, Any], ...] = (("demands", Demand), ("resources", Resource), ("activities", Activity))
    for name, model in models:
        linked = list(getattr(project, name).all())
        allowed = set(model.objects.restrict(user).filter(pk__in=[o.pk for o in linked]).values_list("pk", flat=True))
        links[name] = [o for o in linked if o.pk in allowed]
    return links


def project_timeline(project: Project, user: Any) -> list[TimelineItem]:
    """One timeline from the facts entered once: the meeting is its activity record, the decision is the
    project's, linked activities and demands are theirs; status, progress, milestones and the result are events.
    Linked records the viewer may not see are left out."""
    items: list[TimelineItem] = []
    links = visible_links(user, project)
    meeting = project.origin_meeting
    if meeting is not None and not Activity.objects.restrict(user).filter(pk=meeting.pk).exists():
        items.append(TimelineItem(meeting.starts_at, "meeting", _("Meeting")))  # held; its record is not theirs
    elif meeting is not None:
        items.append(TimelineItem(meeting.starts_at, "meeting", _("Meeting"), meeting.theme,
                                  meeting.get_absolute_url()))
    if project.decided_on or project.decision:
        items.append(TimelineItem(_moment(project.decided_on) if project.decided_on else project.created_at,
                                  "decision", _("Decision"), project.decision))
    for demand in links["demands"]:
        items.append(TimelineItem(demand.created_at, "demand", _("Demand raised"), demand.title,
                                  demand.get_absolute_url()))
    for activity in links["activities"]:
        if meeting is None or activity.pk != meeting.pk:
            items.append(TimelineItem(activity.starts_at, "activity", activity.get_kind_display(), activity.theme,
                                      activity.get_absolute_url()))
    for event in project.events.all():
        text = event.note
        if event.kind == ProjectEventKind.PROGRESS and event.progress is not None:
            text = f"{event.progress}% · {event.note}"
        items.append(TimelineItem(event.at, event.kind, str(ProjectEventKind(event.kind).label), text,
                                  actor=event.actor))
    order = {"meeting": 0, "decision": 1, "demand": 2, "created": 3}
    return sorted(items, key=lambda i: (i.at, order.get(i.kind, 9)))
