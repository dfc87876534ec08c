"""A case's timeline (``DemandEvent``): one public function per kind of event, as Saleor's ``order/events.py``.

Services and tasks write the timeline only through these; the requester sees it on the case's page. The case
history is one record shared by everyone, so notes are written in the platform's language by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from core.permissions import Actor, signed_in
from organizations.models import Organization

from .choices import EventKind
from .models import Demand, DemandEvent


def _write(demand: Demand, actor: Actor, kind: str, *, before: str = "", note: str = "",
           organization: Organization | None = None, deadline: str = "", at: dt.datetime | None = None) -> DemandEvent:
    return DemandEvent.objects.create(
        demand=demand, kind=kind, at=at or timezone.now(),
        actor=signed_in(actor),
        from_status=before if before != demand.status else "", to_status=demand.status if before else "",
        organization=organization, deadline=deadline, note=note)


StepEvent = Callable[..., DemandEvent]


def _step(kind: str) -> StepEvent:
    def record(demand: Demand, actor: Actor, *, before: str, note: str = "", organization: Organization | None = None,
               at: dt.datetime | None = None) -> DemandEvent:
        """A step of the workflow: the status it left (``before``) and the one it reached."""
        return _write(demand, actor, kind, before=before, note=note, organization=organization, at=at)

    record.__name__ = record.__qualname__ = str(kind)
    return record


accepted = _step(EventKind.ACCEPTED)
declined = _step(EventKind.DECLINED)
assigned = _step(EventKind.ASSIGNED)
claimed = _step(EventKind.CLAIMED)
started = _step(EventKind.STARTED)
resolved = _step(EventKind.RESOLVED)
rated = _step(EventKind.RATED)
withdrawn = _step(EventKind.WITHDRAWN)


def submitted(demand: Demand, actor: Actor, *, at: dt.datetime | None = None, note: str = "") -> DemandEvent:
    return _write(demand, actor, EventKind.SUBMITTED, at=at, note=note)


def reopened(demand: Demand, *, at: dt.datetime | None = None) -> DemandEvent:
    """A low rating sent the result back for review (by the system, after the requester's rating)."""
    return _write(demand, None, EventKind.REOPENED, at=at)


def commented(demand: Demand, actor: Actor, *, note: str) -> DemandEvent:
    return _write(demand, actor, EventKind.COMMENT, note=note)


def attachment_added(demand: Demand, actor: Actor, *, name: str) -> DemandEvent:
    return _write(demand, actor, EventKind.ATTACHMENT, note=name)


def reminded(demand: Demand, *, deadline: str, at: dt.datetime) -> DemandEvent:
    return _write(demand, None, EventKind.REMINDED, deadline=deadline, at=at)


def escalated(demand: Demand, *, deadline: str, organization: Organization | None, note: str,
              at: dt.datetime) -> DemandEvent:
    return _write(demand, None, EventKind.ESCALATED, deadline=deadline, organization=organization, at=at, note=note)
