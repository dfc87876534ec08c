from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from activities import selectors as activity_selectors
from core.permissions import Action, can, get_object_or_404_scoped, runs_regions
from core.views import ObjectDetailView, ObjectEditView, ObjectListView, form_messages, run_step
from organizations.models import Organization

from . import selectors, services
from .filters import AllianceFilterSet
from .forms import AllianceForm, OrganizerForm, ReasonForm, RoleForm, WorkstreamForm
from .models import Alliance, Membership, Organizer, Workstream
from .tables import AllianceTable


class AllianceListView(ObjectListView):
    model = Alliance
    filterset = AllianceFilterSet
    table = AllianceTable

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.alliance_list(request.user)

    def can_add(self, request: HttpRequest) -> bool:
        return runs_regions(request.user)


class AllianceDetailView(ObjectDetailView):
    model = Alliance
    template_name = "alliances/alliance_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        user = request.user
        memberships = list(instance.memberships.select_related("organization", "organization__region")
                           .order_by("organization__path"))
        org_ids = {m.organization_id for m in memberships}
        # Which member organizations this user may open (their own scope) or act for (accept, decline, leave).
        viewable = set(Organization.objects.restrict(user).filter(pk__in=org_ids).values_list("pk", flat=True))
        actable = set(Organization.objects.restrict(user, Action.CHANGE).filter(pk__in=org_ids)
                      .values_list("pk", flat=True))
        can_manage = can(user, Action.CHANGE, instance)
        return {
            "can_manage": can_manage,
            "levels": selectors.alliance_levels(instance),
            "stats": selectors.alliance_member_stats(instance),
            "pending": [m for m in memberships if m.status in ("applied", "invited")],
            "history": [m for m in memberships if m.status in ("left", "refused", "declined")],
            "viewable_org_ids": viewable,
            "actable_org_ids": actable,
            "organizers": selectors.alliance_organizers(instance),
            "workstreams": instance.workstreams.all() if can_manage else instance.workstreams.filter(is_active=True),
            "regions": instance.regions.all(),
            "children": instance.children.all(),
            "candidates": selectors.invite_candidates(instance)[:500] if can_manage else [],
            "role_form": RoleForm(),
            "workstream_form": WorkstreamForm() if can_manage else None,
            "organizer_form": OrganizerForm(user=user, alliance=instance) if can_manage else None,
            # Activities of the alliance held this year: each co-hosted activity counts once.
            "activity_stats": activity_selectors.alliance_statistics(instance, timezone.localdate().year),
        }


class AllianceEditView(ObjectEditView):
    model = Alliance
    form_class = AllianceForm

    def may_create(self, user: Any) -> bool:
        return runs_regions(user)  # organization departments found alliances (sub-alliances too)

    def save(self, request: HttpRequest, form: Any, instance: Any) -> Any:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        regions = form.cleaned_data["regions"]
        if instance.pk is None:
            return services.alliance_create(actor=request.user, data=data, regions=regions)
        return services.alliance_update(actor=request.user, alliance=instance, data=data, regions=regions)


def _back(membership: Membership) -> HttpResponseRedirect:
    return HttpResponseRedirect(membership.alliance.get_absolute_url() + "#members")


class MembershipStepView(LoginRequiredMixin, View):
    """POST one workflow step on a membership; the service decides whether this user may take it."""

    STEPS = {
        "approve": (services.membership_approve, False),
        "refuse": (services.membership_refuse, True),
        "accept": (services.membership_accept, False),
        "decline": (services.membership_decline, True),
        "leave": (services.membership_leave, True),
    }

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        membership = get_object_or_404_scoped(Membership, request.user, pk=pk)
        if step == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a valid role and dates."))
                return _back(membership)
            call: Any = services.membership_set_role
            kwargs: dict[str, Any] = form.cleaned_data
        else:
            if step not in self.STEPS:
                return HttpResponse(status=404)
            call, needs_reason = self.STEPS[step]
            kwargs = {}
            if needs_reason:
                reason_form = ReasonForm(request.POST)
                reason_form.is_valid()
                kwargs["reason"] = reason_form.cleaned_data.get("reason", "")
        run_step(request, call, _("Done: %(org)s.") % {"org": membership.organization}, membership=membership, **kwargs)
        return _back(membership)


class InviteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        alliance = get_object_or_404_scoped(Alliance, request.user, pk=pk)
        organization = selectors.invite_candidates(alliance).filter(pk=request.POST.get("organization") or 0).first()
        if organization is None:
            messages.error(request, _("Choose an organization from the list."))
        else:
            run_step(request, services.membership_invite, _("%(org)s was invited.") % {"org": organization},
                 alliance=alliance, organization=organization)
        return HttpResponseRedirect(alliance.get_absolute_url() + "#members")


class ApplyView(LoginRequiredMixin, View):
    """An organization's secretary or staff apply to join an alliance (from the organization's page)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        organization = get_object_or_404_scoped(Organization, request.user, pk=pk)
        alliance = selectors.joinable_alliances(organization).filter(pk=request.POST.get("alliance") or 0).first()
        if alliance is None:
            messages.error(request, _("Choose an alliance from the list."))
        else:
            run_step(request, services.membership_apply,
                 _("The application to %(alliance)s was sent.") % {"alliance": alliance},
                 alliance=alliance, organization=organization)
        return HttpResponseRedirect(organization.get_absolute_url() + "#alliances")


class AllianceSetupView(LoginRequiredMixin, View):
    """POST the alliance's set-up changes: add a workstream or an organizer (``pk`` = the alliance), switch a
    workstream on or off (``pk`` = the workstream), remove an organizer (``pk`` = the organizer). The services
    check that the user administers the alliance."""

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        user = request.user
        if step in ("add-workstream", "add-organizer"):
            alliance = get_object_or_404_scoped(Alliance, user, pk=pk)
            if step == "add-workstream":
                form: Any = WorkstreamForm(request.POST)
                call: Any = services.workstream_add
            else:
                form = OrganizerForm(request.POST, user=user, alliance=alliance)
                call = services.organizer_add
            if form.is_valid():
                run_step(request, call, _("Saved."), alliance=alliance, **form.cleaned_data)
            else:
                for message in form_messages(form):
                    messages.error(request, message)
        elif step == "toggle-workstream":
            workstream = get_object_or_404(Workstream, pk=pk)
            alliance = get_object_or_404_scoped(Alliance, user, pk=workstream.alliance_id)
            run_step(request, services.workstream_update, _("Saved."), workstream=workstream,
                 data={"is_active": not workstream.is_active})
        elif step == "remove-organizer":
            organizer = get_object_or_404(Organizer, pk=pk)
            alliance = get_object_or_404_scoped(Alliance, user, pk=organizer.alliance_id)
            run_step(request, services.organizer_remove, _("Removed."), organizer=organizer)
        else:
            raise Http404
        return HttpResponseRedirect(alliance.get_absolute_url() + "#setup")
