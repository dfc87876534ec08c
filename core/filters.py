import django_filters as filters
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditEvent


class AuditEventFilterSet(filters.FilterSet):
    actor = filters.CharFilter(field_name="actor_name", lookup_expr="iexact", label=_("Actor"))
    action = filters.ChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    object_type = filters.CharFilter(label=_("Object type"))
    object_id = filters.CharFilter(label=_("Object ID"))
    since = filters.DateTimeFilter(field_name="timestamp", lookup_expr="gte", label=_("Since"))
    until = filters.DateTimeFilter(field_name="timestamp", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "object_type", "object_id", "since", "until"]
