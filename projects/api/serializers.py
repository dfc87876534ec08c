from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework import serializers

from activities.models import Activity
from activities.selectors import pickable_hosts
from alliances.models import Alliance, Workstream
from api.viewsets import ChoosableRelatedField
from demands.models import Demand, Resource
from organizations.models import Organization
from projects.models import Milestone, Project, ProjectEvent


def _visible(model: Any) -> Callable[[Any, Mapping[str, Any]], Any]:
    return lambda user, _context: model.objects.restrict(user)


def _linked(name: str) -> Callable[[Any], Any]:
    return lambda project: getattr(project, name).values_list("pk", flat=True)


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization.id")
    name = serializers.CharField(source="organization.name")
    is_lead = serializers.BooleanField()


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "note", "position"]
        read_only_fields = ["done_on", "note", "position"]


class ProjectSerializer(serializers.ModelSerializer):
    """A cooperation project. Status, progress and the result change only through the actions."""

    owners = ChoosableRelatedField(Organization, lambda u, _c: pickable_hosts(u), _linked("owners"), many=True,
                                   write_only=True)
    lead = ChoosableRelatedField(Organization, lambda u, _c: pickable_hosts(u), _linked("owners"), write_only=True,
                                 required=False, allow_null=True)
    owner_links = OwnerSerializer(many=True, read_only=True)
    alliance = ChoosableRelatedField(Alliance, _visible(Alliance), lambda p: [p.alliance_id], required=False,
                                     allow_null=True)
    workstream = ChoosableRelatedField(
        Workstream, lambda u, _c: Workstream.objects.filter(alliance__in=Alliance.objects.restrict(u)),
        lambda p: [p.workstream_id], required=False, allow_null=True)
    origin_meeting = ChoosableRelatedField(Activity, _visible(Activity), lambda p: [p.origin_meeting_id],
                                           required=False, allow_null=True)
    demands = ChoosableRelatedField(Demand, _visible(Demand), _linked("demands"), many=True, required=False)
    resources = ChoosableRelatedField(Resource, _visible(Resource), _linked("resources"), many=True, required=False)
    activities = ChoosableRelatedField(Activity, _visible(Activity), _linked("activities"), many=True,
                                       required=False)
    milestones = MilestoneSerializer(many=True, required=False)

    class Meta:
        model = Project
        fields = ["id", "title", "description", "alliance", "workstream", "origin", "origin_meeting", "decision",
                  "decided_on", "status", "progress", "starts_on", "due_on", "completed_on", "result", "owners",
                  "lead", "owner_links", "demands", "resources", "activities", "milestones", "created_at"]
        read_only_fields = ["status", "progress", "completed_on", "result", "created_at"]


class ProjectEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = ProjectEvent
        fields = ["id", "kind", "at", "actor", "note", "progress"]


class TimelineItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    text = serializers.CharField()
    url = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)


class ReachSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=1000, allow_blank=True, default="")


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["active", "suspended", "cancelled"])
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class ResultSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=10000)
    completed_on = serializers.DateField(required=False, allow_null=True)


class CommentSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)
