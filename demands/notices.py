"""Who is told at each step of a case (notifications), as ``events.py`` says what the timeline records.

The managers (the staff of the demand's region and the alliance's administrators) act on a new case; the handler
organization's secretaries and the handler act on an assigned one; the requester (whoever raised or recorded it,
and the requesting person's own account) hears of every decision and is asked to rate the result."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from notifications import recipients
from notifications.kinds import Kind, declare
from notifications.mentions import named
from notifications.services import Say, When, notify

from .choices import DemandStatus
from .models import Demand, DemandEvent

GROUP = _("Demands")
SUBMITTED = declare("demands.submitted", _("A demand is raised that I manage"), GROUP)
DECIDED = declare("demands.decided", _("My demand is accepted or declined"), GROUP)
ASSIGNED = declare("demands.assigned", _("A demand is assigned to my organization"), GROUP)
MOVED = declare("demands.moved", _("My demand is assigned, claimed or taken up"), GROUP)
CLAIMED = declare("demands.claimed", _("A demand I manage is claimed"), GROUP)
RESOLVED = declare("demands.resolved", _("My demand is resolved: please rate it"), GROUP)
RATED = declare("demands.rated", _("A demand I handled is rated"), GROUP)
RATED_LOW = declare("demands.rated_low", _("A demand I handled or manage is rated low"), GROUP)
MENTIONED = declare("demands.mentioned", _("A comment on a demand names me"), GROUP)
DUE_SOON = declare("demands.due_soon", _("A deadline on a demand is near"), GROUP)
ESCALATED = declare("demands.escalated", _("A demand is overdue and escalated"), GROUP)
WITHDRAWN = declare("demands.withdrawn", _("A demand I manage is withdrawn by its requester"), GROUP)


def managers(demand: Demand) -> list[Any]:
    return recipients.region_staff(demand.region) + recipients.alliance_admins([demand.alliance_id])


def handlers(demand: Demand) -> list[Any]:
    users = recipients.organization_contacts([demand.handler_organization]) if demand.handler_organization else []
    return users + recipients.account(demand.handler_person)


def requesters(demand: Demand) -> list[Any]:
    users = [demand.created_by] if demand.created_by_id else []
    return users + recipients.account(demand.requester_person)


def _tell(users: list[Any], demand: Demand, event: DemandEvent, kind: Kind, title: Any, body: Any = "",
          **values: Any) -> None:
    values = {"title": demand.title, "note": event.note, **values}
    notify(users, kind=kind, title=Say(title, **values), body=Say(body, **values) if body else "",
           url=demand.get_absolute_url(), event=f"demand-event:{event.pk}:{kind}", actor=event.actor, at=event.at)


def submitted(demand: Demand, event: DemandEvent) -> None:
    _tell(managers(demand), demand, event, SUBMITTED, _("New demand: %(title)s"),
          _("%(requester)s raised “%(title)s” (%(category)s). Accept it, decline it or assign it by %(due)s."),
          requester=demand.requester_name, category=demand.category, due=When(demand.accept_due))


def step(demand: Demand, event: DemandEvent) -> None:
    """Tell whoever must act next and whoever the step concerns, by the kind of step the timeline recorded."""
    kind = event.kind
    if kind == "accepted":
        _tell(requesters(demand), demand, event, DECIDED, _("Accepted: %(title)s"),
              _("Your demand was accepted; it is to be resolved by %(due)s."), due=When(demand.resolve_due))
    elif kind == "declined":
        _tell(requesters(demand), demand, event, DECIDED, _("Declined: %(title)s"),
              _("Your demand was declined. Reason: %(note)s"))
    elif kind in ("assigned", "claimed"):
        _tell(handlers(demand), demand, event, ASSIGNED, _("Assigned to %(org)s: %(title)s"),
              _("The demand “%(title)s” is now with %(org)s; resolve it by %(due)s. %(note)s"),
              org=demand.handler_organization, due=When(demand.resolve_due))
        _tell(requesters(demand), demand, event, MOVED, _("Now with %(org)s: %(title)s"),
              _("Your demand is now handled by %(org)s."), org=demand.handler_organization)
        if kind == "claimed":
            _tell(managers(demand), demand, event, CLAIMED, _("Claimed by %(org)s: %(title)s"),
                  org=demand.handler_organization)
    elif kind == "started":
        _tell(requesters(demand), demand, event, MOVED, _("Work started: %(title)s"),
              _("%(org)s started work on your demand. %(note)s"), org=demand.handler_organization)
    elif kind == "resolved":
        _tell(requesters(demand), demand, event, RESOLVED, _("Resolved, please rate: %(title)s"),
              _("%(org)s resolved your demand: %(note)s\nSay how satisfied you are; a low rating sends it back for "
                "review."), org=demand.handler_organization)
    elif kind == "withdrawn":
        _tell(managers(demand), demand, event, WITHDRAWN, _("Withdrawn: %(title)s"),
              _("%(requester)s withdrew the demand; nothing more is to be done. %(note)s"),
              requester=demand.requester_name)
    elif kind == "rated":
        if demand.status == DemandStatus.REVIEW:
            _tell(handlers(demand) + managers(demand), demand, event, RATED_LOW,
                  _("Rated %(rating)s of 5, back for review: %(title)s"),
                  _("The requester is not satisfied: %(note)s\nReview the result by %(due)s."),
                  rating=demand.rating, due=When(demand.resolve_due))
        else:
            _tell(handlers(demand), demand, event, RATED, _("Rated %(rating)s of 5: %(title)s"),
                  _("The requester closed the case. %(note)s"), rating=demand.rating)


def commented(demand: Demand, event: DemandEvent) -> None:
    notify(named(event.note, demand), kind=MENTIONED,
           title=Say(_("%(who)s named you on: %(title)s"), who=event.actor or "", title=demand.title),
           body=event.note, url=demand.get_absolute_url(), event=f"demand-event:{event.pk}", actor=event.actor)
