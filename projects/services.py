"""Cooperation projects: create (from a meeting, a decision or a match), change, report progress, reach
milestones, change status, record the result. Every write is scoped, atomic and audited; every write that is not
already a record of its own (a milestone, a linked activity) adds a timeline event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from activities.selectors import pickable_hosts
from alliances.models import Alliance
from core import audit
from core.models import AuditAction
from core.permissions import Action, Actor, can, signed_in
from core.services import require_still_in_scope
from demands.models import Demand, Resource
from organizations.models import Organization

from . import events, notices
from .choices import OPEN_PROJECT_STATUSES, ProjectStatus
from .error_codes import ProjectErrorCode
from .models import Milestone, Project, ProjectEvent, ProjectOwner

PROJECT_FIELDS = ("title", "description", "alliance", "workstream", "origin", "origin_meeting", "decision",
                  "decided_on", "starts_on", "due_on")
LINKS = ("demands", "resources", "activities")

STATUS_STEPS: dict[str, tuple[str, ...]] = {  # to: allowed from
    ProjectStatus.ACTIVE: (ProjectStatus.PROPOSED, ProjectStatus.SUSPENDED),
    ProjectStatus.SUSPENDED: (ProjectStatus.ACTIVE,),
    ProjectStatus.CANCELLED: (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE, ProjectStatus.SUSPENDED),
}


def _require_change(actor: Actor, project: Project) -> None:
    if actor is not None and not can(actor, Action.CHANGE, project):
        raise PermissionDenied(_("Only the owner organizations and the alliance's administrators may change this "
                                 "project."))


def _check(actor: Actor, values: Mapping[str, Any], owners: Sequence[Organization] | None,
           links: Mapping[str, Iterable[Any]], known_owners: Iterable[int] = ()) -> None:
    """Everything named must be within the actor's reach; owners are organizations they may cooperate with (or
    already own the project)."""
    errors: dict[str, Any] = {}
    if owners is not None and not owners:
        errors["owners"] = _("Name at least one owner organization.")
    if actor is None:
        if errors:
            raise ValidationError(errors)
        return
    alliance = values.get("alliance")
    if alliance is not None and not Alliance.objects.restrict(actor).filter(pk=alliance.pk).exists():
        errors["alliance"] = _("Choose an alliance you belong to.")
    meeting = values.get("origin_meeting")
    if meeting is not None and not can(actor, Action.VIEW, meeting):
        errors["origin_meeting"] = _("Choose an activity you can see.")
    new_owners = {o.pk for o in owners or ()} - set(known_owners)
    if new_owners and pickable_hosts(actor).filter(pk__in=new_owners).count() != len(new_owners):
        errors["owners"] = _("Choose owner organizations from the list.")
    models = {"demands": Demand, "resources": Resource, "activities": Activity}
    for name, objects in links.items():
        ids = {o.pk for o in objects}
        if ids and models[name].objects.restrict(actor).filter(pk__in=ids).count() != len(ids):  # type: ignore[attr-defined]
            errors[name] = _("Choose from what you can see.")
    if errors:
        raise ValidationError(errors)


def _set_owners(project: Project, owners: Sequence[Organization], lead: Organization | None) -> None:
    lead = lead or owners[0]
    if lead.pk not in {o.pk for o in owners}:
        raise ValidationError({"lead": _("The lead must be one of the owner organizations.")})
    ProjectOwner.objects.filter(project=project).delete()
    ProjectOwner.objects.bulk_create([ProjectOwner(project=project, organization=o, is_lead=o.pk == lead.pk)
                                      for o in dict.fromkeys(owners)])


def _progress_from_milestones(project: Project) -> int | None:
    total = project.milestones.count()
    if not total:
        return None
    done = project.milestones.filter(done_on__isnull=False).count()
    return round(100 * done / total)


@transaction.atomic
def project_create(*, actor: Actor, data: Mapping[str, Any], owners: Sequence[Organization],
                   lead: Organization | None = None, milestones: Sequence[Mapping[str, Any]] = (),
                   **links: Iterable[Any]) -> Project:
    values = {f: data[f] for f in PROJECT_FIELDS if f in data}
    links = {name: list(links.get(name) or ()) for name in LINKS}
    _check(actor, values, owners, links)
    project = Project(**values, status=data.get("status") or ProjectStatus.ACTIVE,
                      created_by=signed_in(actor))
    project.full_clean()
    project.save()
    _set_owners(project, owners, lead)
    for name, objects in links.items():
        getattr(project, name).set(objects)
    for position, milestone in enumerate(milestones):
        Milestone.objects.create(project=project, position=position, title=milestone["title"],
                                 due_on=milestone.get("due_on"), done_on=milestone.get("done_on"))
    progress = _progress_from_milestones(project)
    if progress is not None:
        Project.objects.filter(pk=project.pk).update(progress=progress)
        project.progress = progress
    require_still_in_scope(actor, project)
    audit.record_create(actor, project)
    events.created(project, actor)
    return project


@transaction.atomic
def project_update(*, actor: Actor, project: Project, data: Mapping[str, Any],
                   owners: Sequence[Organization] | None = None, lead: Organization | None = None,
                   **links: Iterable[Any] | None) -> Project:
    _require_change(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    values = {f: data[f] for f in PROJECT_FIELDS if f in data}
    given = {name: list(objects) for name, objects in links.items() if objects is not None and name in LINKS}
    # Links the project already has stay allowed even when out of the actor's sight now.
    new = {name: [o for o in objects if not getattr(project, name).filter(pk=o.pk).exists()]
           for name, objects in given.items()}
    _check(actor, values, owners, new, known_owners=project.owners.values_list("pk", flat=True))
    before = audit.raw_snapshot(project)
    relations_before = _relations(project)
    for name, value in values.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if owners is not None:
        _set_owners(project, owners, lead)
    added: list[str] = []
    removed: list[str] = []
    for name, objects in given.items():
        kept = {o.pk for o in objects}
        removed += [str(o) for o in getattr(project, name).all() if o.pk not in kept]
        getattr(project, name).set(objects)
        added += [str(o) for o in new[name]]
    require_still_in_scope(actor, project)
    audit.record_update(actor, project, before)
    relations_after = _relations(project)
    if relations_after != relations_before:  # who owns it decides who sees and changes it: audit it
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=project, changes={
            name: {"before": relations_before[name], "after": relations_after[name]}
            for name in relations_after if relations_after[name] != relations_before[name]})
    if added:
        events.linked(project, actor, note="、".join(added))
    if removed:
        events.linked(project, actor, note=_("Unlinked: %(items)s") % {"items": "、".join(removed)})
    return project


def _relations(project: Project) -> dict[str, Any]:
    lead = project.owner_links.filter(is_lead=True).values_list("organization_id", flat=True).first()
    return {"owners": sorted(project.owners.values_list("pk", flat=True)), "lead": lead,
            **{name: sorted(getattr(project, name).values_list("pk", flat=True)) for name in LINKS}}


@transaction.atomic
def project_report_progress(*, actor: Actor, project: Project, note: str, progress: int | None = None) -> Project:
    """A progress report (定期调度). With milestones, progress follows them; without, the report may set it."""
    _require_change(actor, project)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what has been done since the last report.")})
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE):
        raise ValidationError(_("The project is “%(status)s”; progress is reported while it is under way.")
                              % {"status": project.get_status_display()})
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    derived = _progress_from_milestones(project)
    if derived is not None:
        progress = derived
    if progress is not None and progress != project.progress:
        before = audit.raw_snapshot(project)
        project.progress = progress
        project.save(update_fields=["progress", "updated_at"])
        audit.record_update(actor, project, before)
    else:
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=project, changes={"report": note[:200]})
    events.progress_reported(project, actor, note=note)
    return project


def _locked_running(project: Project) -> Project:
    """The project, locked (milestone counts and progress are read and written under the lock), while it runs."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in OPEN_PROJECT_STATUSES:
        raise ValidationError(_("The project is “%(status)s”; its milestones can no longer change.")
                              % {"status": project.get_status_display()})
    return project


@transaction.atomic
def milestone_add(*, actor: Actor, project: Project, title: str, due_on: dt.date | None = None) -> Milestone:
    _require_change(actor, project)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Name the milestone.")})
    project = _locked_running(project)
    position = project.milestones.count()
    milestone = Milestone(project=project, title=title[:200], due_on=due_on, position=position)
    milestone.full_clean()
    milestone.save()
    audit.record_create(actor, milestone)
    _sync_progress(actor, project)
    return milestone


def _sync_progress(actor: Actor, project: Project) -> None:
    progress = _progress_from_milestones(project)
    if progress is not None and progress != project.progress:
        before = audit.raw_snapshot(project)
        project.progress = progress
        project.save(update_fields=["progress", "updated_at"])
        audit.record_update(actor, project, before)


@transaction.atomic
def milestone_complete(*, actor: Actor, milestone: Milestone, done_on: dt.date | None = None,
                       note: str = "") -> Milestone:
    _require_change(actor, milestone.project)
    project = _locked_running(milestone.project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise ValidationError(_("This milestone is already reached."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A milestone cannot be reached in the future.")})
    before = audit.raw_snapshot(milestone)
    milestone.done_on, milestone.note = done_on, (note or "").strip()[:1000]
    milestone.save()
    audit.record_update(actor, milestone, before)
    _sync_progress(actor, project)
    # Reached today: now, so it follows what was recorded before it today; an earlier day: that day's noon.
    at = (timezone.now() if done_on == timezone.localdate()
          else timezone.make_aware(dt.datetime.combine(done_on, dt.time(12))))
    events.milestone_reached(project, actor, at=at,
                             note=milestone.title + (f" — {milestone.note}" if milestone.note else ""))
    return milestone


@transaction.atomic
def project_set_status(*, actor: Actor, project: Project, status: str, note: str = "") -> Project:
    """Start, suspend, resume or cancel. Completing needs the result: ``project_complete``."""
    _require_change(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status not in STATUS_STEPS or project.status not in STATUS_STEPS[status]:
        raise ValidationError(_("The project is “%(status)s”; it cannot become “%(to)s”.")
                              % {"status": project.get_status_display(), "to": ProjectStatus(status).label},
                              code=ProjectErrorCode.STATUS_NOT_ALLOWED)
    if status == ProjectStatus.CANCELLED and not (note or "").strip():
        raise ValidationError({"note": _("Give a reason for cancelling.")})
    before = audit.raw_snapshot(project)
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    audit.record_update(actor, project, before)
    events.status_changed(project, actor, note=f"{ProjectStatus(status).label}. {note}".strip(". "))
    return project


@transaction.atomic
def project_complete(*, actor: Actor, project: Project, result: str, completed_on: dt.date | None = None) -> Project:
    """Record the result (成效) and close the project."""
    _require_change(actor, project)
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("Describe the result; it is what the alliance reports.")})
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in (ProjectStatus.ACTIVE, ProjectStatus.SUSPENDED):
        raise ValidationError(_("The project is “%(status)s”; only a project under way can be completed.")
                              % {"status": project.get_status_display()})
    before = audit.raw_snapshot(project)
    project.status, project.result = ProjectStatus.COMPLETED, result
    project.completed_on = completed_on or timezone.localdate()
    project.progress = 100
    project.save()
    audit.record_update(actor, project, before)
    events.result_recorded(project, actor, result=result)
    return project


@transaction.atomic
def project_comment(*, actor: Actor, project: Project, note: str) -> ProjectEvent:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write the comment.")})
    if actor is not None and not can(actor, Action.VIEW, project):
        raise PermissionDenied
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=project, changes={"comment": note[:200]})
    event = events.commented(project, actor, note=note)
    notices.commented(project, event)
    return event


@transaction.atomic
def project_request_progress(*, actor: Actor, project: Project, note: str = "") -> ProjectEvent:
    """Ask the owner organizations for a progress report (定期调度): they are told, and the timeline keeps it."""
    _require_change(actor, project)
    if project.status not in (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE):
        raise ValidationError(_("The project is “%(status)s”; progress is reported while it is under way.")
                              % {"status": project.get_status_display()}, code=ProjectErrorCode.NOT_RUNNING)
    note = (note or "").strip()
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=project, changes={"progress_requested": note[:200]})
    event = events.progress_requested(project, actor, note=note)
    notices.progress_requested(project, event)
    return event
