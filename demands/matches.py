"""Accepting a recommendation: the demand goes to the organization offering the resource, or a cooperation
project is started from the pair (and the demand goes to the project's lead). The match is kept with the reasons
shown when it was accepted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.permissions import Actor, signed_in
from organizations.models import Organization
from projects.choices import ProjectOrigin
from projects.services import project_create

from . import recommend, services
from .choices import DemandStatus, MatchOutcome, ResourceStatus
from .models import Demand, Match, Resource


@transaction.atomic
def match_accept(*, actor: Actor, demand: Demand, outcome: str, resource: Resource | None = None,
                 organization: Organization | None = None, reasons: Sequence[str] | None = None, note: str = "",
                 now: dt.datetime | None = None) -> Match:
    """Accept a recommended resource (or a recommended handler organization). A demand still waiting to be
    accepted is accepted in the same step, so staff act once. ``reasons``: what was shown (by default the
    recommendation's reasons as the actor sees them now)."""
    if not services.may_manage(actor, demand):
        raise PermissionDenied(_("Only the staff of the demand's region and its alliance's administrators may "
                                 "accept a match."))
    if outcome not in MatchOutcome.values:
        raise ValidationError({"outcome": _("Choose whether to assign the demand or start a project.")})
    if resource is not None:
        if actor is not None and not Resource.objects.restrict(actor).filter(pk=resource.pk).exists():
            raise ValidationError({"resource": _("Choose a resource from the recommendations.")})
        if resource.status != ResourceStatus.ACTIVE:
            raise ValidationError({"resource": _("This resource has been withdrawn.")})
        organization = resource.organization
    if organization is None:
        raise ValidationError({"organization": _("Choose a resource or an organization.")})
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.status not in (DemandStatus.SUBMITTED, *services.ALLOWED_FROM["assign"]):
        raise ValidationError(_("This demand is “%(status)s”; a match can no longer be accepted for it.")
                              % {"status": demand.get_status_display()})
    if demand.status == DemandStatus.SUBMITTED:
        demand = services.demand_accept(actor=actor, demand=demand, note=_("Accepted with a recommended match."),
                                        now=now)
    project = None
    if outcome == MatchOutcome.PROJECT:
        owners = [organization]
        if demand.requester_organization_id and demand.requester_organization_id != organization.pk:
            owners.append(demand.requester_organization)  # type: ignore[arg-type]
        # The project is seen by the whole alliance, the case only by its parties: the project's text names the
        # resource, not the demand's content (staff edit it afterwards).
        subject = resource.title if resource is not None else organization.name
        project = project_create(
            actor=actor, owners=owners, lead=organization,
            data={"title": _("Cooperation: %(subject)s") % {"subject": subject},
                  "description": _("Started from an accepted match between a demand and a resource."),
                  "alliance": demand.alliance, "workstream": demand.workstream, "origin": ProjectOrigin.MATCH},
            demands=[demand], resources=[resource] if resource is not None else [])
    if demand.handler_organization_id != organization.pk:
        message = note or (_("Matched with “%(resource)s”.") % {"resource": resource.title} if resource else "")
        demand = services.demand_assign(actor=actor, demand=demand, organization=organization, note=message,
                                        via=resource)
    if reasons is None:
        reasons = recommend.reasons_for(actor, demand, resource) if resource is not None and actor is not None else []
    match = Match.objects.create(demand=demand, resource=resource, organization=organization, outcome=outcome,
                                 project=project, reasons=[str(r) for r in reasons][:10],
                                 accepted_by=signed_in(actor))
    audit.record_create(actor, match)
    return match
