import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Organization, Person, Region, Unit


class RegionTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("name"))

    class Meta:
        model = Region
        fields = ("name", "code", "level")
        orderable = False


class UnitTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column()

    class Meta:
        model = Unit
        fields = ("name", "kind", "industry", "region", "employee_count")


class OrganizationTable(tables.Table):
    name = tables.Column(linkify=True, order_by=("path",))
    region = tables.Column()
    member_count = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Organization
        fields = ("name", "type", "sector", "region", "member_count")

    def render_name(self, record: Organization, value: str) -> str:
        indent = max(record.depth - 1, 0)
        return format_html(
            '<span class="tree-indent" style="--depth:{}"></span><a href="{}">{}</a>{}',
            indent, record.get_absolute_url(), value,
            format_html(' <span class="badge text-bg-info">{}</span>', _("two new")) if record.is_two_new else "",
        )


class PersonTable(tables.Table):
    name = tables.Column(linkify=True)
    id_number = tables.Column(accessor="id_number_masked", verbose_name=_("ID number"), orderable=False)
    phone = tables.Column(accessor="phone_masked", verbose_name=_("phone"), orderable=False)
    organization = tables.Column()

    class Meta:
        model = Person
        fields = ("name", "kind", "organization", "member_status", "joined_party_on", "id_number", "phone")
