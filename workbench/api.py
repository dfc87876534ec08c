"""``GET /api/v1/todo/``: what waits for the caller, the workbench's items, paginated."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import StandardPagination

from .registry import collect


class TodoItemSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="The kind of to-do, e.g. demands.decide.")
    name = serializers.CharField(help_text="The kind, in the caller's language.")
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text="The page where it is done.")
    due = serializers.CharField(allow_null=True, help_text="ISO date or date-time, when it has one.")
    overdue = serializers.BooleanField()


class TodoPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TodoItemSerializer(many=True)


class TodoView(APIView):
    """What waits for the caller now, computed from the records (each kind lists at most 20 items; the
    workbench page links to the full lists)."""

    @extend_schema(responses=TodoPageSerializer)
    def get(self, request: Request) -> Response:
        from django.utils import timezone

        now = timezone.now()
        rows = [{"kind": g.key, "name": str(g.label), "title": i.title, "detail": i.detail, "url": i.url,
                 "due": i.due.isoformat() if i.due else None, "overdue": i.overdue(now)}
                for g in collect(request.user, now) for i in g.items]
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(TodoItemSerializer(page, many=True).data)
