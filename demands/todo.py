"""What waits on the demand workflow: cases to accept or decline and to assign (the managers), cases overdue in
the managers' area, cases with the user's organizations or with them in person (the handlers), cases open for the
user's organizations to claim, and results to rate (the requester)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.permissions import Action, get_scope
from core.tree import subtrees_q
from workbench.registry import Found, Item, first, todo

from .choices import AWAITING_RESOLUTION, DemandStatus
from .models import Demand

HANDLED = (DemandStatus.ASSIGNED, DemandStatus.IN_PROGRESS, DemandStatus.REVIEW)


def _item(demand: Demand, due: dt.datetime | None, detail: Any = "") -> Item:
    return Item(demand.title, demand.get_absolute_url(), due, str(detail))


def _managed(user: Any) -> Any:
    return Demand.objects.restrict(user, Action.CHANGE).order_by("id")


@todo("demands.decide", _("Demands to accept or decline"), order=10)
def to_decide(user: Any, now: dt.datetime) -> Found:
    rows, total = first(_managed(user).filter(status=DemandStatus.SUBMITTED).order_by("accept_due", "id"))
    return [_item(d, d.accept_due, d.requester_name) for d in rows], total


@todo("demands.assign", _("Accepted demands to assign"), order=11)
def to_assign(user: Any, now: dt.datetime) -> Found:
    rows, total = first(_managed(user).filter(status=DemandStatus.ACCEPTED, open_for_claim=False,
                                              handler_organization=None).order_by("resolve_due", "id"))
    return [_item(d, d.resolve_due, d.requester_name) for d in rows], total


@todo("demands.handle", _("Demands my organizations handle"), order=12)
def to_handle(user: Any, now: dt.datetime) -> Found:
    """The handler organization is one the user answers for as its secretary (not every organization a district's
    staff reach: they follow the overdue ones), or the user is the handler in person."""
    paths = get_scope(user, Action.CHANGE).org_paths
    person = getattr(user, "person", None)
    mine = subtrees_q(paths, "handler_organization__path") | (Q(handler_person=person) if person else Q(pk__in=[]))
    rows, total = first(Demand.objects.filter(mine, status__in=HANDLED)
                        .select_related("handler_organization").order_by("resolve_due", "id"))
    return [_item(d, d.resolve_due, d.get_status_display()) for d in rows], total


@todo("demands.overdue", _("Overdue demands in my area"), order=13)
def overdue(user: Any, now: dt.datetime) -> Found:
    late = Q(status=DemandStatus.SUBMITTED, accept_due__lt=now) | Q(status__in=AWAITING_RESOLUTION,
                                                                     resolve_due__lt=now)
    rows, total = first(_managed(user).filter(late).select_related("handler_organization").order_by("id"))
    return [_item(d, d.accept_due if d.status == DemandStatus.SUBMITTED else d.resolve_due,
                  d.handler_organization or d.get_status_display()) for d in rows], total


@todo("demands.claim", _("Demands open for my organizations to claim"), order=14)
def to_claim(user: Any, now: dt.datetime) -> Found:
    paths = get_scope(user, Action.CHANGE).org_paths
    if not paths:
        return [], 0
    members = subtrees_q(paths, "alliance__memberships__organization__path") & Q(
        alliance__memberships__status="active")
    rows, total = first(Demand.objects.filter(members, status=DemandStatus.ACCEPTED, open_for_claim=True)
                        .distinct().order_by("resolve_due", "id"))
    return [_item(d, d.resolve_due, d.requester_name) for d in rows], total


@todo("demands.rate", _("Results to rate"), order=15)
def to_rate(user: Any, now: dt.datetime) -> Found:
    person = getattr(user, "person", None)
    mine = Q(created_by=user) | (Q(requester_person=person) if person else Q(pk__in=[]))
    rows, total = first(Demand.objects.filter(mine, status=DemandStatus.RESOLVED).select_related(
        "handler_organization").order_by("resolved_at", "id"))
    return [_item(d, None, d.handler_organization or "") for d in rows], total
