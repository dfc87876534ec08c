import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Activity, ActivitySeries, LedgerRule


class ActivityTable(tables.Table):
    starts_at = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT", verbose_name=_("Time"))
    theme = tables.Column(linkify=True)
    hosts = tables.TemplateColumn(
        "{% for link in record.host_links.all %}{% if link.is_lead %}<strong>{{ link.organization.name }}</strong>"
        "{% else %}{{ link.organization.name }}{% endif %}{% if not forloop.last %}<br>{% endif %}{% endfor %}",
        verbose_name=_("Hosts"), orderable=False)
    status = tables.TemplateColumn('<span class="badge text-bg-light border status-{{ record.status }}">'
                                   "{{ record.get_status_display }}</span>", verbose_name=_("Status"))
    attendee_count = tables.Column(verbose_name=_("Attendance"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Activity
        fields = ("starts_at", "kind", "theme", "hosts", "venue", "status", "attendee_count")


class ActivitySeriesTable(tables.Table):
    name = tables.Column(linkify=True)
    owner = tables.Column(verbose_name=_("Owner organization"))
    period = tables.TemplateColumn('{{ record.first_month|date:"Y-m" }} – {{ record.last_month|date:"Y-m" }}',
                                   verbose_name=_("Months"), order_by=("first_month",))

    class Meta:
        model = ActivitySeries
        fields = ("name", "owner", "kind", "period", "programme", "reminder_day", "is_active")


class LedgerRuleTable(tables.Table):
    name = tables.Column(linkify=True, accessor="display_name", order_by=("name",))
    kinds = tables.Column(accessor="kinds_display", verbose_name=_("Activity kinds"), orderable=False)

    class Meta:
        model = LedgerRule
        fields = ("organization_type", "name", "kinds", "period", "min_count", "is_active")
