from typing import Any

from rest_framework import serializers

from api.viewsets import ScopedReadOnlyViewSet

from .filters import AuditEventFilterSet
from .models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "timestamp", "actor", "actor_name", "action", "object_type", "object_id", "object_repr",
                  "changes"]


class AuditEventViewSet(ScopedReadOnlyViewSet):
    """The audit trail (auditors and platform administrators)."""


    def get_queryset(self) -> Any:
        return AuditEvent.objects.restrict(self.request.user)

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    ordering_fields = ["timestamp"]
