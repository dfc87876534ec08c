import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Campaign, Honour, Nomination, Objection


class CampaignTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = Campaign
        fields = ("title", "year", "issuer", "status", "nominate_from", "nominate_until", "decide_by")


class NominationTable(tables.Table):
    nominee = tables.Column(accessor="nominee_name", verbose_name=_("Nominee"), orderable=False,
                            linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = Nomination
        fields = ("nominee", "category", "campaign", "nominator", "status", "stage", "submitted_at")


class ObjectionTable(tables.Table):
    nomination = tables.Column(accessor="nomination__nominee_name", verbose_name=_("Objection to"),
                               linkify=lambda record: record.get_absolute_url(), orderable=False)
    objector_phone_masked = tables.Column(verbose_name=_("Phone"))

    class Meta:
        model = Objection
        fields = ("nomination", "objector_name", "objector_unit", "objector_phone_masked", "filed_at", "finding")


class HonourTable(tables.Table):
    holder = tables.Column(accessor="pk", verbose_name=_("Honoured"), orderable=False,
                           linkify=lambda record: record.get_absolute_url())
    decision = tables.Column(verbose_name=_("Decision"))

    class Meta:
        model = Honour
        fields = ("year", "category_name", "holder", "decision", "revoked_at")

    def render_holder(self, record: Honour) -> str:
        return str(record.person or record.organization)
