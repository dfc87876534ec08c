from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from commendations import selectors, services
from commendations.filters import CampaignFilterSet, HonourFilterSet, NominationFilterSet
from commendations.models import Campaign, Nomination

from .serializers import (
    CampaignSerializer,
    CategoryInputSerializer,
    CategorySerializer,
    CommendationReasonSerializer,
    DecisionInputSerializer,
    HonourSerializer,
    NominationSerializer,
    NoticeInputSerializer,
    OpinionSerializer,
    QuotaInputSerializer,
    QuotaSerializer,
    ReviewSerializer,
    StageInputSerializer,
    StageSerializer,
)


def _body(request: Request, serializer_class: type[Any]) -> dict[str, Any]:
    body = serializer_class(data=request.data, context={"request": request})
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class CampaignViewSet(ScopedModelViewSet):
    """Commendation campaigns (评优表彰): set-up (categories, quotas, review stages) and the steps open, close,
    notice, decision and archive. No votes, points or rankings."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    ordering_fields = ["year", "created_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    create_service = services.campaign_create
    update_service = services.campaign_update
    service_object_kwarg = "campaign"

    def get_queryset(self) -> Any:
        return selectors.campaign_list(self.request.user).prefetch_related("categories__quotas__organization",
                                                                            "stages")

    def _respond(self, campaign: Campaign, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=campaign.pk)
        return Response(CampaignSerializer(fresh, context=self.get_serializer_context()).data, status=status)

    @extend_schema(request=CategoryInputSerializer, responses={201: CategorySerializer})
    @action(detail=True, methods=["post"])
    def categories(self, request: Request, pk: str | None = None) -> Response:
        category = services.category_add(actor=request.user, campaign=self.get_object(),
                                         data=_body(request, CategoryInputSerializer))
        return Response(CategorySerializer(category).data, status=201)

    @extend_schema(request=QuotaInputSerializer, responses=QuotaSerializer)
    @action(detail=True, methods=["post"])
    def quotas(self, request: Request, pk: str | None = None) -> Response:
        """Give (or change) a nominating organization's places in a category."""
        body = _body(request, QuotaInputSerializer)
        category = get_object_or_404(self.get_object().categories, pk=body.pop("category"))
        return Response(QuotaSerializer(services.quota_set(actor=request.user, category=category, **body)).data)

    @extend_schema(request=StageInputSerializer, responses={201: StageSerializer})
    @action(detail=True, methods=["post"])
    def stages(self, request: Request, pk: str | None = None) -> Response:
        stage = services.stage_add(actor=request.user, campaign=self.get_object(),
                                   **_body(request, StageInputSerializer))
        return Response(StageSerializer(stage).data, status=201)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open_nominations(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.campaign_open(actor=request.user, campaign=self.get_object()))

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the nominations (after their last day)."""
        return self._respond(services.campaign_close_nominations(actor=request.user, campaign=self.get_object()))

    @extend_schema(request=NoticeInputSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request: Request, pk: str | None = None) -> Response:
        """Put the nominations that passed review on public notice (公示), counted in working days."""
        campaign = self.get_object()
        services.notice_start(actor=request.user, campaign=campaign, **_body(request, NoticeInputSerializer))
        return self._respond(campaign)

    @extend_schema(request=DecisionInputSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str | None = None) -> Response:
        """Issue the decision (表彰决定) once the notice has ended and every objection is found on."""
        campaign = self.get_object()
        services.decision_issue(actor=request.user, campaign=campaign, **_body(request, DecisionInputSerializer))
        return self._respond(campaign)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.campaign_archive(actor=request.user, campaign=self.get_object()))


class NominationViewSet(ScopedModelViewSet):
    """Nominations: a draft by the nominating organization, then submit, review (by the stage's reviewers, who
    need not manage the nomination), withdraw."""

    serializer_class = NominationSerializer
    filterset_class = NominationFilterSet
    ordering_fields = ["created_at", "submitted_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    self_service_actions = ("review",)
    update_service = services.nomination_update
    service_object_kwarg = "nomination"

    def get_queryset(self) -> Any:
        return selectors.nomination_list(self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        relations = {name: data.pop(name, None) for name in ("campaign", "category", "nominator", "person",
                                                             "organization")}
        serializer.instance = services.nomination_create(actor=self.request.user, data=data, **relations)

    def _respond(self, nomination: Nomination) -> Response:
        fresh = self.get_queryset().get(pk=nomination.pk)
        return Response(NominationSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit within the window and the quota (or resubmit a returned one); the nominee's details are frozen."""
        return self._respond(services.nomination_submit(actor=request.user, nomination=self.get_object()))

    @extend_schema(request=OpinionSerializer, responses={201: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """The opinion of the nomination's current stage: pass, return (with a reason) or do not recommend."""
        review = services.nomination_review(actor=request.user, nomination=self.get_object(),
                                            **_body(request, OpinionSerializer))
        return Response(ReviewSerializer(review).data, status=201)

    @extend_schema(request=CommendationReasonSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(services.nomination_withdraw(actor=request.user, nomination=self.get_object(),
                                                          **_body(request, CommendationReasonSerializer)))

    @extend_schema(responses=ReviewSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reviews(self, request: Request, pk: str | None = None) -> Response:
        rows = self.get_object().reviews.select_related("stage", "reviewer")
        return Response(ReviewSerializer(rows, many=True).data)


class HonourViewSet(ScopedReadOnlyViewSet):
    """Honours on people's and organizations' records, as whoever sees them sees them; revoked with a reason."""

    serializer_class = HonourSerializer
    filterset_class = HonourFilterSet
    ordering_fields = ["year", "id"]

    def get_queryset(self) -> Any:
        return selectors.honour_list(self.request.user)

    @extend_schema(request=CommendationReasonSerializer, responses=HonourSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        honour = services.honour_revoke(actor=request.user, honour=self.get_object(),
                                        **_body(request, CommendationReasonSerializer))
        return Response(HonourSerializer(selectors.honour_list(request.user).get(pk=honour.pk)).data)


