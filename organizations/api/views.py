from __future__ import annotations

from typing import Any

from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from core.permissions import Action, can
from organizations import selectors, services
from organizations.choices import PersonKind
from organizations.filters import OrganizationFilterSet, PersonFilterSet, RegionFilterSet, UnitFilterSet

from .serializers import (
    OrganizationSerializer,
    PersonSerializer,
    RegionSerializer,
    SensitiveSerializer,
    UnitSerializer,
)


class RegionViewSet(ScopedReadOnlyViewSet):
    """Administrative divisions (read-only reference data)."""


    def get_queryset(self) -> Any:
        return selectors.region_list(self.request.user)

    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["path", "name", "code"]


class UnitViewSet(ScopedModelViewSet):

    def get_queryset(self) -> Any:
        return selectors.unit_list(self.request.user)

    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "id"]
    create_service = services.unit_create
    update_service = services.unit_update
    delete_service = services.unit_delete
    service_object_kwarg = "unit"


class OrganizationViewSet(ScopedModelViewSet):
    """Party organizations in tree order. ``?under=<id>`` lists a whole subtree."""


    def get_queryset(self) -> Any:
        return selectors.organization_list(self.request.user)

    def known_count(self, request: Request) -> int:
        return sum(selectors.scope_totals(request.user)[0].values())

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["path", "name", "member_count"]
    create_service = services.organization_create
    update_service = services.organization_update
    delete_service = services.organization_delete
    service_object_kwarg = "organization"


class PersonViewSet(ScopedModelViewSet):
    person_kind = PersonKind.MEMBER
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["name", "joined_party_on", "id"]
    create_service = services.person_create
    update_service = services.person_update
    delete_service = services.person_delete
    service_object_kwarg = "person"

    def get_queryset(self) -> Any:
        return selectors.person_list(self.request.user).filter(kind=self.person_kind)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "person_kind": self.person_kind}

    @extend_schema(request=None, responses=SensitiveSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        """The ID and phone numbers in clear, for holders of the reveal permission. Every call is audited."""
        person = self.get_object()
        if not can(request.user, Action.REVEAL, person):
            raise PermissionDenied
        response = Response(SensitiveSerializer(services.person_reveal(actor=request.user, person=person)).data)
        patch_cache_control(response, no_store=True, private=True)
        return response


class MemberViewSet(PersonViewSet):
    """Party members, organization by organization in tree order, then by name."""

    def get_queryset(self) -> Any:
        return selectors.member_list(self.request.user)

    def known_count(self, request: Request) -> int:
        return selectors.scope_totals(request.user)[1]


class ContactViewSet(PersonViewSet):
    """Other people: enterprise liaisons, cadres."""

    person_kind = PersonKind.CONTACT
