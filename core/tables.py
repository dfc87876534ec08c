import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


class AuditEventTable(tables.Table):
    timestamp = tables.DateTimeColumn(format="Y-m-d H:i:s")
    changes = tables.TemplateColumn(
        template_name="core/_audit_changes.html", verbose_name=_("changes"), orderable=False
    )

    class Meta:
        model = AuditEvent
        fields = ("timestamp", "actor_name", "action", "object_type", "object_id", "object_repr", "changes")
        orderable = False
