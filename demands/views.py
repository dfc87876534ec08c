from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import audit
from core.exporting import ExportColumn, xlsx_response
from core.models import AuditAction
from core.permissions import Action, can, get_object_or_404_scoped
from core.views import ImportView, ObjectEditView, ObjectListView, StepView, apply_form_errors, run_step
from projects.models import Project

from . import attachments, matches, recommend, report, resources, selectors, services
from .choices import FINISHED_STATUSES, OPEN_STATUSES, DemandStatus, ResourceStatus
from .filters import DemandFilterSet, ResourceFilterSet
from .forms import (
    AcceptForm,
    AssignForm,
    AttachmentForm,
    ClaimForm,
    CommentForm,
    DemandForm,
    MatchForm,
    RateForm,
    ReasonForm,
    ReportForm,
    ResolveForm,
    ResourceForm,
    WithdrawForm,
)
from .importers import ResourceImporter
from .models import Demand, DemandAttachment, Resource
from .tables import DemandTable, ResourceTable

DEMAND_EXPORT = (
    ExportColumn(gettext_lazy("Raised"), lambda d: d.created_at),
    ExportColumn(gettext_lazy("Title"), lambda d: d.title),
    ExportColumn(gettext_lazy("Category"), lambda d: d.category.display_name),
    ExportColumn(gettext_lazy("Urgency"), lambda d: d.get_urgency_display()),
    ExportColumn(gettext_lazy("Region"), lambda d: d.region.name),
    ExportColumn(gettext_lazy("Requester"), lambda d: d.requester_name),
    ExportColumn(gettext_lazy("Status"), lambda d: d.get_status_display()),
    ExportColumn(gettext_lazy("Handler"), lambda d: d.handler_organization.name if d.handler_organization else ""),
    ExportColumn(gettext_lazy("Accept by"), lambda d: d.accept_due),
    ExportColumn(gettext_lazy("Resolve by"), lambda d: d.resolve_due),
    ExportColumn(gettext_lazy("Resolved at"), lambda d: d.resolved_at),
    ExportColumn(gettext_lazy("Rating"), lambda d: d.rating),
    ExportColumn(gettext_lazy("Escalation level"), lambda d: d.escalation_level),
)
RESOURCE_EXPORT = (
    ExportColumn(gettext_lazy("Title"), lambda r: r.title),
    ExportColumn(gettext_lazy("Kind"), lambda r: r.get_kind_display()),
    ExportColumn(gettext_lazy("Description"), lambda r: r.description),
    ExportColumn(gettext_lazy("Offering organization"), lambda r: r.organization.name),
    ExportColumn(gettext_lazy("Provider"), lambda r: r.provider_name),
    ExportColumn(gettext_lazy("Region"), lambda r: r.region.name),
    ExportColumn(gettext_lazy("Capacity"), lambda r: r.capacity),
    ExportColumn(gettext_lazy("Capacity note"), lambda r: r.capacity_note),
    ExportColumn(gettext_lazy("Available from"), lambda r: r.available_from),
    ExportColumn(gettext_lazy("Available until"), lambda r: r.available_until),
    ExportColumn(gettext_lazy("Terms"), lambda r: r.terms),
    ExportColumn(gettext_lazy("Status"), lambda r: r.get_status_display()),
)


class DemandListView(ObjectListView):
    model = Demand
    filterset = DemandFilterSet
    table = DemandTable
    export_columns = DEMAND_EXPORT

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.demand_list(request.user)

    def can_add(self, request: HttpRequest) -> bool:
        return True  # anyone signed in may raise a demand


class DemandCreateView(LoginRequiredMixin, View):
    """Raise a demand: made for a phone. What the platform knows of the requester comes pre-filled (their unit or
    person record, name, contact, region, alliance); ``?resource=<id>`` requests a resource from the catalogue."""

    template_name = "demands/demand_form.html"

    def _render(self, request: HttpRequest, form: DemandForm, resource: Resource | None) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "object": Demand(), "model_meta": Demand._meta,
                                                    "resource": resource})

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {"requester_kind": "unit", **selectors.requester_defaults(request.user)}
        resource = None
        if "resource" in request.GET:
            wanted = request.GET["resource"]
            resource = get_object_or_404(selectors.resource_list(request.user).filter(status=ResourceStatus.ACTIVE),
                                         pk=int(wanted) if wanted.isdigit() else 0)
            initial.update(selectors.request_defaults(resource, initial))
        form = DemandForm(instance=Demand(), user=request.user, initial=initial)
        return self._render(request, form, resource)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DemandForm(request.POST, instance=Demand(), user=request.user)
        resource = None
        if form.is_valid():
            resource = form.cleaned_data.get("resource")
            # the unit or person record the requester speaks for, when they kept speaking as it
            data = {**selectors.requester_links(request.user, form.cleaned_data["requester_kind"]),
                    **form.cleaned_data}
            try:
                demand = services.demand_submit(actor=request.user, data=data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Your demand is submitted. You can follow every step here."))
                return HttpResponseRedirect(demand.get_absolute_url())
        return self._render(request, form, resource)


class DemandDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        demand = get_object_or_404(selectors.demand_detail_queryset(request.user), pk=pk)
        user = request.user
        manage = services.may_manage(user, demand)
        handle = services.may_handle(user, demand)
        status = demand.status
        allowed = {step for step, sources in services.ALLOWED_FROM.items() if status in sources}
        claimable = selectors.claimable_for(user, demand) if demand.open_for_claim and "claim" in allowed else None
        deadline = demand.deadline
        context = {
            "object": demand,
            "events": list(demand.events.all()),
            "deadline": deadline,
            "overdue": deadline is not None and deadline < timezone.now(),
            "accept_form": AcceptForm() if manage and "accept" in allowed else None,
            "decline_form": ReasonForm() if manage and "decline" in allowed else None,
            "assign_form": AssignForm(queryset=selectors.pickable_handlers(user, demand).order_by("path"))
            if manage and "assign" in allowed else None,
            "claim_form": ClaimForm(queryset=claimable) if claimable is not None and claimable.exists() else None,
            "can_start": handle and "start" in allowed and status != DemandStatus.ACCEPTED,
            "resolve_form": ResolveForm() if handle and "resolve" in allowed else None,
            "rate_form": RateForm() if services.is_requester(user, demand) and "rate" in allowed else None,
            "comment_form": CommentForm(),
            "show_contact": manage or handle,
            "can_manage": manage,
            "attachments": list(demand.attachments.all()),
            "attachment_form": AttachmentForm() if (services.is_requester(user, demand) or handle)
            and status not in FINISHED_STATUSES else None,
            "withdraw_form": ReasonForm(required=False)
            if services.is_requester(user, demand) and "withdraw" in allowed else None,
            "matches": list(demand.matches.select_related("resource", "organization", "project")),
            "projects": list(demand.projects.filter(pk__in=Project.objects.restrict(user).values("pk"))),
        }
        # The resource the requester asked for: a manager who sees it hands the case to its provider in one step.
        context["match_requested"] = bool(
            demand.resource_id and manage and status in services.ALLOWED_FROM["assign"] + (DemandStatus.SUBMITTED,)
            and demand.resource is not None and demand.resource.status == ResourceStatus.ACTIVE
            and demand.handler_organization_id != demand.resource.organization_id
            and Resource.objects.restrict(user).filter(pk=demand.resource_id).exists())
        if manage and status in services.ALLOWED_FROM["assign"] + (DemandStatus.SUBMITTED,):
            recommended = recommend.recommend_resources(user, demand, k=5)
            context["recommendations"] = recommended
            context["recommended_handlers"] = recommend.recommend_handlers(user, demand, recommended)
        return render(request, "demands/demand_detail.html", context)


class DemandStepView(StepView):
    """POST one step on a demand; the services check who may take it and from which status."""

    model = Demand

    def step_accept(self, request: HttpRequest, demand: Demand) -> None:
        form = AcceptForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.demand_accept, _("Accepted."), demand=demand, **form.cleaned_data)

    def step_decline(self, request: HttpRequest, demand: Demand) -> None:
        form = ReasonForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.demand_decline, _("Declined; the requester sees the reason."), demand=demand,
                     reason=form.cleaned_data["reason"])

    def step_assign(self, request: HttpRequest, demand: Demand) -> None:
        form = AssignForm(request.POST, queryset=selectors.pickable_handlers(request.user, demand))
        if self.valid(request, form):
            run_step(request, services.demand_assign, _("Assigned."), demand=demand, **form.cleaned_data)

    def step_claim(self, request: HttpRequest, demand: Demand) -> None:
        form = ClaimForm(request.POST, queryset=selectors.claimable_for(request.user, demand))
        if self.valid(request, form):
            run_step(request, services.demand_claim, _("Claimed: the case is now yours."), demand=demand,
                     organization=form.cleaned_data["organization"])

    def step_start(self, request: HttpRequest, demand: Demand) -> None:
        run_step(request, services.demand_start, _("Marked as in progress."), demand=demand)

    def step_resolve(self, request: HttpRequest, demand: Demand) -> None:
        form = ResolveForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.demand_resolve, _("Resolved; the requester is asked to rate the result."),
                     demand=demand, resolution=form.cleaned_data["resolution"])

    def step_rate(self, request: HttpRequest, demand: Demand) -> None:
        form = RateForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.demand_rate, _("Thank you for rating the result."), demand=demand,
                     **form.cleaned_data)

    def step_withdraw(self, request: HttpRequest, demand: Demand) -> None:
        form = ReasonForm(request.POST, required=False)
        if self.valid(request, form):
            run_step(request, services.demand_withdraw, _("Withdrawn; the staff are told that it is no longer "
                                                          "needed."), demand=demand, reason=form.cleaned_data["reason"])

    def step_match(self, request: HttpRequest, demand: Demand) -> None:
        """Accept a recommended resource: the reasons shown are kept with the match."""
        form = MatchForm(request.POST, queryset=Resource.objects.restrict(request.user))
        if not self.valid(request, form):
            return
        run_step(request, matches.match_accept, _("Match accepted."), demand=demand,
                 resource=form.cleaned_data["resource"], outcome=form.cleaned_data["outcome"])

    def step_attach(self, request: HttpRequest, demand: Demand) -> None:
        form = AttachmentForm(request.POST, request.FILES)
        if self.valid(request, form):
            upload = form.cleaned_data["file"]
            run_step(request, attachments.attachment_add, _("File added."), demand=demand, upload=upload,
                     name=upload.name or "", size=upload.size or 0)

    def step_comment(self, request: HttpRequest, demand: Demand) -> None:
        form = CommentForm(request.POST)
        if self.valid(request, form):
            run_step(request, services.demand_comment, _("Comment added."), demand=demand,
                     note=form.cleaned_data["note"])


class AttachmentView(LoginRequiredMixin, View):
    """Download a demand's file (only for who sees the demand); POST deletes it."""

    def _get(self, request: HttpRequest, pk: int, attachment_pk: int) -> DemandAttachment:
        demand = get_object_or_404_scoped(Demand, request.user, pk=pk)
        return get_object_or_404(DemandAttachment.objects.select_related("demand"), demand=demand,
                                 pk=attachment_pk)

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        attachment = self._get(request, pk, attachment_pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=attachment.content_type, as_attachment=True,
                                filename=attachment.name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"  # never run as a page, whatever it is
        response["Cache-Control"] = "private, no-store"
        return response

    def post(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
        attachment = self._get(request, pk, attachment_pk)
        run_step(request, attachments.attachment_delete, _("File deleted."), attachment=attachment)
        return HttpResponseRedirect(attachment.demand.get_absolute_url())


# Resources ---------------------------------------------------------------------------------------------------------


class ResourceListView(ObjectListView):
    model = Resource
    filterset = ResourceFilterSet
    table = ResourceTable
    export_columns = RESOURCE_EXPORT
    import_kind = "resources"

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.resource_list(request.user)


class ResourceDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        resource = get_object_or_404(selectors.resource_list(request.user).select_related("alliance",
                                                                                          "provider_unit"), pk=pk)
        can_change = can(request.user, Action.CHANGE, resource)
        context = {
            "object": resource,
            "can_change": can_change,
            "withdraw_form": WithdrawForm() if can_change and resource.status == ResourceStatus.ACTIVE else None,
            "could_serve": recommend.recommend_demands(request.user, resource, k=8)
            if resource.status == ResourceStatus.ACTIVE else [],
            "requests": list(resource.requests.filter(pk__in=Demand.objects.restrict(request.user).values("pk"))
                             .order_by("-created_at")[:10]),
            # only the demands the viewer may see (a resource is seen more widely than the cases it served)
            "matches": list(resource.matches.filter(demand__in=Demand.objects.restrict(request.user))
                            .select_related("demand", "organization", "project")),
        }
        return render(request, "demands/resource_detail.html", context)


class ResourceEditView(ObjectEditView):
    model = Resource
    form_class = ResourceForm
    create_service = resources.resource_create
    update_service = resources.resource_update
    service_object_kwarg = "resource"


class ResourceStepView(StepView):
    """POST: withdraw (with an optional reason) or offer again."""

    model = Resource

    def step_withdraw(self, request: HttpRequest, resource: Resource) -> None:
        form = WithdrawForm(request.POST)
        if self.valid(request, form):
            run_step(request, resources.resource_withdraw, _("Withdrawn: it is no longer recommended."),
                     resource=resource, reason=form.cleaned_data["reason"])

    def step_restore(self, request: HttpRequest, resource: Resource) -> None:
        run_step(request, resources.resource_restore, _("Offered again."), resource=resource)


class DemandsImportView(ImportView):
    importers = {"resources": ResourceImporter}


class ReportView(LoginRequiredMixin, View):
    """The scheduling report, on the page and as Excel (with the definitions)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReportForm(request.GET or None)
        params = form.cleaned_data if form.is_valid() else report.default_period({})
        rows, totals = report.scheduling_report(selectors.demand_list(request.user), params["group"],
                                                params["start"], params["end"])
        group_field = report.GROUPS[params["group"]][0]
        if request.GET.get("export") == "xlsx":
            audit.record(actor=request.user, action=AuditAction.EXPORT, object_type="demands.demand",
                         object_repr=str(_("Scheduling report")), changes={"filters": request.GET.dict()})
            return xlsx_response(f"scheduling-report-{timezone.localdate():%Y%m%d}.xlsx",
                                 report.report_xlsx(rows, totals, params))
        table = [{"name": row.name, "key": row.key, "cells": [(k, row.figures[k]) for k in report.FIGURES]}
                 for row in rows]
        context = {"form": form, "rows": table, "totals": [(k, totals[k]) for k in report.FIGURES],
                   "params": params, "group_field": group_field,
                   "open_query": "&".join(f"status={s}" for s in OPEN_STATUSES),
                   "group_label": report.GROUPS[params["group"]][2],
                   "columns": [(key, report.LABELS[key], report.DEFINITIONS[key]) for key in report.FIGURES]}
        return render(request, "demands/report.html", context)
