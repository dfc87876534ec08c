from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedModelViewSet
from projects import selectors, services
from projects.filters import ProjectFilterSet
from projects.models import Project

from .serializers import (
    CommentSerializer,
    MilestoneSerializer,
    ProgressSerializer,
    ProjectEventSerializer,
    ProjectSerializer,
    ReachSerializer,
    ResultSerializer,
    StatusSerializer,
    TimelineItemSerializer,
)

LINKS = ("demands", "resources", "activities")


class ProjectViewSet(ScopedModelViewSet):
    """Cooperation projects: owners, milestones, progress reports, status, the result and one timeline."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["created_at", "due_on", "progress", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    self_service_actions = ("comment",)

    def get_queryset(self) -> Any:
        return selectors.project_list(self.request.user).prefetch_related("milestones", "demands", "resources",
                                                                           "activities")

    def _split(self, validated: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dict(validated)
        extra = {name: data.pop(name) for name in (*LINKS, "owners", "lead") if name in data}
        return data, extra

    def perform_create(self, serializer: Any) -> None:
        data, extra = self._split(serializer.validated_data)
        milestones = data.pop("milestones", [])
        project = services.project_create(actor=self.request.user, data=data, milestones=milestones, **extra)
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer: Any) -> None:
        data, extra = self._split(serializer.validated_data)
        data.pop("milestones", None)
        project = services.project_update(actor=self.request.user, project=serializer.instance, data=data, **extra)
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def _respond(self, project: Project, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(ProjectSerializer(fresh, context=self.get_serializer_context()).data, status=status)

    def _body(self, serializer_class: type[Any]) -> dict[str, Any]:
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(request=ProgressSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Report progress (定期调度); with milestones the percentage follows them."""
        return self._respond(services.project_report_progress(actor=request.user, project=self.get_object(),
                                                              **self._body(ProgressSerializer)))

    @extend_schema(request=MilestoneSerializer, responses={201: MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: str | None = None) -> Response:
        body = self._body(MilestoneSerializer)
        milestone = services.milestone_add(actor=request.user, project=self.get_object(), title=body["title"],
                                           due_on=body.get("due_on"))
        return Response(MilestoneSerializer(milestone).data, status=201)

    @extend_schema(request=ReachSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"], url_path=r"milestones/(?P<milestone_pk>\d+)/reach")
    def reach(self, request: Request, pk: str | None = None, milestone_pk: str | None = None) -> Response:
        milestone = get_object_or_404(self.get_object().milestones, pk=milestone_pk)
        milestone = services.milestone_complete(actor=request.user, milestone=milestone,
                                                **self._body(ReachSerializer))
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(request=StatusSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        """Start (from proposed), suspend, resume or cancel (with a reason)."""
        return self._respond(services.project_set_status(actor=request.user, project=self.get_object(),
                                                         **self._body(StatusSerializer)))

    @extend_schema(request=ResultSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Record the result and complete the project."""
        return self._respond(services.project_complete(actor=request.user, project=self.get_object(),
                                                       **self._body(ResultSerializer)))

    @extend_schema(request=CommentSerializer, responses={201: ProjectEventSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str | None = None) -> Response:
        event = services.project_comment(actor=request.user, project=self.get_object(),
                                         **self._body(CommentSerializer))
        return Response(ProjectEventSerializer(event).data, status=201)

    @extend_schema(responses=TimelineItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        """Meeting → decision → project → milestones → result, from the records that hold each fact."""
        project = selectors.project_detail_queryset(request.user).get(pk=self.get_object().pk)
        return Response(TimelineItemSerializer(selectors.project_timeline(project, request.user), many=True).data)
