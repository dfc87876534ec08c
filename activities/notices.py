"""Who is told when an activity is planned, changed, cancelled or recorded, and the reminders the daily tasks send.

The invited (organizations: their secretaries; people: their accounts) and the co-hosts hear of an upcoming
activity once; whoever registered, was invited or hosts it hears when its time or venue changes or it is
cancelled; both sides of a pair hear when a joint activity is recorded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import recipients
from notifications.kinds import declare
from notifications.services import Say, When, notify
from organizations.models import Organization, Person

from .choices import RegistrationStatus
from .models import Activity, Registration

GROUP = _("Activities")
INVITED = declare("activities.invited", _("My organization or I am invited to an activity"), GROUP)
REGISTERED = declare("activities.registered", _("A registration of mine is confirmed"), GROUP)
CHANGED = declare("activities.changed", _("An activity I take part in moves or changes venue"), GROUP)
CANCELLED = declare("activities.cancelled", _("An activity I take part in is cancelled"), GROUP)
PAIR_RECORDED = declare("activities.pair_recorded", _("A joint activity of my pair is recorded"), GROUP)
SERIES_REMINDER = declare("activities.series_reminder", _("A regular activity is not yet held this month"), GROUP)
FOLLOWUP_DUE = declare("activities.followup_due", _("A follow-up item is due or overdue"), GROUP)


def _values(activity: Activity) -> dict[str, Any]:
    return {"theme": activity.theme, "start": When(activity.starts_at), "venue": activity.venue or "—"}


def _participants(activity: Activity) -> list[Any]:
    """Whoever registered or was invited, and the hosts' secretaries."""
    people = [r.person for r in Registration.objects.filter(activity=activity, status=RegistrationStatus.REGISTERED,
                                                            person__user__isnull=False).select_related("person__user")]
    people += list(activity.invited_people.filter(user__isnull=False).select_related("user"))
    organizations = [*activity.hosts.all(), *activity.invited_organizations.all()]
    return [p.user for p in people] + recipients.organization_contacts(organizations)


def invited(activity: Activity, actor: Any, organizations: Iterable[Organization], people: Iterable[Person]) -> None:
    """Newly invited organizations and people, and new co-hosts, of an activity still to come."""
    if activity.starts_at <= timezone.now():
        return
    users = recipients.organization_contacts(organizations) + [u for p in people for u in recipients.account(p)]
    notify(users, kind=INVITED, title=Say(_("Invitation: %(theme)s"), **_values(activity)),
           body=Say(_("You are invited to “%(theme)s” on %(start)s at %(venue)s."), **_values(activity)),
           url=activity.get_absolute_url(), event=f"activity:{activity.pk}:invited", actor=actor)


def registered(registration: Registration) -> None:
    """The person's own confirmation, also when they registered themselves (it carries the time and place)."""
    activity = registration.activity
    notify(recipients.account(registration.person), kind=REGISTERED,
           title=Say(_("Registered: %(theme)s"), **_values(activity)),
           body=Say(_("Your place at “%(theme)s” on %(start)s at %(venue)s is confirmed."), **_values(activity)),
           url=activity.get_absolute_url(),
           event=f"registration:{registration.pk}:{registration.updated_at.timestamp():.0f}")


def changed(activity: Activity, actor: Any) -> None:
    notify(_participants(activity), kind=CHANGED, title=Say(_("Changed: %(theme)s"), **_values(activity)),
           body=Say(_("“%(theme)s” now takes place on %(start)s at %(venue)s."), **_values(activity)),
           url=activity.get_absolute_url(), event=f"activity:{activity.pk}:changed:{activity.updated_at.isoformat()}",
           actor=actor)


def cancelled(activity: Activity, actor: Any) -> None:
    values = {**_values(activity), "reason": activity.cancel_reason}
    notify(_participants(activity), kind=CANCELLED, title=Say(_("Cancelled: %(theme)s"), **values),
           body=Say(_("The activity of %(start)s you take part in was cancelled. Reason: %(reason)s"), **values),
           url=activity.get_absolute_url(), event=f"activity:{activity.pk}:cancelled", actor=actor)


def recorded(activity: Activity, actor: Any) -> None:
    pairs = list(activity.pairs.select_related("organ").prefetch_related("partners"))
    if not pairs:
        return
    sides = {o.pk: o for pair in pairs for o in (pair.organ, *pair.partners.all())}
    notify(recipients.organization_contacts(sides.values()), kind=PAIR_RECORDED,
           title=Say(_("Recorded for your pair: %(theme)s"), **_values(activity)),
           body=Say(_("The joint activity “%(theme)s” of %(start)s was recorded; it counts for each side of the pair."),
                    **_values(activity)),
           url=activity.get_absolute_url(), event=f"activity:{activity.pk}:recorded", actor=actor)
