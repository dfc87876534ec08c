from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from activities import ledger, selectors, series, services, signin
from activities.choices import RegistrationStatus
from activities.filters import ActivityFilterSet, ActivitySeriesFilterSet
from activities.models import Activity, ActivitySeries
from api.viewsets import ScopedModelViewSet
from core.permissions import Action, can, get_object_or_404_scoped
from organizations.models import Organization
from pairing.models import Pair

from .serializers import (
    ActivitySerializer,
    ActivitySeriesSerializer,
    AttendanceSerializer,
    CancelSerializer,
    FollowUpSerializer,
    LedgerSerializer,
    MarkAttendanceResultSerializer,
    MarkAttendanceSerializer,
    MatrixRowSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    RecordSerializer,
    RegisterSerializer,
    RegistrationSerializer,
    SignInLinkSerializer,
    UnregisterSerializer,
)

RELATIONS = ("lead", "co_hosts", "pairs", "invited_organizations")


class ActivityViewSet(ScopedModelViewSet):
    """Activities: one record per activity however many organizations host it. Status steps are actions."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering_fields = ["starts_at", "id"]
    delete_service = services.activity_delete
    service_object_kwarg = "activity"
    self_service_actions = ("register", "unregister")  # a member registers themselves; the service checks

    def get_queryset(self) -> Any:
        # The pairs and invited organizations are shown as ids: only those are loaded.
        return selectors.activity_list(self.request.user).prefetch_related(
            Prefetch("pairs", Pair.objects.only("pk")),
            Prefetch("invited_organizations", Organization.objects.only("pk")))

    def _fresh(self, activity: Activity) -> Activity:
        return self.get_queryset().get(pk=activity.pk)

    def _split(self, validated: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dict(validated)
        relations = {name: data.pop(name) for name in RELATIONS if name in data}
        return data, relations

    def perform_create(self, serializer: Any) -> None:
        data, relations = self._split(serializer.validated_data)
        serializer.instance = self._fresh(services.activity_create(actor=self.request.user, data=data, **relations))

    def perform_update(self, serializer: Any) -> None:
        data, relations = self._split(serializer.validated_data)
        activity = services.activity_update(actor=self.request.user, activity=serializer.instance, data=data,
                                            **relations)
        serializer.instance = self._fresh(activity)

    def _respond(self, activity: Activity) -> Response:
        return Response(ActivitySerializer(self._fresh(activity), context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open_registration(self, request: Request, pk: str | None = None) -> Response:
        """Planned → open for registration (before it starts)."""
        return self._respond(services.activity_open(actor=request.user, activity=self.get_object()))

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str | None = None) -> Response:
        """Planned or open → held (after it started)."""
        return self._respond(services.activity_hold(actor=request.user, activity=self.get_object()))

    @extend_schema(request=RecordSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        """Write (or correct) the record: minutes and outcomes."""
        body = RecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.activity_record(actor=request.user, activity=self.get_object(),
                                                      **body.validated_data))

    @extend_schema(request=CancelSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.activity_cancel(actor=request.user, activity=self.get_object(),
                                                      **body.validated_data))

    @extend_schema(responses=AttendanceSerializer(many=True))
    @action(detail=True, methods=["get"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        activity = self.get_object()
        rows = selectors.attendance_list(request.user).filter(activity=activity)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AttendanceSerializer(page, many=True).data)

    @extend_schema(request=MarkAttendanceSerializer, responses=MarkAttendanceResultSerializer)
    @attendance.mapping.post
    def mark_attendance(self, request: Request, pk: str | None = None) -> Response:
        """Mark people present by hand (hosts only, after the start)."""
        activity = self.get_object()
        body = MarkAttendanceSerializer(data=request.data, context=self._context(activity))
        body.is_valid(raise_exception=True)
        added, already = services.attendance_mark(actor=request.user, activity=activity,
                                                  people=body.validated_data["people"])
        return Response({"added": AttendanceSerializer(added, many=True).data, "already": [p.pk for p in already]},
                        status=201)

    def _context(self, activity: Activity) -> dict[str, Any]:
        return {**self.get_serializer_context(), "activity": activity}

    @extend_schema(responses=RegistrationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def registrations(self, request: Request, pk: str | None = None) -> Response:
        """Current registrations: all of them for the hosts, your own for anyone else."""
        activity = self.get_object()
        rows = activity.registrations.filter(status=RegistrationStatus.REGISTERED).select_related(
            "person", "organization").order_by("created_at", "id")
        if not can(request.user, Action.CHANGE, activity):
            person = getattr(request.user, "person", None)
            rows = rows.filter(person=person) if person is not None else rows.none()
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RegistrationSerializer(page, many=True).data)

    @extend_schema(request=RegisterSerializer, responses={201: RegistrationSerializer})
    @registrations.mapping.post
    def register(self, request: Request, pk: str | None = None) -> Response:
        """Register yourself (no body), or — for the hosts — someone they may mark present. Checks the capacity."""
        activity = self.get_object()
        body = RegisterSerializer(data=request.data, context=self._context(activity))
        body.is_valid(raise_exception=True)
        row = services.register(actor=request.user, activity=activity, person=body.validated_data.get("person"))
        return Response(RegistrationSerializer(row).data, status=201)

    @extend_schema(request=UnregisterSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def unregister(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a registration (your own, or — for the hosts — anyone's) before the activity starts."""
        activity = self.get_object()
        body = UnregisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = activity.registrations.all()
        if not can(request.user, Action.CHANGE, activity):
            person = getattr(request.user, "person", None)
            rows = rows.filter(person=person) if person is not None else rows.none()
        row = get_object_or_404(rows, pk=body.validated_data["registration"])
        return Response(RegistrationSerializer(services.unregister(actor=request.user, registration=row)).data)

    @extend_schema(responses=PhotoSerializer(many=True))
    @action(detail=True, methods=["get"])
    def photos(self, request: Request, pk: str | None = None) -> Response:
        """The activity's photos; each ``url`` serves the image to whoever may see the activity."""
        return Response(PhotoSerializer(self.get_object().photos.all(), many=True).data)

    @extend_schema(request={"multipart/form-data": PhotoUploadSerializer}, responses={201: PhotoSerializer})
    @photos.mapping.post
    def add_photo(self, request: Request, pk: str | None = None) -> Response:
        """Upload a photo (multipart ``photo``, optional ``caption``): checked by content, re-encoded, size-limited."""
        activity = self.get_object()
        body = PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["photo"]
        try:
            photo = services.photo_add(actor=request.user, activity=activity, upload=upload,
                                       size=upload.size or 0, caption=body.validated_data["caption"])
        except DjangoValidationError as exc:  # about the file: answer under its field
            raise ValidationError({"photo": exc.messages}) from exc
        return Response(PhotoSerializer(photo).data, status=201)

    @extend_schema(responses=SignInLinkSerializer)
    @action(detail=True, methods=["get"], url_path="signin-link")
    def signin_link(self, request: Request, pk: str | None = None) -> Response:
        """The QR sign-in link (hosts only)."""
        activity = self.get_object()
        if not can(request.user, Action.CHANGE, activity):
            raise PermissionDenied
        opens, closes = signin.signin_window(activity)
        return Response({"url": signin.absolute_url(request, activity), "opens": opens, "closes": closes})

    @extend_schema(request=FollowUpSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["get", "post"], url_path="follow-ups")
    def follow_ups(self, request: Request, pk: str | None = None) -> Response:
        activity = self.get_object()
        if request.method == "GET":
            return Response(FollowUpSerializer(activity.follow_ups.all(), many=True).data)
        body = FollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.followup_add(actor=request.user, activity=activity, **body.validated_data)
        return Response(FollowUpSerializer(item).data, status=201)


class ActivitySeriesViewSet(ScopedModelViewSet):
    """Monthly theme series and their completion matrix."""

    serializer_class = ActivitySeriesSerializer
    filterset_class = ActivitySeriesFilterSet
    ordering_fields = ["first_month", "name"]
    create_service = services.series_create
    update_service = services.series_update
    service_object_kwarg = "series"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return ActivitySeries.objects.restrict(self.request.user).prefetch_related("participants")

    @extend_schema(responses=MatrixRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matrix(self, request: Request, pk: str | None = None) -> Response:
        """Rows (organizations or pairs) × months: done, planned, missing, open or future."""
        rows = series.completion_matrix(self.get_object(), request.user)
        return Response(MatrixRowSerializer(rows, many=True).data)


class LedgerView(APIView):
    """The organization-life ledger of one organization for a year."""

    @extend_schema(parameters=[OpenApiParameter("organization", int, required=True),
                               OpenApiParameter("year", int)], responses=LedgerSerializer)
    def get(self, request: Request) -> Response:
        org_id = request.query_params.get("organization", "")
        if not org_id.isdigit():
            return Response({"organization": [_("Give the id of an organization.")]}, status=400)
        organization = get_object_or_404_scoped(Organization, request.user, pk=int(org_id))
        lg = ledger.build_ledgers([organization], ledger.parse_year(request.query_params.get("year")))[0]
        return Response(LedgerSerializer(lg).data)

