"""A project's timeline (``ProjectEvent``): one public function per kind of event, as Saleor's ``order/events.py``.
``selectors.project_timeline`` merges it with the meeting, the decision and the linked activities."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.permissions import Actor, signed_in

from .choices import ProjectEventKind
from .models import Project, ProjectEvent


def _write(project: Project, actor: Actor, kind: str, note: str = "", progress: int | None = None,
           at: dt.datetime | None = None) -> ProjectEvent:
    return ProjectEvent.objects.create(project=project, kind=kind, at=at or timezone.now(), note=note,
                                       progress=progress,
                                       actor=signed_in(actor))


def created(project: Project, actor: Actor) -> ProjectEvent:
    return _write(project, actor, ProjectEventKind.CREATED)


def linked(project: Project, actor: Actor, *, note: str) -> ProjectEvent:
    """Demands, resources or activities linked (or, as the note says, unlinked)."""
    return _write(project, actor, ProjectEventKind.LINKED, note=note[:5000])


def progress_reported(project: Project, actor: Actor, *, note: str) -> ProjectEvent:
    return _write(project, actor, ProjectEventKind.PROGRESS, note=note, progress=project.progress)


def progress_requested(project: Project, actor: Actor, *, note: str) -> ProjectEvent:
    return _write(project, actor, ProjectEventKind.PROGRESS_REQUESTED, note=note)


def milestone_reached(project: Project, actor: Actor, *, note: str, at: dt.datetime) -> ProjectEvent:
    return _write(project, actor, ProjectEventKind.MILESTONE, note=note, progress=project.progress, at=at)


def status_changed(project: Project, actor: Actor, *, note: str) -> ProjectEvent:
    return _write(project, actor, ProjectEventKind.STATUS, note=note)


def result_recorded(project: Project, actor: Actor, *, result: str) -> ProjectEvent:
    return _write(project, actor, ProjectEventKind.RESULT, note=result, progress=100)


def commented(project: Project, actor: Actor, *, note: str) -> ProjectEvent:
    return _write(project, actor, ProjectEventKind.COMMENT, note=note)
