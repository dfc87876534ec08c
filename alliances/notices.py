"""Who is told at each step of a membership: an invitation goes to the invited organization, an application to
the alliance's managers (its administrators; an alliance without any, the staff of the regions it spans); each
decision, role change and departure to the other side."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from notifications import recipients
from notifications.kinds import declare
from notifications.services import Say, notify

from .choices import MembershipStatus
from .models import Alliance, Membership

GROUP = _("Alliances")
INVITED = declare("alliances.invited", _("My organization is invited to join an alliance"), GROUP)
APPLIED = declare("alliances.applied", _("An organization applies to join an alliance I manage"), GROUP)
DECIDED = declare("alliances.decided", _("An application or invitation is decided"), GROUP)
ROLE = declare("alliances.role", _("My organization's role in an alliance changes"), GROUP)
LEFT = declare("alliances.left", _("A membership ends"), GROUP)


def managers(alliance: Alliance) -> list[Any]:
    admins = recipients.alliance_admins([alliance.pk])
    return admins or [u for region in alliance.regions.all() for u in recipients.region_staff(region)]


def _tell(users: list[Any], membership: Membership, actor: Any, kind: Any, title: Any, body: Any = "",
          step: str = "") -> None:
    values = {"alliance": membership.alliance.name, "org": membership.organization.name,
              "reason": membership.reason or "—", "role": membership.get_role_display()}
    notify(users, kind=kind, title=Say(title, **values), body=Say(body, **values) if body else "",
           url=membership.alliance.get_absolute_url(),
           event=f"membership:{membership.pk}:{step or membership.status}:{membership.updated_at.timestamp():.0f}",
           actor=actor)


def opened(membership: Membership, actor: Any) -> None:
    if membership.status == MembershipStatus.INVITED:
        _tell(recipients.organization_contacts([membership.organization]), membership, actor, INVITED,
              _("Invitation to join %(alliance)s"),
              _("%(alliance)s invites %(org)s to join. Accept or decline the invitation on the alliance's page."))
    else:
        _tell(managers(membership.alliance), membership, actor, APPLIED, _("%(org)s applies to join %(alliance)s"),
              _("Approve or refuse the application of %(org)s on the alliance's page."))


def decided(membership: Membership, actor: Any) -> None:
    """An application approved or refused (the organization hears), an invitation accepted or declined (the
    managers hear)."""
    titles = {
        MembershipStatus.ACTIVE: _("%(org)s joined %(alliance)s"),
        MembershipStatus.REFUSED: _("Application to %(alliance)s refused"),
        MembershipStatus.DECLINED: _("%(org)s declined to join %(alliance)s"),
    }
    body = _("Reason: %(reason)s") if membership.status in (MembershipStatus.REFUSED, MembershipStatus.DECLINED) \
        else ""
    users = recipients.organization_contacts([membership.organization]) + managers(membership.alliance)
    _tell(users, membership, actor, DECIDED, titles[MembershipStatus(membership.status)], body)


def role_changed(membership: Membership, actor: Any) -> None:
    _tell(recipients.organization_contacts([membership.organization]), membership, actor, ROLE,
          _("%(org)s is now “%(role)s” of %(alliance)s"), step=f"role-{membership.role}")


def left(membership: Membership, actor: Any) -> None:
    users = recipients.organization_contacts([membership.organization]) + managers(membership.alliance)
    _tell(users, membership, actor, LEFT, _("%(org)s left %(alliance)s"), _("Reason: %(reason)s"))
