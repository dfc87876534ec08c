from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import visible
from core.tree import subtree_q
from organizations.models import Organization

from .choices import ActivityKind, ActivityStatus, RegistrationStatus
from .models import Activity, ActivityHost, ActivitySeries, Attendance, LedgerRule, Registration

# Choices offered to the requesting user: what they see.
_ACTIVITY_SERIES = visible("activities.ActivitySeries")
_ALLIANCES = visible("alliances.Alliance")
_ORGANIZATIONS = visible("organizations.Organization")


class ActivityFilterSet(filters.FilterSet):
    """One filter set for the activity list page, its export and the API."""

    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Theme, venue or a host's name."))
    kind = filters.MultipleChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    status = filters.MultipleChoiceFilter(choices=ActivityStatus.choices, label=_("Status"))
    starts_after = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("From"))
    starts_before = filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Until"))
    host = filters.ModelChoiceFilter(queryset=_ORGANIZATIONS, method="hosted_within",
                                     label=_("Hosted within"),
                                     help_text=_("Activities hosted by this organization or its subtree."))
    alliance = filters.ModelChoiceFilter(queryset=_ALLIANCES, label=_("Alliance"))
    series = filters.ModelChoiceFilter(queryset=_ACTIVITY_SERIES, label=_("Series"))
    pair = filters.NumberFilter(method="with_pair", label=_("Pair (id)"))
    mine = filters.BooleanFilter(method="filter_mine", label=_("Mine"),
                                 help_text=_("Activities I am invited to, registered for or attended."))

    class Meta:
        model = Activity
        fields = ["q", "kind", "status", "starts_after", "starts_before", "host", "alliance", "series", "pair",
                  "mine"]

    def search(self, qs: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        host = ActivityHost.objects.filter(activity=OuterRef("pk"), organization__name__icontains=value)
        return qs.filter(Q(theme__icontains=value) | Q(venue__icontains=value) | Q(Exists(host)))

    def hosted_within(self, qs: QuerySet[Activity], name: str, value: Organization) -> QuerySet[Activity]:
        host = ActivityHost.objects.filter(subtree_q(value.path, "organization__path"), activity=OuterRef("pk"))
        return qs.filter(Exists(host))

    def filter_mine(self, qs: QuerySet[Activity], name: str, value: bool | None) -> QuerySet[Activity]:
        """Through the user's person record: invited, registered (and not cancelled) or signed in."""
        if value is None:
            return qs
        person = getattr(getattr(self.request, "user", None), "person", None)
        if person is None:
            return qs.none() if value else qs
        mine = (Q(Exists(Activity.invited_people.through.objects.filter(activity=OuterRef("pk"), person=person)))
                | Q(Exists(Registration.objects.filter(activity=OuterRef("pk"), person=person,
                                                       status=RegistrationStatus.REGISTERED)))
                | Q(Exists(Attendance.objects.filter(activity=OuterRef("pk"), person=person))))
        return qs.filter(mine) if value else qs.exclude(mine)

    def with_pair(self, qs: QuerySet[Activity], name: str, value: int) -> QuerySet[Activity]:
        return qs.filter(pair_links__pair_id=value)


class ActivitySeriesFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    is_active = filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = ActivitySeries
        fields = ["q", "is_active"]


class LedgerRuleFilterSet(filters.FilterSet):
    class Meta:
        model = LedgerRule
        fields = ["organization_type", "period", "is_active"]
