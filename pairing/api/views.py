from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedModelViewSet
from core.permissions import Action, can
from pairing import selectors, services
from pairing.filters import PairFilterSet, PairingProgrammeFilterSet
from pairing.models import Pair

from .serializers import (
    EndPairSerializer,
    PairingProgrammeSerializer,
    PairReviewSerializer,
    PairSerializer,
    PartnerSuggestionsSerializer,
    RenewSerializer,
    ReviewInputSerializer,
)


class PairingProgrammeViewSet(ScopedModelViewSet):
    """Pairing programmes. Deleting one is refused while it holds pairs."""

    serializer_class = PairingProgrammeSerializer
    filterset_class = PairingProgrammeFilterSet
    ordering_fields = ["starts_on", "name"]
    create_service = services.programme_create
    update_service = services.programme_update
    delete_service = services.programme_delete
    service_object_kwarg = "programme"

    def get_queryset(self) -> Any:
        return selectors.programme_list(self.request.user)

    def perform_create(self, serializer: Any) -> None:
        programme = services.programme_create(actor=self.request.user, data=serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=programme.pk)

    def perform_update(self, serializer: Any) -> None:
        programme = services.programme_update(actor=self.request.user, programme=serializer.instance,
                                              data=serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=programme.pk)

    @extend_schema(responses=PartnerSuggestionsSerializer(many=True))
    @action(detail=True, methods=["get"])
    def suggestions(self, request: Request, pk: str | None = None) -> Response:
        """Unpaired enterprise and social organizations of the programme's area, each with suggested organs and
        the reasons for each suggestion (paginated by organization)."""
        programme = self.get_object()
        if not can(request.user, Action.CHANGE, programme):
            raise PermissionDenied
        page = self.paginate_queryset(selectors.unpaired_partners(programme, request.user))
        rows = selectors.pairing_suggestions(programme, request.user, page or [])
        return self.get_paginated_response(PartnerSuggestionsSerializer(rows, many=True).data)


class PairViewSet(ScopedModelViewSet):
    """Pairs and their agreements, visible to the programme's organizers and to both sides of the pair; changed
    only by the organizers. Status steps are actions."""

    serializer_class = PairSerializer
    filterset_class = PairFilterSet
    ordering_fields = ["starts_on", "ends_on", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]  # pairs end; they are not deleted

    def get_queryset(self) -> Any:
        return selectors.pair_list(self.request.user).prefetch_related("reviews__reviewed_by")

    def _fresh(self, pair: Pair) -> Pair:
        return self.get_queryset().get(pk=pair.pk)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        pair = services.pair_create(actor=self.request.user, programme=data.pop("programme"),
                                    organ=data.pop("organ"), partners=data.pop("partners"), data=data)
        serializer.instance = self._fresh(pair)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("programme", None)
        data.pop("organ", None)
        partners = data.pop("partners", None)
        pair = services.pair_update(actor=self.request.user, pair=serializer.instance, data=data, partners=partners)
        serializer.instance = self._fresh(pair)

    def _respond(self, pair: Pair) -> Response:
        return Response(PairSerializer(self._fresh(pair), context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=PairSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        """Both sides signed: proposed → in force."""
        return self._respond(services.pair_activate(actor=request.user, pair=self.get_object()))

    @extend_schema(request=None, responses=PairSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """In force or renewed → under review."""
        return self._respond(services.pair_start_review(actor=request.user, pair=self.get_object()))

    @extend_schema(request=RenewSerializer, responses=PairSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str | None = None) -> Response:
        """Under review → renewed, until a later end date (this year's review must be recorded)."""
        body = RenewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.pair_renew(actor=request.user, pair=self.get_object(), **body.validated_data))

    @extend_schema(request=EndPairSerializer, responses=PairSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        body = EndPairSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.pair_end(actor=request.user, pair=self.get_object(), **body.validated_data))

    @extend_schema(request=ReviewInputSerializer, responses=PairReviewSerializer)
    @action(detail=True, methods=["post"], url_path="reviews")
    def add_review(self, request: Request, pk: str | None = None) -> Response:
        """Record the yearly review (one per year)."""
        body = ReviewInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = services.review_record(actor=request.user, pair=self.get_object(), **body.validated_data)
        return Response(PairReviewSerializer(review).data, status=201)
