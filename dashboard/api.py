"""The dashboard's figures for API clients and for the benchmark: ``GET /api/v1/dashboard/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import dashboard_counts


class SectorCountSerializer(serializers.Serializer):
    sector = serializers.CharField()
    count = serializers.IntegerField()


class DashboardSummarySerializer(serializers.Serializer):
    organizations = serializers.IntegerField()
    by_sector = SectorCountSerializer(many=True)
    two_new = serializers.IntegerField()
    members = serializers.IntegerField()
    units = serializers.IntegerField()


class DashboardSummaryView(APIView):
    """Counts of organizations (by sector, two-new), party members and units within the caller's scope."""

    @extend_schema(responses=DashboardSummarySerializer)
    def get(self, request: Request) -> Response:
        return Response(DashboardSummarySerializer(dashboard_counts(request.user)).data)
