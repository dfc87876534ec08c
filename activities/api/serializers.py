from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework import serializers

from activities import selectors
from activities.models import Activity, ActivityHost, ActivityPhoto, ActivitySeries, Attendance, FollowUp, Registration
from alliances.models import Alliance, Workstream
from api.viewsets import ChoosableRelatedField
from organizations.models import Organization, Person
from pairing.models import Pair


def _hosts(user: Any, _context: Mapping[str, Any]) -> Any:
    return selectors.pickable_hosts(user)


def _linked_hosts(activity: Any) -> Any:
    return ActivityHost.objects.filter(activity=activity).values_list("organization_id", flat=True)


def _visible(model: Any) -> Callable[[Any, Mapping[str, Any]], Any]:
    return lambda user, _context: model.objects.restrict(user)


def _markable(user: Any, context: Mapping[str, Any]) -> Any:
    """People the hosts may mark present or register (the view puts the activity in the context)."""
    return selectors.markable_people(user, context["activity"])


class HostSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization.id")
    name = serializers.CharField(source="organization.name")
    is_lead = serializers.BooleanField()


class ActivitySerializer(serializers.ModelSerializer):
    """An activity. Who may be named (lead, co-hosts, pairs, alliance, series) is checked by the service, which
    answers with the field and the reason. Status changes only through the actions."""

    lead = ChoosableRelatedField(Organization, _hosts, _linked_hosts, write_only=True)
    co_hosts = ChoosableRelatedField(Organization, _hosts, _linked_hosts, many=True, write_only=True,
                                     required=False)
    pairs = ChoosableRelatedField(Pair, _visible(Pair), lambda a: a.pairs.values_list("pk", flat=True), many=True,
                                  required=False)
    invited_organizations = ChoosableRelatedField(
        Organization, _hosts, lambda a: a.invited_organizations.values_list("pk", flat=True), many=True,
        required=False)
    alliance = ChoosableRelatedField(Alliance, _visible(Alliance), lambda a: [a.alliance_id], required=False,
                                     allow_null=True)
    workstream = ChoosableRelatedField(
        Workstream, lambda user, _c: Workstream.objects.filter(alliance__in=Alliance.objects.restrict(user)),
        lambda a: [a.workstream_id], required=False, allow_null=True)
    series = ChoosableRelatedField(ActivitySeries, _visible(ActivitySeries), lambda a: [a.series_id],
                                   required=False, allow_null=True)
    hosts = HostSerializer(source="host_links", many=True, read_only=True)
    attendee_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "theme", "description", "agenda", "starts_at", "ends_at", "venue", "capacity",
                  "status", "lead", "co_hosts", "hosts", "pairs", "invited_organizations", "alliance", "workstream",
                  "series", "allow_guests", "minutes", "outcomes", "recorded_at", "cancel_reason", "attendee_count"]
        read_only_fields = ["status", "minutes", "outcomes", "recorded_at", "cancel_reason"]


class RecordSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=20000, allow_blank=True)
    outcomes = serializers.CharField(max_length=10000, allow_blank=True, required=False, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class AttendanceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True, default="")

    class Meta:
        model = Attendance
        fields = ["id", "person", "name", "organization", "organization_name", "guest_unit", "method",
                  "signed_in_at"]


class MarkAttendanceSerializer(serializers.Serializer):
    people = ChoosableRelatedField(Person, _markable, many=True, allow_empty=False)


class MarkAttendanceResultSerializer(serializers.Serializer):
    added = AttendanceSerializer(many=True)
    already = serializers.ListField(child=serializers.IntegerField())


class RegistrationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True, default="")

    class Meta:
        model = Registration
        fields = ["id", "person", "name", "organization", "organization_name", "status", "created_at"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    person = ChoosableRelatedField(Person, _markable, required=False, allow_null=True,
                                   help_text="Empty: register yourself.")


class UnregisterSerializer(serializers.Serializer):
    registration = serializers.IntegerField()


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ActivityPhoto
        fields = ["id", "caption", "width", "height", "size", "url", "created_at"]
        read_only_fields = fields


class PhotoUploadSerializer(serializers.Serializer):
    photo = serializers.FileField()
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FollowUpSerializer(serializers.ModelSerializer):
    owner_organization = ChoosableRelatedField(Organization, _hosts)

    class Meta:
        model = FollowUp
        fields = ["id", "title", "owner_organization", "owner_person", "due_on", "status", "done_on", "result"]
        read_only_fields = ["owner_person", "status", "done_on", "result"]


class SignInLinkSerializer(serializers.Serializer):
    url = serializers.CharField()
    opens = serializers.DateTimeField()
    closes = serializers.DateTimeField()


class ActivitySeriesSerializer(serializers.ModelSerializer):
    owner = ChoosableRelatedField(Organization, _visible(Organization), lambda s: [s.owner_id])
    participants = ChoosableRelatedField(Organization, _hosts,
                                         lambda s: s.participants.values_list("pk", flat=True), many=True,
                                         required=False)

    class Meta:
        model = ActivitySeries
        fields = ["id", "name", "owner", "kind", "description", "first_month", "last_month", "programme",
                  "participants", "reminder_day", "is_active"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("first_month", "last_month"):
            if attrs.get(name):
                attrs[name] = attrs[name].replace(day=1)
        return attrs


class MatrixCellSerializer(serializers.Serializer):
    month = serializers.DateField()
    held = serializers.IntegerField()
    planned = serializers.IntegerField()
    status = serializers.CharField()


class MatrixRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="subject.pk")
    name = serializers.CharField(source="subject")
    cells = MatrixCellSerializer(many=True)


class LedgerCellSerializer(serializers.Serializer):
    period = serializers.CharField(source="label")
    count = serializers.IntegerField()
    required_count = serializers.IntegerField(source="required")
    status = serializers.CharField()


class LedgerRowSerializer(serializers.Serializer):
    rule = serializers.CharField(source="rule.display_name")
    period = serializers.CharField(source="rule.period")
    met = serializers.IntegerField()
    elapsed = serializers.IntegerField()
    missing = serializers.IntegerField()
    cells = LedgerCellSerializer(many=True)


class LedgerSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    organization_name = serializers.CharField(source="organization.name")
    year = serializers.IntegerField()
    missing = serializers.IntegerField()
    rows = LedgerRowSerializer(many=True)
