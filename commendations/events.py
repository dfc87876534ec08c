"""A nomination's timeline (``NominationEvent``): one public function per kind of event, as Saleor's
``order/events.py``. Notifications are keyed by the event, so a step taken twice tells people twice, a task run
twice once."""

from __future__ import annotations

from django.utils import timezone

from core.permissions import Actor, signed_in

from .choices import NominationEventKind
from .models import Nomination, NominationEvent


def _write(nomination: Nomination, actor: Actor, kind: str, note: str = "") -> NominationEvent:
    return NominationEvent.objects.create(nomination=nomination, kind=kind, at=timezone.now(), actor=signed_in(actor),
                                          stage_id=nomination.stage_id, note=note[:5000])


def created(nomination: Nomination, actor: Actor) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.CREATED)


def changed(nomination: Nomination, actor: Actor, *, fields: str) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.CHANGED, note=fields)


def submitted(nomination: Nomination, actor: Actor) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.SUBMITTED)


def reviewed(nomination: Nomination, actor: Actor, *, note: str) -> NominationEvent:
    """A stage passed it on to the next stage."""
    return _write(nomination, actor, NominationEventKind.REVIEWED, note=note)


def returned(nomination: Nomination, actor: Actor, *, reason: str) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.RETURNED, note=reason)


def passed(nomination: Nomination, actor: Actor, *, note: str) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.PASSED, note=note)


def rejected(nomination: Nomination, actor: Actor, *, note: str) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.REJECTED, note=note)


def noticed(nomination: Nomination, actor: Actor, *, note: str) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.NOTICED, note=note)


def objection_filed(nomination: Nomination, actor: Actor) -> NominationEvent:
    # Who objected stays with the objection (its handlers read it), not on the nominator's timeline.
    return _write(nomination, actor, NominationEventKind.OBJECTION)


def objection_handled(nomination: Nomination, actor: Actor, *, note: str) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.OBJECTION_HANDLED, note=note)


def approved(nomination: Nomination, actor: Actor, *, note: str) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.APPROVED, note=note)


def withdrawn(nomination: Nomination, actor: Actor, *, reason: str) -> NominationEvent:
    return _write(nomination, actor, NominationEventKind.WITHDRAWN, note=reason)
