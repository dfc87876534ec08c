"""Who is told about a project: its owner organizations (their secretaries) when a milestone falls due or is
overdue and when a progress report is asked for; the alliance's administrators too when a milestone is overdue;
anyone a comment names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from notifications import recipients
from notifications.kinds import declare
from notifications.mentions import named
from notifications.services import Say, When, notify

from .models import Milestone, Project, ProjectEvent

GROUP = _("Projects")
MILESTONE_DUE = declare("projects.milestone_due", _("A milestone of my project is due or overdue"), GROUP)
PROGRESS_REQUESTED = declare("projects.progress_requested", _("A progress report on my project is asked for"), GROUP)
MENTIONED = declare("projects.mentioned", _("A comment on a project names me"), GROUP)


def owners(project: Project) -> list[Any]:
    return recipients.organization_contacts(project.owners.all())


def milestone_due(milestone: Milestone, today: dt.date) -> None:
    project = milestone.project
    overdue = milestone.due_on is not None and milestone.due_on < today
    users = owners(project) + (recipients.alliance_admins([project.alliance_id]) if overdue else [])
    values = {"milestone": milestone.title, "project": project.title, "due": When(milestone.due_on, with_time=False)}
    title = _("Milestone overdue: %(milestone)s") if overdue else _("Milestone due: %(milestone)s")
    body = _("The milestone “%(milestone)s” of “%(project)s” was due on %(due)s. Mark it reached once it is, or "
             "report progress.") if overdue else \
        _("The milestone “%(milestone)s” of “%(project)s” is due on %(due)s.")
    notify(users, kind=MILESTONE_DUE, title=Say(title, **values), body=Say(body, **values),
           url=project.get_absolute_url(),
           event=f"milestone:{milestone.pk}:{'overdue' if overdue else 'due'}:{milestone.due_on}")


def progress_requested(project: Project, event: ProjectEvent) -> None:
    values = {"project": project.title, "who": event.actor or "", "note": event.note or ""}
    notify(owners(project), kind=PROGRESS_REQUESTED, title=Say(_("Progress report asked for: %(project)s"), **values),
           body=Say(_("%(who)s asks for a progress report on “%(project)s”. %(note)s"), **values),
           url=project.get_absolute_url(), event=f"project-event:{event.pk}", actor=event.actor)


def commented(project: Project, event: ProjectEvent) -> None:
    notify(named(event.note, project), kind=MENTIONED,
           title=Say(_("%(who)s named you on: %(title)s"), who=event.actor or "", title=project.title),
           body=event.note, url=project.get_absolute_url(), event=f"project-event:{event.pk}", actor=event.actor)
