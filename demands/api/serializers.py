from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Q
from rest_framework import serializers

from alliances.models import Alliance, Workstream
from api.viewsets import ChoosableRelatedField
from core.validators import normalize_phone, validate_phone
from demands import selectors
from demands.choices import MatchOutcome
from demands.models import Demand, DemandAttachment, DemandCategory, DemandEvent, Match, Resource
from organizations.models import Organization, Person, Region, Unit


def _visible(model: Any) -> Callable[[Any, Mapping[str, Any]], Any]:
    return lambda user, _context: model.objects.restrict(user)


def _everything(model: Any) -> Callable[[Any, Mapping[str, Any]], Any]:
    """Public facts (regions, alliances, categories): anyone raising a demand may name them."""
    return lambda _user, _context: model.objects.all()


class PhoneField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=20, allow_blank=True, required=False, write_only=True,
                         validators=[validate_phone], **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        return normalize_phone(value) if value else ""


class DemandCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = DemandCategory
        fields = ["id", "code", "name", "name_en", "description", "is_active"]


def _units(user: Any, _context: Mapping[str, Any]) -> Any:
    """Units the user sees, and the one they speak for (an enterprise contact holds no role)."""
    own = selectors.own_unit(user)
    return Unit.objects.filter(Q(pk__in=Unit.objects.restrict(user).values("pk")) | Q(pk=own.pk if own else None))


def _people(user: Any, _context: Mapping[str, Any]) -> Any:
    """People the user sees, and their own person record."""
    own = selectors.own_person(user)
    return Person.objects.filter(Q(pk__in=Person.objects.restrict(user).values("pk")) | Q(pk=own.pk if own else None))


# Filled in from the requester's account when a demand is raised without them (``selectors.requester_defaults``).
DEFAULTED = ("region", "requester_kind", "contact_name")


class DemandSerializer(serializers.ModelSerializer):
    """A demand. It is raised with POST; afterwards it changes only through the step actions, and the services
    decide who may take each step. The contact phone is write-only; reads give it masked. An enterprise contact
    linked to their unit, or a member, may leave out what the platform knows of them (requester, contact, region,
    the alliance when they belong to one): it is filled in as on the form."""

    category = ChoosableRelatedField(
        DemandCategory, lambda _u, _c: DemandCategory.objects.filter(is_active=True), lambda d: [d.category_id])
    region = ChoosableRelatedField(Region, _everything(Region), lambda d: [d.region_id], required=False)
    alliance = ChoosableRelatedField(Alliance, _everything(Alliance), lambda d: [d.alliance_id], required=False,
                                     allow_null=True)
    workstream = ChoosableRelatedField(Workstream, _everything(Workstream), lambda d: [d.workstream_id],
                                       required=False, allow_null=True)
    requester_unit = ChoosableRelatedField(Unit, _units, lambda d: [d.requester_unit_id], required=False,
                                           allow_null=True)
    requester_organization = ChoosableRelatedField(Organization, _visible(Organization),
                                                   lambda d: [d.requester_organization_id], required=False,
                                                   allow_null=True)
    requester_person = ChoosableRelatedField(Person, _people, lambda d: [d.requester_person_id],
                                             required=False, allow_null=True)
    resource = ChoosableRelatedField(Resource, lambda u, _c: Resource.objects.restrict(u).offered(),
                                     lambda d: [d.resource_id], required=False, allow_null=True,
                                     help_text="A resource requested from the catalogue.")
    contact_phone = PhoneField()
    contact_phone_masked = serializers.CharField(read_only=True)
    handler_organization = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]
    handler_person = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]
    deadline = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Demand
        fields = ["id", "title", "description", "category", "urgency", "region", "alliance", "workstream",
                  "requester_kind", "requester_name", "requester_unit", "requester_organization",
                  "requester_person", "contact_name", "contact_phone", "contact_phone_masked", "on_behalf", "resource",
                  "status", "handler_organization", "handler_person", "open_for_claim", "claimed",
                  "decline_reason", "resolution", "rating", "rating_comment", "accept_due", "resolve_due",
                  "deadline", "accepted_at", "resolved_at", "closed_at", "escalation_level", "created_at"]
        read_only_fields = ["status", "open_for_claim", "claimed", "decline_reason", "resolution", "rating",
                            "rating_comment", "accept_due", "resolve_due", "accepted_at", "resolved_at", "closed_at",
                            "escalation_level", "created_at"]
        extra_kwargs = {"requester_name": {"required": False}, **{f: {"required": False} for f in DEFAULTED}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        request = self.context.get("request")
        if self.instance is None and request is not None:
            defaults = selectors.requester_defaults(request.user)
            speaks_as = attrs.get("requester_kind", defaults.get("requester_kind"))
            for name, value in defaults.items():
                # the link and name of what they speak for only when they speak as it
                if name in ("requester_unit", "requester_person", "requester_name") and (
                        speaks_as != defaults["requester_kind"]):
                    continue
                attrs.setdefault(name, value)
        missing = {name: serializers.ErrorDetail(str(self.fields[name].error_messages["required"]), code="required")
                   for name in DEFAULTED if self.instance is None and not attrs.get(name)}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class DemandEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()  # type: ignore[var-annotated]
    organization = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = DemandEvent
        fields = ["id", "kind", "at", "actor", "from_status", "to_status", "organization", "deadline", "note"]


class AcceptSerializer(serializers.Serializer):
    open_for_claim = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


def _handlers(user: Any, context: Mapping[str, Any]) -> Any:
    return selectors.pickable_handlers(user, context["demand"])


class AssignSerializer(serializers.Serializer):
    organization = ChoosableRelatedField(Organization, _handlers)
    person = ChoosableRelatedField(Person, _visible(Person), required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class ClaimSerializer(serializers.Serializer):
    organization = ChoosableRelatedField(Organization, lambda u, c: selectors.claimable_for(u, c["demand"]))


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, allow_blank=True, default="")


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=5000)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=1000, allow_blank=True, default="")


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = DemandAttachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, obj: DemandAttachment) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="object.pk")
    title = serializers.CharField(source="object.title")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class HandlerRecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="object.pk")
    name = serializers.CharField(source="object.name")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class DemandRecommendationsSerializer(serializers.Serializer):
    resources = RecommendationSerializer(many=True)
    handlers = HandlerRecommendationSerializer(many=True)


class MatchAcceptSerializer(serializers.Serializer):
    resource = ChoosableRelatedField(Resource, _visible(Resource))
    outcome = serializers.ChoiceField(choices=MatchOutcome.choices)


class MatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Match
        fields = ["id", "demand", "resource", "organization", "outcome", "project", "reasons", "accepted_at"]


class ResourceSerializer(serializers.ModelSerializer):
    """A resource; withdraw it with the ``withdraw`` action (it is never deleted: what it served keeps its
    history)."""

    organization = ChoosableRelatedField(Organization, lambda u, _c: Organization.objects.restrict(u, "change"),
                                         lambda r: [r.organization_id])
    region = ChoosableRelatedField(Region, _everything(Region), lambda r: [r.region_id])
    alliance = ChoosableRelatedField(Alliance, _visible(Alliance), lambda r: [r.alliance_id], required=False,
                                     allow_null=True)
    provider_unit = ChoosableRelatedField(Unit, _visible(Unit), lambda r: [r.provider_unit_id], required=False,
                                          allow_null=True)
    contact_phone = PhoneField()
    contact_phone_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Resource
        fields = ["id", "title", "description", "kind", "organization", "provider_kind", "provider_name",
                  "provider_unit", "region", "alliance", "capacity", "capacity_note", "available_from",
                  "available_until", "terms", "contact_name", "contact_phone", "contact_phone_masked", "status",
                  "withdrawn_at", "withdraw_reason", "created_at"]
        read_only_fields = ["status", "withdrawn_at", "withdraw_reason", "created_at"]


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")


class ReportQuerySerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=["alliance", "region", "handler"], default="alliance")
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


