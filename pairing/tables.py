import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Pair, PairingProgramme


class PairingProgrammeTable(tables.Table):
    name = tables.Column(linkify=True)
    owner = tables.Column(verbose_name=_("Owner organization"))
    pair_count = tables.Column(verbose_name=_("Pairs"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = PairingProgramme
        fields = ("name", "owner", "starts_on", "ends_on", "pair_count")


class PairTable(tables.Table):
    organ = tables.Column(verbose_name=_("Organ organization"), linkify=lambda record: record.get_absolute_url())
    partners = tables.TemplateColumn(
        "{% for o in record.partners.all %}{{ o.name }}{% if not forloop.last %}<br>{% endif %}{% endfor %}",
        verbose_name=_("Partner organizations"), orderable=False)
    programme = tables.Column(verbose_name=_("Programme"), linkify=True)
    period = tables.TemplateColumn("{{ record.starts_on }} – {{ record.ends_on }}", verbose_name=_("Period"),
                                   order_by=("starts_on",))

    class Meta:
        model = Pair
        fields = ("organ", "partners", "programme", "status", "period", "target_activities_per_quarter")
