from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.viewsets import ScopedRelatedField
from core.permissions import Action
from organizations.models import Organization
from pairing.choices import ReviewRating
from pairing.models import Pair, PairingProgramme, PairReview


class PairingProgrammeSerializer(serializers.ModelSerializer):
    owner = ScopedRelatedField(Organization, Action.CHANGE)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    pair_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PairingProgramme
        fields = ["id", "name", "owner", "owner_name", "starts_on", "ends_on", "description",
                  "max_partners_per_organ", "pair_count"]


class PairReviewSerializer(serializers.ModelSerializer):
    reviewed_by: serializers.Field[Any, Any, Any, Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = PairReview
        fields = ["id", "year", "rating", "comments", "reviewed_by", "created_at"]
        read_only_fields = ["reviewed_by", "created_at"]
        # The one-review-per-year rule is the service's, with its own message.
        validators: list[Any] = []


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "sector"]


class PairSerializer(serializers.ModelSerializer):
    """A pair and its agreement. ``programme`` and ``organ`` are fixed once the pair exists; the status changes
    only through the actions (activate, review, renew, end)."""

    programme = ScopedRelatedField(PairingProgramme, Action.CHANGE)
    organ = ScopedRelatedField(Organization)
    organ_name = serializers.CharField(source="organ.name", read_only=True)
    partners = ScopedRelatedField(Organization, many=True)
    partner_details = PartnerSerializer(source="partners", many=True, read_only=True)
    reviews = PairReviewSerializer(many=True, read_only=True)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Pair
        fields = ["id", "programme", "organ", "organ_name", "partners", "partner_details", "status", "starts_on",
                  "ends_on", "signed_on", "goals", "teams_content", "activities_content", "appeals_content",
                  "target_activities_per_quarter", "end_reason", "reviews", "documents"]
        read_only_fields = ["status", "signed_on", "end_reason"]

    def get_documents(self, obj: Pair) -> dict[str, str]:
        return {kind: reverse("pairing:pair_document", args=[obj.pk, kind]) for kind in ("plaque", "agreement")}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            for name in ("programme", "organ"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: _("This cannot change once the pair exists.")})
        return attrs


class EndPairSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RenewSerializer(serializers.Serializer):
    ends_on = serializers.DateField()


class ReviewInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    rating = serializers.ChoiceField(choices=ReviewRating.choices)
    comments = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")


class SuggestionSerializer(serializers.Serializer):
    organ = serializers.IntegerField(source="organ.pk")
    organ_name = serializers.CharField(source="organ.name")
    score = serializers.FloatField()
    load = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class PartnerSuggestionsSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    organization_name = serializers.CharField(source="organization.name")
    suggestions = SuggestionSerializer(many=True)
