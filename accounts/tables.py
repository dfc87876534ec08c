import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User


def role_label(assignment: RoleAssignment) -> str:
    scope = assignment.organization or assignment.region or assignment.alliance
    return f"{assignment.get_role_display()} · {scope}" if scope else str(assignment.get_role_display())


class UserTable(tables.Table):
    """Two columns, whose cells wrap: readable at 390 px without scrolling sideways."""

    username = tables.Column(verbose_name=_("account"), order_by=("username",))
    is_active = tables.Column(verbose_name=_("status"), attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = User
        fields = ("username", "is_active")
        orderable = False

    def render_username(self, record: User) -> str:
        person = getattr(record, "person", None)
        roles = format_html_join("", '<span class="badge text-bg-light border me-1 text-wrap">{}</span>',
                                 ((role_label(a),) for a in record.roles.all()))
        return format_html(
            '<a href="{}" class="fw-semibold">{}</a>{}<div class="small text-muted">{}</div><div>{}</div>',
            record.get_absolute_url(), record.username,
            format_html(" · {}", record.display_name) if record.display_name else "",
            f"{person} · {person.organization}" if person is not None and person.organization else (person or ""),
            roles or format_html('<span class="small text-muted">{}</span>', _("no role")),
        )

    def render_is_active(self, value: bool) -> str:
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("active"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("deactivated"))
