import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Demand


class DemandTable(tables.Table):
    title = tables.Column(linkify=True)
    created_at = tables.DateColumn(format="SHORT_DATE_FORMAT", verbose_name=_("Raised"))
    status = tables.TemplateColumn('<span class="badge text-bg-light border status-{{ record.status }}">'
                                   "{{ record.get_status_display }}</span>", verbose_name=_("Status"))
    deadline = tables.TemplateColumn('{% if record.deadline %}{{ record.deadline|date:"SHORT_DATETIME_FORMAT" }}'
                                     "{% endif %}", verbose_name=_("Deadline"), orderable=False)
    handler_organization = tables.Column(verbose_name=_("Handler"))

    class Meta:
        model = Demand
        fields = ("created_at", "title", "category", "urgency", "requester_name", "status", "deadline",
                  "handler_organization", "escalation_level")
