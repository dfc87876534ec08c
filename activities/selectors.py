"""Reading activities: lists, who may be picked as a host, and everything that counts activities (pair progress,
alliance statistics). The ledger, series and calendar readers live in their own modules."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.choices import MembershipStatus
from alliances.models import Alliance, Membership
from core.permissions import Action, Actor, can
from organizations.models import Organization, Person
from pairing.models import Pair, PairPartner

from .choices import DONE_STATUSES, ActivityKind, RegistrationStatus
from .models import Activity, ActivityHost, ActivityPair, ActivitySeries, Attendance, Registration


def activity_list(user: Any) -> QuerySet[Activity]:
    # The hosts' contact phones are not shown in a list: not loading them spares decrypting one per host.
    hosts = ActivityHost.objects.select_related("organization").defer("organization__contact_phone")
    return (Activity.objects.restrict(user)
            .select_related("alliance", "workstream", "series")
            .prefetch_related(Prefetch("host_links", hosts))
            .annotate(attendee_count=attendee_count()))


def attendee_count() -> Coalesce:
    """How many signed in, per activity, as a correlated sub-query: PostgreSQL computes it only for the rows of
    the page (after ORDER BY … LIMIT), where a joined COUNT … GROUP BY aggregated every visible activity's
    attendance before the first row could be returned."""
    per_activity = (Attendance.objects.filter(activity=OuterRef("pk")).order_by().values("activity")
                    .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(per_activity, output_field=IntegerField()), 0)


def activity_detail_queryset(user: Any) -> QuerySet[Activity]:
    return (Activity.objects.restrict(user)
            .select_related("alliance", "workstream", "series", "recorded_by", "created_by")
            .prefetch_related(Prefetch("host_links", ActivityHost.objects.select_related("organization")),
                              Prefetch("pairs", Pair.objects.select_related("organ").prefetch_related("partners")),
                              "invited_organizations", "invited_people", "photos",
                              "follow_ups__owner_organization", "follow_ups__owner_person"))


def registrations(activity: Activity) -> list[Registration]:
    """The activity's current registrations, in the order they came."""
    return list(activity.registrations.filter(status=RegistrationStatus.REGISTERED)
                .select_related("person", "organization").order_by("created_at", "id"))


def my_registrations(user: Any, now: dt.datetime | None = None) -> tuple[list[Registration], list[Registration]]:
    """The user's own registrations (through their person record): those still to come or under way, soonest
    first, and the last 50 past ones, latest first. Two queries; empty for an account without a person."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return [], []
    now = now or timezone.now()
    rows = (Registration.objects.restrict(user).filter(person=person)
            .select_related("activity", "organization"))
    upcoming = list(rows.filter(activity__ends_at__gte=now).order_by("activity__starts_at", "id"))
    past = list(rows.filter(activity__ends_at__lt=now).order_by("-activity__starts_at", "-id")[:50])
    return upcoming, past


def registered_absent(activity: Activity) -> QuerySet[Person]:
    """Registered people who have not signed in (yet)."""
    return Person.objects.filter(activity_registrations__activity=activity,
                                 activity_registrations__status=RegistrationStatus.REGISTERED).exclude(
        attendance__activity=activity)


def attendance_list(user: Any) -> QuerySet[Attendance]:
    return Attendance.objects.restrict(user).select_related("activity", "person", "organization")


def pickable_hosts(user: Any) -> QuerySet[Organization]:
    """Organizations a user may name as co-hosts or invite: those they see, the active members of alliances they
    see, and both sides of pairs they see (an organ's secretary co-hosts with the enterprise it is paired with,
    whose internal data they do not see). ``user=None`` is the system."""
    if user is None:
        return Organization.objects.all()
    visible = Organization.objects.restrict(user).values("pk")
    alliances = Alliance.objects.restrict(user).values("pk")
    members = Membership.objects.filter(alliance__in=alliances, status=MembershipStatus.ACTIVE).values("organization")
    pairs = Pair.objects.restrict(user)
    partners = PairPartner.objects.filter(pair__in=pairs.values("pk")).values("organization")
    return Organization.objects.filter(Q(pk__in=visible) | Q(pk__in=members) | Q(pk__in=partners)
                                       | Q(pk__in=pairs.values("organ")))


def markable_people(actor: Actor, activity: Activity) -> QuerySet[Person]:
    """People a host may mark present: those they see, members of the hosts, and the invited."""
    hosts = ActivityHost.objects.filter(activity=activity).values("organization")
    visible = Person.objects.restrict(actor).values("pk") if actor is not None else Person.objects.values("pk")
    return Person.objects.filter(Q(pk__in=visible) | Q(organization__in=hosts) | Q(invited_activities=activity))


def attendance_by_organization(rows: Iterable[Attendance]) -> list[tuple[str, int]]:
    """How many attended per credited organization (guests together), by name."""
    counts = Counter(row.organization.name if row.organization else str(_("Guests")) for row in rows)
    return sorted(counts.items())


def activity_prefill(user: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """Initial values of a new activity from where the secretary came from: a pair (lead and kind follow), a
    series (this month's theme), an alliance, a calendar day. Only what the user may see is used."""
    initial: dict[str, Any] = {}
    pair_id, series_id, alliance_id = params.get("pair", ""), params.get("series", ""), params.get("alliance", "")
    if pair_id.isdigit():
        pair = Pair.objects.restrict(user).filter(pk=int(pair_id)).select_related("organ").first()
        if pair is not None:
            initial.update(pairs=[pair.pk], kind=ActivityKind.THEMED_PARTY_DAY)
            if can(user, Action.CHANGE, pair.organ):
                initial["lead"] = pair.organ_id
    if series_id.isdigit():
        series = ActivitySeries.objects.restrict(user).filter(pk=int(series_id)).first()
        if series is not None:
            initial.update(series=series.pk, kind=series.kind)
            theme = series.months.filter(month=timezone.localdate().replace(day=1)).first()
            if theme is not None:
                initial["theme"] = theme.theme
    if alliance_id.isdigit() and Alliance.objects.restrict(user).filter(pk=int(alliance_id)).exists():
        initial["alliance"] = int(alliance_id)
    try:
        day = dt.date.fromisoformat(params.get("day", ""))
    except ValueError:
        day = None
    if day is not None:
        initial["starts_at"] = dt.datetime.combine(day, dt.time(9))
        initial["ends_at"] = initial["starts_at"] + dt.timedelta(hours=2)
    return initial


def pair_activity_dates(pair: Pair) -> list[dt.date]:
    """The dates of the joint activities held by a pair (for its target progress)."""
    starts = ActivityPair.objects.filter(pair=pair, activity__status__in=DONE_STATUSES).values_list(
        "activity__starts_at", flat=True)
    return [timezone.localtime(moment).date() for moment in starts]


def pair_activities(user: Any, pair: Pair) -> QuerySet[Activity]:
    return activity_list(user).filter(pair_links__pair=pair)


def organization_activities(user: Any, organization: Organization) -> QuerySet[Activity]:
    return activity_list(user).filter(host_links__organization=organization)


def alliance_statistics(alliance: Alliance, year: int) -> dict[str, Any]:
    """Activities of the alliance held in a year: in all, by kind, by workstream, and the number of distinct
    host organizations and attendees. Every co-host counts the same activity once."""
    held = Activity.objects.filter(alliance=alliance, status__in=DONE_STATUSES, starts_at__year=year)
    by_kind = Counter({row["kind"]: row["n"] for row in held.order_by().values("kind").annotate(n=Count("pk"))})
    by_workstream = {row["workstream__name"]: row["n"] for row in
                     held.exclude(workstream=None).order_by().values("workstream__name").annotate(n=Count("pk"))}
    return {
        "year": year,
        "held": sum(by_kind.values()),
        "by_kind": by_kind,
        "by_kind_labels": [(str(ActivityKind(k).label), n) for k, n in by_kind.most_common()],
        "by_workstream": by_workstream,
        "hosts": ActivityHost.objects.filter(activity__in=held).values("organization").distinct().count(),
        "attendance": Attendance.objects.filter(activity__in=held).count(),
    }


def hosts_of(activities: Iterable[Activity]) -> dict[int, list[Organization]]:
    return {a.pk: [link.organization for link in a.host_links.all()] for a in activities}
