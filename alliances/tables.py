import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Alliance


class AllianceTable(tables.Table):
    name = tables.Column(linkify=True)
    regions = tables.TemplateColumn(
        "{% for link in record.region_links.all %}{{ link.region.name }}{% if not forloop.last %}、{% endif %}"
        "{% endfor %}", verbose_name=_("Regions"), orderable=False)
    active_members = tables.Column(verbose_name=pgettext_lazy("alliance", "Members"),
                                   attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Alliance
        fields = ("name", "kind", "status", "regions", "founded_on", "active_members")
