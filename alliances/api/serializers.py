from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.choices import MemberRole, OrganizerPart
from alliances.models import Alliance, Membership, Organizer, Workstream
from alliances.selectors import membership_organization_choices
from api.viewsets import ChoosableRelatedField, ScopedRelatedField
from core.permissions import Action
from organizations.models import Organization, Region, Unit


class WorkstreamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workstream
        fields = ["id", "code", "name", "description", "position", "is_active"]


class OrganizerSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Organizer
        fields = ["id", "part", "organization", "unit", "name"]

    def get_name(self, obj: Organizer) -> str:
        return str(obj.organization or obj.unit)


class AllianceSerializer(serializers.ModelSerializer):
    parent = ScopedRelatedField(  # type: ignore[assignment]  # shadows Field.parent in the stubs only
        Alliance, Action.CHANGE, allow_null=True, required=False
    )
    regions = ScopedRelatedField(Region, many=True)
    workstreams = WorkstreamSerializer(many=True, read_only=True)
    organizers = OrganizerSerializer(many=True, read_only=True)
    active_members = serializers.IntegerField(read_only=True)

    class Meta:
        model = Alliance
        fields = ["id", "name", "kind", "theme", "declaration", "founded_on", "status", "parent", "regions",
                  "workstreams", "organizers", "active_members"]

    def validate_regions(self, value: list[Region]) -> list[Region]:
        if not value:
            raise serializers.ValidationError(_("Choose at least one region the alliance spans."))
        return value


class MembershipSerializer(serializers.ModelSerializer):
    """Alliance-facing membership data: the organization's name, sector and region, nothing internal."""

    alliance = ScopedRelatedField(Alliance)
    organization = ChoosableRelatedField(Organization, lambda user, _context: membership_organization_choices(user))
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_sector = serializers.CharField(source="organization.sector", read_only=True)
    region_name = serializers.CharField(source="organization.region.name", read_only=True)
    mode = serializers.ChoiceField(choices=[("apply", _("Apply")), ("invite", _("Invite"))], write_only=True,
                                   help_text=_("apply: the organization asks to join; invite: the alliance asks it."))

    class Meta:
        model = Membership
        fields = ["id", "alliance", "organization", "organization_name", "organization_sector", "region_name",
                  "role", "status", "joined_on", "left_on", "chair_term_start", "chair_term_end", "reason", "mode"]
        read_only_fields = ["role", "status", "joined_on", "left_on", "chair_term_start", "chair_term_end", "reason"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class LeaveSerializer(ReasonSerializer):
    left_on = serializers.DateField(required=False, allow_null=True, default=None)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=MemberRole.choices)
    chair_term_start = serializers.DateField(required=False, allow_null=True, default=None)
    chair_term_end = serializers.DateField(required=False, allow_null=True, default=None)



class WorkstreamInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class WorkstreamChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The workstream to change."))
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    is_active = serializers.BooleanField(required=False)


class OrganizerInputSerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=OrganizerPart.choices)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False,
                                                      allow_null=True, default=None)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                              default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("organization")) == bool(attrs.get("unit")):
            raise serializers.ValidationError(_("Choose either a party organization or a unit as the organizer."))
        return attrs
