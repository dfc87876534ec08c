import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Demand, Resource


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


class ResourceTable(tables.Table):
    title = tables.Column(linkify=True)
    organization = tables.Column(verbose_name=_("Offered by"))
    available = tables.TemplateColumn(
        '{% if record.available_from or record.available_until %}{{ record.available_from|date:"SHORT_DATE_FORMAT" }}'
        ' – {{ record.available_until|date:"SHORT_DATE_FORMAT" }}{% endif %}', verbose_name=_("Available"),
        orderable=False)
    status = tables.TemplateColumn('<span class="badge text-bg-light border">{{ record.get_status_display }}</span>',
                                   verbose_name=_("Status"))
    # "Request this resource" from the catalogue (the demand form, pre-filled); the service checks it is offered.
    ask = tables.TemplateColumn(
        '{% if record.status == "active" %}<a class="btn btn-sm btn-outline-primary text-nowrap" '
        'href="{% url \'demands:demand_add\' %}?resource={{ record.pk }}" data-testid="request-resource">'
        "{{ label }}</a>{% endif %}", extra_context={"label": _("Request")}, verbose_name="", orderable=False,
        exclude_from_export=True)

    class Meta:
        model = Resource
        fields = ("title", "kind", "organization", "region", "capacity_note", "available", "status", "ask")
