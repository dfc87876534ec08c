from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from alliances import selectors, services
from alliances.filters import AllianceFilterSet, MembershipFilterSet
from alliances.models import Membership
from api.viewsets import ScopedModelViewSet

from .serializers import (
    AllianceSerializer,
    LeaveSerializer,
    MembershipSerializer,
    OrganizerInputSerializer,
    ReasonSerializer,
    RoleSerializer,
    WorkstreamChangeSerializer,
    WorkstreamInputSerializer,
)


class AllianceViewSet(ScopedModelViewSet):
    """Party-building alliances. Creating one adds the four default workstreams."""

    serializer_class = AllianceSerializer
    filterset_class = AllianceFilterSet
    ordering_fields = ["name", "founded_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]  # alliances are dissolved, not deleted

    def get_queryset(self) -> Any:
        return selectors.alliance_list(self.request.user).prefetch_related("workstreams", "organizers__organization",
                                                                            "organizers__unit")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        regions = data.pop("regions")
        alliance = services.alliance_create(actor=self.request.user, data=data, regions=regions)
        serializer.instance = self.get_queryset().get(pk=alliance.pk)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        regions = data.pop("regions", None)
        services.alliance_update(actor=self.request.user, alliance=serializer.instance, data=data, regions=regions)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


    def _alliance_response(self, alliance_pk: int) -> Response:
        return Response(AllianceSerializer(self.get_queryset().get(pk=alliance_pk),
                                           context=self.get_serializer_context()).data)

    @extend_schema(request=WorkstreamInputSerializer, responses=AllianceSerializer)
    @action(detail=True, methods=["post"], url_path="workstreams")
    def add_workstream(self, request: Request, pk: str | None = None) -> Response:
        """Add a workstream (work area) to the alliance."""
        alliance = self.get_object()
        body = WorkstreamInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.workstream_add(actor=request.user, alliance=alliance, **body.validated_data)
        return self._alliance_response(alliance.pk)

    @extend_schema(request=WorkstreamChangeSerializer, responses=AllianceSerializer)
    @action(detail=True, methods=["post"], url_path="workstreams/change")
    def change_workstream(self, request: Request, pk: str | None = None) -> Response:
        """Rename, describe, reorder or switch a workstream on or off (workstreams are never deleted)."""
        alliance = self.get_object()
        body = WorkstreamChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        workstream = get_object_or_404(alliance.workstreams, pk=data.pop("id"))
        services.workstream_update(actor=request.user, workstream=workstream, data=data)
        return self._alliance_response(alliance.pk)

    @extend_schema(request=OrganizerInputSerializer, responses=AllianceSerializer)
    @action(detail=True, methods=["post"], url_path="organizers")
    def add_organizer(self, request: Request, pk: str | None = None) -> Response:
        """Add a host, organizer or executor: a party organization or a unit."""
        alliance = self.get_object()
        body = OrganizerInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.organizer_add(actor=request.user, alliance=alliance, **body.validated_data)
        return self._alliance_response(alliance.pk)

    @extend_schema(request=None, responses=AllianceSerializer)
    @action(detail=True, methods=["post"], url_path=r"organizers/(?P<organizer_id>\d+)/remove")
    def remove_organizer(self, request: Request, pk: str | None = None, organizer_id: str | None = None) -> Response:
        alliance = self.get_object()
        organizer = get_object_or_404(alliance.organizers, pk=organizer_id)
        services.organizer_remove(actor=request.user, organizer=organizer)
        return self._alliance_response(alliance.pk)


class MembershipViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Memberships of alliances (alliance-facing data). Steps are actions; the services check who may take them:
    the alliance's administrators approve, refuse and invite; the organization's side applies, accepts and
    declines; either side may end a membership."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["organization__path", "joined_on"]

    def get_queryset(self) -> Any:
        return selectors.membership_list(self.request.user).order_by("alliance__name", "organization__path")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        step = services.membership_apply if data["mode"] == "apply" else services.membership_invite
        serializer.instance = step(actor=self.request.user, alliance=data["alliance"],
                                   organization=data["organization"])

    def _respond(self, membership: Membership) -> Response:
        return Response(MembershipSerializer(membership, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.membership_approve(actor=request.user, membership=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.membership_refuse(actor=request.user, membership=self.get_object(),
                                                        reason=body.validated_data["reason"]))

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.membership_accept(actor=request.user, membership=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.membership_decline(actor=request.user, membership=self.get_object(),
                                                         reason=body.validated_data["reason"]))

    @extend_schema(request=LeaveSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: str | None = None) -> Response:
        body = LeaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.membership_leave(actor=request.user, membership=self.get_object(),
                                                       **body.validated_data))

    @extend_schema(request=RoleSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def role(self, request: Request, pk: str | None = None) -> Response:
        body = RoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.membership_set_role(actor=request.user, membership=self.get_object(),
                                                          **body.validated_data))
