"""Cooperation projects (合作项目 / 合作事项): what an alliance decides to do together, with owners, milestones,
progress and a result. A project may come from a joint meeting, an alliance decision or an accepted match between a
demand and a resource; it links the demands, resources and activities it draws on. The chain meeting → decision →
project → milestones → result reads as one timeline (``selectors.project_timeline``), built from the facts entered
once (the meeting is the activity record; a linked activity is not entered again)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from alliances.models import ACTIVE_MEMBERS, Alliance, Workstream
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet
from core.visibility import Administered, Via, Visibility
from organizations.models import Organization
from organizations.visibility import Organizations

from .choices import ProjectEventKind, ProjectOrigin, ProjectStatus


class Project(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000)
    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="projects")
    workstream = models.ForeignKey(Workstream, verbose_name=_("workstream"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="projects",
                                   help_text=_("The alliance's work area, e.g. industry upgrading."))
    origin = models.CharField(_("comes from"), max_length=10, choices=ProjectOrigin.choices,
                              default=ProjectOrigin.DECISION)
    origin_meeting = models.ForeignKey(Activity, verbose_name=_("meeting"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="originated_projects",
                                       help_text=_("The joint meeting where the project was agreed."))
    decision = models.TextField(_("decision"), blank=True, max_length=5000,
                                help_text=_("What the alliance decided, as recorded."))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices,
                              default=ProjectStatus.ACTIVE, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)],
                                                help_text=_("Follows the milestones when there are any."))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True, max_length=10000)
    owners = models.ManyToManyField(Organization, verbose_name=_("owner organizations"), through="ProjectOwner",
                                    related_name="projects")
    demands = models.ManyToManyField("demands.Demand", verbose_name=_("demands"), blank=True,
                                     related_name="projects")
    resources = models.ManyToManyField("demands.Resource", verbose_name=_("resources"), blank=True,
                                       related_name="projects")
    activities = models.ManyToManyField(Activity, verbose_name=_("activities"), blank=True,
                                        related_name="projects")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    # Seen by whoever sees one of its owner organizations, the administrators of its alliance and the people of the
    # alliance's member organizations. Changed by whoever may change an owner organization (its secretary, staff
    # above) and the alliance's administrators — not through a member's own organization.
    visibility = Visibility(
        view=[Via("projects.ProjectOwner", "project", Organizations("organization")), Administered("alliance"),
              ACTIVE_MEMBERS],
        change=[Via("projects.ProjectOwner", "project", Organizations("organization", managers=True)),
                Administered("alliance")])

    class Meta:
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_max_100")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.workstream_id and self.workstream is not None and self.workstream.alliance_id != self.alliance_id:
            errors["workstream"] = _("Choose a workstream of the project's alliance.")
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            errors["due_on"] = _("The due date must not be before the start.")
        if errors:
            raise ValidationError(errors)


class ProjectOwner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="owner_links")
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
                                     related_name="project_links")
    is_lead = models.BooleanField(_("lead"), default=False)

    class Meta:
        verbose_name = _("owner organization")
        verbose_name_plural = _("owner organizations")
        ordering = ["-is_lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organization"], name="project_owner_unique"),
            models.UniqueConstraint(fields=["project"], condition=Q(is_lead=True), name="project_one_lead"),
        ]

    def __str__(self) -> str:
        return str(self.organization_id)


class Milestone(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "position", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(models.Model):
    """A line of the project's timeline that no other record holds (status, progress reports, comments)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=ProjectEventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True, max_length=5000)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        ordering = ["project", "at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind}"
