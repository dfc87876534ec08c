from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from alliances.models import Alliance
from api.viewsets import ChoosableRelatedField, ScopedRelatedField
from commendations.choices import CategoryKind, Finding, ObjectionAction, Opinion
from commendations.models import Campaign, Category, Honour, Nomination, Quota, Review, ReviewStage
from core.permissions import Action
from organizations.choices import OrganizationType
from organizations.models import Organization, Person


def _categories(user: Any, _context: Any) -> Any:
    return Category.objects.filter(campaign__in=Campaign.objects.restrict(user).values("pk"))


class QuotaSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Quota
        fields = ["id", "organization", "organization_name", "number"]


class CategorySerializer(serializers.ModelSerializer):
    quotas = QuotaSerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = ["id", "kind", "name", "quota_total", "quota_rate", "two_new_share", "deeds_max_length",
                  "full_member_required", "organization_types", "declaration_required", "quotas"]


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewStage
        fields = ["id", "order", "name", "organization", "integrity"]
        read_only_fields = ["order"]


class CampaignSerializer(serializers.ModelSerializer):
    """A commendation campaign. Its status changes only through the actions."""

    issuer = ScopedRelatedField(Organization, Action.CHANGE)
    alliance = ChoosableRelatedField(Alliance, lambda u, _c: Alliance.objects.restrict(u, Action.CHANGE),
                                     lambda c: [c.alliance_id], required=False, allow_null=True)
    categories = CategorySerializer(many=True, read_only=True)
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "title", "year", "issuer", "alliance", "basis", "nominate_from", "nominate_until",
                  "review_until", "decide_by", "notice_days", "status", "categories", "stages", "created_at"]
        read_only_fields = ["status", "created_at"]


class CategoryInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CategoryKind.choices)
    name = serializers.CharField(max_length=60)
    quota_total = serializers.IntegerField(min_value=1, max_value=10000)
    quota_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.01"), required=False,
                                          allow_null=True)
    two_new_share = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    deeds_max_length = serializers.IntegerField(min_value=100, max_value=10000, default=1500)
    full_member_required = serializers.BooleanField(default=False)
    # Plain strings, checked below: a second choice field over organization types would rename the schema's
    # existing enum for them.
    organization_types = serializers.ListField(child=serializers.CharField(max_length=20), default=list,
                                               help_text="Organization types allowed (empty: any): "
                                                         + ", ".join(OrganizationType.values))
    declaration_required = serializers.BooleanField(default=True)

    def validate_organization_types(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(OrganizationType.values))
        if unknown:
            raise serializers.ValidationError(_("Unknown organization types: %(types)s.")
                                              % {"types": ", ".join(unknown)})
        return value


class QuotaInputSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    organization = ScopedRelatedField(Organization)
    number = serializers.IntegerField(min_value=0, max_value=10000)


class StageInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    organization = ScopedRelatedField(Organization)
    integrity = serializers.BooleanField(default=False)


class NoticeInputSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    contact = serializers.CharField(max_length=200)


class DecisionInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    date = serializers.DateField()
    signer = ScopedRelatedField(Organization, required=False, allow_null=True)


class ReviewSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(source="stage.name", read_only=True)
    reviewer = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = Review
        fields = ["id", "stage", "reviewer", "opinion", "comment", "at"]


class NominationSerializer(serializers.ModelSerializer):
    """A nomination; created as a draft, then moved by the actions (submit, review, withdraw). Deeds, earlier
    honours and the declaration may be changed while it is a draft or returned."""

    campaign = ScopedRelatedField(Campaign)
    category = ChoosableRelatedField(Category, _categories)
    nominator = ScopedRelatedField(Organization, Action.CHANGE)
    person = ScopedRelatedField(Person, required=False, allow_null=True)
    organization = ScopedRelatedField(Organization, required=False, allow_null=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default=None)
    organization_name = serializers.CharField(source="organization.name", read_only=True, default=None)
    stage_name = serializers.CharField(source="stage.name", read_only=True, default=None)

    class Meta:
        model = Nomination
        fields = ["id", "campaign", "category", "nominator", "person", "person_name", "organization",
                  "organization_name", "deeds", "prior_honours", "declared", "status", "stage", "stage_name",
                  "return_reason", "blocked", "snapshot", "submitted_at", "created_at"]
        read_only_fields = ["status", "stage", "return_reason", "blocked", "snapshot", "submitted_at", "created_at"]

    def get_fields(self) -> Any:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("campaign", "category", "nominator", "person", "organization"):
                fields[name].read_only = True  # the nominee and who nominates are fixed once drafted
        return fields


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    comment = serializers.CharField(max_length=5000, allow_blank=True, default="")


class CommendationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class HandleSerializer(serializers.Serializer):
    finding = serializers.ChoiceField(choices=Finding.choices)
    action = serializers.ChoiceField(choices=ObjectionAction.choices, required=False, default="")
    reply = serializers.CharField(max_length=5000)


class HonourSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True, default=None)
    organization_name = serializers.CharField(source="organization.name", read_only=True, default=None)
    decision_number = serializers.CharField(source="decision.number", read_only=True, default=None)

    class Meta:
        model = Honour
        fields = ["id", "person", "person_name", "organization", "organization_name", "category_name", "year",
                  "decision", "decision_number", "revoked_at", "revoke_reason"]
        read_only_fields = fields
