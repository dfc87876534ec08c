from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exporting import ExportColumn
from core.permissions import Action, can
from core.views import ObjectEditView, ObjectListView, StepView, run_step

from . import selectors, services
from .choices import ProjectStatus
from .filters import ProjectFilterSet
from .forms import (
    CommentForm,
    CompleteMilestoneForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
    RequestProgressForm,
    ResultForm,
    StatusForm,
)
from .models import Project
from .tables import ProjectTable

PROJECT_EXPORT = (
    ExportColumn(gettext_lazy("Title"), lambda p: p.title),
    ExportColumn(gettext_lazy("Alliance"), lambda p: p.alliance.name if p.alliance else ""),
    ExportColumn(gettext_lazy("Workstream"), lambda p: p.workstream.name if p.workstream else ""),
    ExportColumn(gettext_lazy("Owners"), lambda p: "、".join(link.organization.name for link in p.owner_links.all())),
    ExportColumn(gettext_lazy("Comes from"), lambda p: p.get_origin_display()),
    ExportColumn(gettext_lazy("Status"), lambda p: p.get_status_display()),
    ExportColumn(gettext_lazy("Progress (%)"), lambda p: p.progress),
    ExportColumn(gettext_lazy("Starts on"), lambda p: p.starts_on),
    ExportColumn(gettext_lazy("Due on"), lambda p: p.due_on),
    ExportColumn(gettext_lazy("Completed on"), lambda p: p.completed_on),
    ExportColumn(gettext_lazy("Result"), lambda p: p.result),
)
LINKS = ("demands", "resources", "activities")


class ProjectListView(ObjectListView):
    model = Project
    filterset = ProjectFilterSet
    table = ProjectTable
    export_columns = PROJECT_EXPORT

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.project_list(request.user)


class ProjectDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = get_object_or_404(selectors.project_detail_queryset(request.user), pk=pk)
        can_change = can(request.user, Action.CHANGE, project)
        running = project.status in (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE, ProjectStatus.SUSPENDED)
        context = {
            "object": project,
            "can_change": can_change,
            "owners": list(project.owner_links.all()),
            "milestones": list(project.milestones.all()),
            "timeline": selectors.project_timeline(project, request.user),
            "links": selectors.visible_links(request.user, project),
            "progress_form": ProgressForm() if can_change and project.status in (
                ProjectStatus.PROPOSED, ProjectStatus.ACTIVE) else None,
            "milestone_form": MilestoneForm() if can_change and running else None,
            "result_form": ResultForm() if can_change and project.status in (
                ProjectStatus.ACTIVE, ProjectStatus.SUSPENDED) else None,
            "status_steps": [(status, ProjectStatus(status).label) for status, sources in services.STATUS_STEPS.items()
                             if project.status in sources] if can_change else [],
            "comment_form": CommentForm(),
        }
        return render(request, "projects/project_detail.html", context)


class ProjectEditView(ObjectEditView):
    model = Project
    form_class = ProjectForm

    def save(self, request: HttpRequest, form: Any, instance: Any) -> Any:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name not in LINKS}
        links = {name: form.cleaned_data[name] for name in LINKS}
        owners, lead = list(form.cleaned_data["owners"]), form.cleaned_data["lead"]
        if instance.pk is None:
            return services.project_create(actor=request.user, data=data, owners=owners, lead=lead,
                                           milestones=form.cleaned_data.get("milestones") or [], **links)
        return services.project_update(actor=request.user, project=instance, data=data, owners=owners, lead=lead,
                                       **links)


class ProjectStepView(StepView):
    """POST one step on a project; the services check who may take it."""

    model = Project

    def _form(self, request: HttpRequest, form_class: type[Any]) -> Any:
        form = form_class(request.POST)
        return form.cleaned_data if self.valid(request, form) else None

    def step_progress(self, request: HttpRequest, project: Project) -> None:
        if (data := self._form(request, ProgressForm)) is not None:
            run_step(request, services.project_report_progress, _("Progress reported."), project=project, **data)

    def step_milestone(self, request: HttpRequest, project: Project) -> None:
        if (data := self._form(request, MilestoneForm)) is not None:
            run_step(request, services.milestone_add, _("Milestone added."), project=project, **data)

    def step_reach(self, request: HttpRequest, project: Project) -> None:
        if (data := self._form(request, CompleteMilestoneForm)) is not None:
            milestone = get_object_or_404(project.milestones, pk=data["milestone"])
            run_step(request, services.milestone_complete, _("Milestone reached."), milestone=milestone,
                     note=data["note"])

    def step_status(self, request: HttpRequest, project: Project) -> None:
        if (data := self._form(request, StatusForm)) is not None:
            run_step(request, services.project_set_status, _("Status changed."), project=project, **data)

    def step_complete(self, request: HttpRequest, project: Project) -> None:
        if (data := self._form(request, ResultForm)) is not None:
            run_step(request, services.project_complete, _("Result recorded; the project is completed."),
                     project=project, **data)

    def step_request(self, request: HttpRequest, project: Project) -> None:
        if (data := self._form(request, RequestProgressForm)) is not None:
            run_step(request, services.project_request_progress, _("The owner organizations were asked for a "
                                                                     "progress report."), project=project, **data)

    def step_comment(self, request: HttpRequest, project: Project) -> None:
        if (data := self._form(request, CommentForm)) is not None:
            run_step(request, services.project_comment, _("Comment added."), project=project, **data)
