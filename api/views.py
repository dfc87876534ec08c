from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    region = serializers.IntegerField(source="region_id", allow_null=True)
    organization = serializers.IntegerField(source="organization_id", allow_null=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    roles = RoleSerializer(many=True)


class MeView(APIView):
    """The authenticated user and the roles (with scopes) they hold."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response(MeSerializer({"id": user.pk, "username": user.username, "display_name": user.display_name,
                                      "roles": list(user.roles.all())}).data)
