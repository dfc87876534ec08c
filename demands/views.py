from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.permissions import get_object_or_404_scoped
from core.views import ObjectListView, apply_form_errors, form_messages, run_step

from . import selectors, services
from .choices import DemandStatus
from .filters import DemandFilterSet
from .forms import AcceptForm, AssignForm, ClaimForm, CommentForm, DemandForm, RateForm, ReasonForm, ResolveForm
from .models import Demand
from .tables import DemandTable


class DemandListView(ObjectListView):
    model = Demand
    filterset = DemandFilterSet
    table = DemandTable

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.demand_list(request.user)

    def can_add(self, request: HttpRequest) -> bool:
        return True  # anyone signed in may raise a demand


class DemandCreateView(LoginRequiredMixin, View):
    """Raise a demand: made for a phone; the region defaults to the user's organization's."""

    template_name = "core/object_edit.html"

    def _render(self, request: HttpRequest, form: DemandForm) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "object": Demand(), "model_meta": Demand._meta})

    def get(self, request: HttpRequest) -> HttpResponse:
        person = getattr(request.user, "person", None)
        initial: dict[str, Any] = {"requester_kind": "unit"}
        if person is not None:
            initial.update(contact_name=person.name, region=person.organization.region_id)
        return self._render(request, DemandForm(instance=Demand(), user=request.user, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DemandForm(request.POST, instance=Demand(), user=request.user)
        if form.is_valid():
            try:
                demand = services.demand_submit(actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Your demand is submitted. You can follow every step here."))
                return HttpResponseRedirect(demand.get_absolute_url())
        return self._render(request, form)


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
        }
        return render(request, "demands/demand_detail.html", context)


class DemandStepView(LoginRequiredMixin, View):
    """POST one step on a demand; the services check who may take it and from which status."""

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        demand = get_object_or_404_scoped(Demand, request.user, pk=pk)
        handler = getattr(self, "step_" + step, None)
        if handler is None:
            raise Http404
        handler(request, demand)
        return HttpResponseRedirect(demand.get_absolute_url())

    def _valid(self, request: HttpRequest, form: Any) -> bool:
        if form.is_valid():
            return True
        for message in form_messages(form):
            messages.error(request, message)
        return False

    def step_accept(self, request: HttpRequest, demand: Demand) -> None:
        form = AcceptForm(request.POST)
        if self._valid(request, form):
            run_step(request, services.demand_accept, _("Accepted."), demand=demand, **form.cleaned_data)

    def step_decline(self, request: HttpRequest, demand: Demand) -> None:
        form = ReasonForm(request.POST)
        if self._valid(request, form):
            run_step(request, services.demand_decline, _("Declined; the requester sees the reason."), demand=demand,
                     reason=form.cleaned_data["reason"])

    def step_assign(self, request: HttpRequest, demand: Demand) -> None:
        form = AssignForm(request.POST, queryset=selectors.pickable_handlers(request.user, demand))
        if self._valid(request, form):
            run_step(request, services.demand_assign, _("Assigned."), demand=demand, **form.cleaned_data)

    def step_claim(self, request: HttpRequest, demand: Demand) -> None:
        form = ClaimForm(request.POST, queryset=selectors.claimable_for(request.user, demand))
        if self._valid(request, form):
            run_step(request, services.demand_claim, _("Claimed: the case is now yours."), demand=demand,
                     organization=form.cleaned_data["organization"])

    def step_start(self, request: HttpRequest, demand: Demand) -> None:
        run_step(request, services.demand_start, _("Marked as in progress."), demand=demand)

    def step_resolve(self, request: HttpRequest, demand: Demand) -> None:
        form = ResolveForm(request.POST)
        if self._valid(request, form):
            run_step(request, services.demand_resolve, _("Resolved; the requester is asked to rate the result."),
                     demand=demand, resolution=form.cleaned_data["resolution"])

    def step_rate(self, request: HttpRequest, demand: Demand) -> None:
        form = RateForm(request.POST)
        if self._valid(request, form):
            run_step(request, services.demand_rate, _("Thank you for rating the result."), demand=demand,
                     **form.cleaned_data)

    def step_comment(self, request: HttpRequest, demand: Demand) -> None:
        form = CommentForm(request.POST)
        if self._valid(request, form):
            run_step(request, services.demand_comment, _("Comment added."), demand=demand,
                     note=form.cleaned_data["note"])
