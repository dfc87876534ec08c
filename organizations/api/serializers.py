from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.representation import FastReadMixin
from api.viewsets import ScopedRelatedField
from core.permissions import Action
from core.validators import normalize_id_number, normalize_phone, validate_id_number, validate_phone
from organizations.choices import PersonKind, Sector
from organizations.models import Organization, Person, Region, Unit
from organizations.validators import validate_member_id_number


class RegionSerializer(FastReadMixin, serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[assignment,var-annotated]  # shadows Field.parent in the stubs only

    class Meta:
        model = Region
        fields = ["id", "name", "name_en", "code", "level", "parent", "depth"]


class UnitSerializer(FastReadMixin, serializers.ModelSerializer):
    region = ScopedRelatedField(Region)

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "credit_code", "industry", "employee_count", "address", "region", "latitude",
                  "longitude"]


class OrganizationSerializer(FastReadMixin, serializers.ModelSerializer):
    parent = ScopedRelatedField(  # type: ignore[assignment]  # shadows Field.parent in the stubs only
        Organization, Action.CHANGE, allow_null=True, required=False, default=None
    )
    region = ScopedRelatedField(Region)
    unit = ScopedRelatedField(Unit, allow_null=True, required=False)
    region_name = serializers.CharField(source="region.name", read_only=True)
    is_two_new = serializers.BooleanField(read_only=True)
    contact_phone = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                          validators=[validate_phone])
    contact_phone_masked = serializers.CharField(read_only=True)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "short_name", "code", "type", "parent", "depth", "region", "region_name", "unit",
                  "sector", "is_two_new", "contact_name", "contact_phone", "contact_phone_masked", "founded_on",
                  "member_count"]
        read_only_fields = ["depth", "member_count"]
        # Uniqueness is checked by the service's full_clean (same message as the UI); DRF's generated
        # unique-together validator would also make ``parent`` required.
        validators: list[Any] = []

    def validate_contact_phone(self, value: str) -> str:
        return normalize_phone(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        sector = attrs.get("sector", getattr(instance, "sector", ""))
        unit = attrs.get("unit", getattr(instance, "unit", None))
        if not sector and unit is None:
            raise serializers.ValidationError({"sector": _("Choose a sector, or a unit to take it from.")})
        if not attrs.get("sector"):
            attrs.pop("sector", None)
        return attrs


class PersonSerializer(FastReadMixin, serializers.ModelSerializer):
    """ID and phone numbers are write-only; reads return them masked. Use the reveal action to read them."""

    organization = ScopedRelatedField(Organization, Action.CHANGE, allow_null=True, required=False)
    unit = ScopedRelatedField(Unit, allow_null=True, required=False)
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=18)
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, validators=[validate_phone])
    id_number_masked = serializers.CharField(read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True, default="")

    class Meta:
        model = Person
        fields = ["id", "kind", "name", "gender", "id_number", "id_number_masked", "phone", "phone_masked",
                  "organization", "organization_name", "unit", "member_status", "joined_party_on", "title"]
        read_only_fields = ["kind"]

    def validate_id_number(self, value: str) -> str:
        value = normalize_id_number(value)
        if value:
            validate_id_number(value)
        return value

    def validate_phone(self, value: str) -> str:
        return normalize_phone(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = self.context.get("person_kind", PersonKind.MEMBER)
        if self.instance is None:
            attrs["kind"] = kind
        org = attrs.get("organization", getattr(self.instance, "organization", None))
        try:
            validate_member_id_number(kind, attrs.get("id_number", getattr(self.instance, "id_number", "") or ""))
        except DjangoValidationError as exc:
            raise DjangoValidationError({"id_number": exc.error_list}) from exc
        if kind == PersonKind.MEMBER:
            if org is None:
                raise serializers.ValidationError({"organization": _("A party member belongs to an organization.")})
            if not attrs.get("member_status", getattr(self.instance, "member_status", "")):
                raise serializers.ValidationError({"member_status": _("Choose full or probationary membership.")})
        elif org is None and attrs.get("unit", getattr(self.instance, "unit", None)) is None:
            raise serializers.ValidationError({"unit": _("A contact belongs to an organization or a unit.")})
        return attrs


class SensitiveSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    phone = serializers.CharField()
