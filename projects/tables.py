import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Project


class ProjectTable(tables.Table):
    title = tables.Column(linkify=True)
    owners = tables.TemplateColumn("{% for link in record.owner_links.all %}{% if not forloop.first %}、{% endif %}"
                                   "{{ link.organization }}{% endfor %}", verbose_name=_("Owners"), orderable=False)
    progress = tables.TemplateColumn(
        '<div class="progress" role="progressbar" aria-valuenow="{{ record.progress }}" aria-valuemin="0" '
        'aria-valuemax="100" style="min-width: 5rem"><div class="progress-bar" style="width: {{ record.progress }}%">'
        "{{ record.progress }}%</div></div>", verbose_name=_("Progress"))

    class Meta:
        model = Project
        fields = ("title", "alliance", "workstream", "owners", "status", "progress", "due_on")
