"""``GET /api/v1/notifications/`` (the caller's own, newest first; ``?unread=true``) and
``POST /api/v1/notifications/read/`` (``{"ids": [...]}``, or no ids for all)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from . import services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=500)


class MarkedSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField()


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Notification]):
    """The caller's own notifications; anyone else's answer 404."""

    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        rows = Notification.objects.owned_by(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            rows = rows.filter(read_at=None)
        return rows

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Only the unread ones.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data.get("ids")
        return Response({"marked": services.mark_read(request.user, ids)})
