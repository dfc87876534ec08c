from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from demands import attachments, matches, recommend, report, resources, selectors, services
from demands.filters import DemandFilterSet, ResourceFilterSet
from demands.models import Demand, DemandCategory, Resource

from .serializers import (
    AcceptSerializer,
    AssignSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ClaimSerializer,
    DeclineSerializer,
    DemandCategorySerializer,
    DemandEventSerializer,
    DemandRecommendationsSerializer,
    DemandSerializer,
    MatchAcceptSerializer,
    MatchSerializer,
    NoteSerializer,
    RateSerializer,
    RecommendationSerializer,
    ReportQuerySerializer,
    ResolveSerializer,
    ResourceSerializer,
    WithdrawSerializer,
)

STEPS = ("accept", "decline", "assign", "claim", "start", "resolve", "rate", "withdraw", "comment", "events",
         "attachments", "add_attachment", "recommendations", "match")


class DemandCategoryViewSet(ScopedReadOnlyViewSet):
    """The demand taxonomy (public to every signed-in user)."""

    serializer_class = DemandCategorySerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return DemandCategory.objects.all()


class DemandViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Demands (诉求). Anyone signed in may raise one (POST). Each step is an action; the services decide who may
    take it (managers accept, decline and assign; the handler starts and resolves; only the requester rates)."""

    serializer_class = DemandSerializer
    filterset_class = DemandFilterSet
    ordering_fields = ["created_at", "accept_due", "resolve_due", "id"]
    self_service_actions = ("create", *STEPS)

    def get_queryset(self) -> Any:
        return selectors.demand_list(self.request.user)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.demand_submit(actor=self.request.user, data=serializer.validated_data)

    def _respond(self, demand: Demand, status: int = 200) -> Response:
        fresh = self.get_queryset().filter(pk=demand.pk).first() or demand
        return Response(DemandSerializer(fresh, context=self.get_serializer_context()).data, status=status)

    def _body(self, serializer_class: type[Any], demand: Demand | None = None) -> dict[str, Any]:
        body = serializer_class(data=self.request.data, context={**self.get_serializer_context(), "demand": demand})
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(request=AcceptSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        demand = self.get_object()
        return self._respond(services.demand_accept(actor=request.user, demand=demand, **self._body(AcceptSerializer)))

    @extend_schema(request=DeclineSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        demand = self.get_object()
        return self._respond(services.demand_decline(actor=request.user, demand=demand,
                                                     **self._body(DeclineSerializer)))

    @extend_schema(request=AssignSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        demand = self.get_object()
        return self._respond(services.demand_assign(actor=request.user, demand=demand,
                                                    **self._body(AssignSerializer, demand)))

    @extend_schema(request=ClaimSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        demand = self.get_object()
        return self._respond(services.demand_claim(actor=request.user, demand=demand,
                                                   **self._body(ClaimSerializer, demand)))

    @extend_schema(request=NoteSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        demand = self.get_object()
        return self._respond(services.demand_start(actor=request.user, demand=demand, **self._body(NoteSerializer)))

    @extend_schema(request=ResolveSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        demand = self.get_object()
        return self._respond(services.demand_resolve(actor=request.user, demand=demand,
                                                     **self._body(ResolveSerializer)))

    @extend_schema(request=RateSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        demand = self.get_object()
        return self._respond(services.demand_rate(actor=request.user, demand=demand, **self._body(RateSerializer)))

    @extend_schema(request=WithdrawSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """The requester withdraws the case while it waits to be accepted."""
        demand = self.get_object()
        return self._respond(services.demand_withdraw(actor=request.user, demand=demand,
                                                      **self._body(WithdrawSerializer)))

    @extend_schema(responses=DemandEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        """The timeline."""
        demand = self.get_object()
        rows = demand.events.select_related("actor", "organization")
        return Response(DemandEventSerializer(rows, many=True).data)

    @extend_schema(request=NoteSerializer, responses={201: DemandEventSerializer})
    @events.mapping.post
    def comment(self, request: Request, pk: str | None = None) -> Response:
        """Add a comment to the timeline (anyone who sees the case)."""
        demand = self.get_object()
        event = services.demand_comment(actor=request.user, demand=demand, **self._body(NoteSerializer))
        return Response(DemandEventSerializer(event).data, status=201)

    @extend_schema(responses=AttachmentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        rows = self.get_object().attachments.all()
        return Response(AttachmentSerializer(rows, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request={"multipart/form-data": AttachmentUploadSerializer}, responses={201: AttachmentSerializer})
    @attachments.mapping.post
    def add_attachment(self, request: Request, pk: str | None = None) -> Response:
        """Add a file (multipart ``file``): a PDF, a .docx/.xlsx without macros, or a photo; checked by content."""
        demand = self.get_object()
        upload = self._body(AttachmentUploadSerializer)["file"]
        try:
            row = attachments.attachment_add(actor=request.user, demand=demand, upload=upload,
                                             name=upload.name or "", size=upload.size or 0)
        except DjangoValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        return Response(AttachmentSerializer(row, context=self.get_serializer_context()).data, status=201)

    @extend_schema(responses=DemandRecommendationsSerializer)
    @action(detail=True, methods=["get"])
    def recommendations(self, request: Request, pk: str | None = None) -> Response:
        """Resources that could serve the demand and organizations that could handle it, each with its reasons
        (managers of the case only)."""
        demand = self.get_object()
        if not services.may_manage(request.user, demand):
            raise PermissionDenied
        found = recommend.recommend_resources(request.user, demand)
        handlers = recommend.recommend_handlers(request.user, demand, found)
        return Response(DemandRecommendationsSerializer({"resources": found, "handlers": handlers}).data)

    @extend_schema(request=MatchAcceptSerializer, responses={201: MatchSerializer})
    @action(detail=True, methods=["post"])
    def match(self, request: Request, pk: str | None = None) -> Response:
        """Accept a recommended resource: assign the demand to its organization, or start a cooperation project."""
        demand = self.get_object()
        body = self._body(MatchAcceptSerializer, demand)
        row = matches.match_accept(actor=request.user, demand=demand, resource=body["resource"],
                                   outcome=body["outcome"])
        return Response(MatchSerializer(row).data, status=201)


class ResourceViewSet(ScopedModelViewSet):
    """Resources (资源). Never deleted: withdraw them."""

    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet
    ordering_fields = ["created_at", "title", "id"]
    create_service = resources.resource_create
    update_service = resources.resource_update
    service_object_kwarg = "resource"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.resource_list(self.request.user)

    def _respond(self, resource: Resource) -> Response:
        return Response(ResourceSerializer(resource, context=self.get_serializer_context()).data)

    @extend_schema(request=WithdrawSerializer, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(resources.resource_withdraw(actor=request.user, resource=self.get_object(),
                                                         **body.validated_data))

    @extend_schema(request=None, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(resources.resource_restore(actor=request.user, resource=self.get_object()))

    @extend_schema(responses=RecommendationSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="could-serve")
    def could_serve(self, request: Request, pk: str | None = None) -> Response:
        """Open demands (that you may see) the resource could serve, with the reasons."""
        found = recommend.recommend_demands(request.user, self.get_object())
        return Response(RecommendationSerializer(found, many=True).data)


class DemandReportView(APIView):
    """The scheduling report: per alliance, region or handler; each figure's definition is in ``definitions``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ReportQuerySerializer], responses=None)
    def get(self, request: Request) -> Response:
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = report.default_period(dict(query.validated_data))
        rows, totals = report.scheduling_report(selectors.demand_list(request.user), params["group"],
                                                params["start"], params["end"])
        return Response({
            "group": params["group"], "start": params["start"], "end": params["end"],
            "definitions": {k: str(v) for k, v in report.DEFINITIONS.items()},
            "rows": [{"id": r.key, "name": r.name, **r.figures} for r in rows], "totals": totals})


