"""What waits on memberships: invitations for the user's organizations to answer, applications to the alliances
the user manages to decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.permissions import Action
from organizations.models import Organization
from workbench.registry import Found, Item, first, todo

from .choices import MembershipStatus
from .models import Alliance, Membership


@todo("alliances.invitations", _("Invitations to join an alliance"), order=20)
def invitations(user: Any, now: dt.datetime) -> Found:
    rows, total = first(Membership.objects.filter(
        status=MembershipStatus.INVITED,
        organization__in=Organization.objects.restrict(user, Action.CHANGE).values("pk"))
        .select_related("alliance", "organization").order_by("created_at", "id"))
    return [Item(m.alliance.name, m.alliance.get_absolute_url(), None, m.organization.name) for m in rows], total


@todo("alliances.applications", _("Applications to decide"), order=21)
def applications(user: Any, now: dt.datetime) -> Found:
    rows, total = first(Membership.objects.filter(
        status=MembershipStatus.APPLIED, alliance__in=Alliance.objects.restrict(user, Action.CHANGE).values("pk"))
        .select_related("alliance", "organization").order_by("created_at", "id"))
    return [Item(m.organization.name, m.alliance.get_absolute_url(), None, m.alliance.name) for m in rows], total
