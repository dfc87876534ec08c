"""The frequent actions each role starts from the workbench."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.permissions import Action, get_scope


@dataclass(frozen=True)
class Shortcut:
    label: StrOrPromise
    url: str
    icon: str


def shortcuts(user: Any) -> list[Shortcut]:
    from accounts.selectors import can_manage_accounts

    change = get_scope(user, Action.CHANGE)
    found = [Shortcut(_("Raise a demand"), reverse("demands:demand_add"), "megaphone"),
             Shortcut(_("My demands"), reverse("demands:demand_list") + "?mine=true", "inbox")]
    if change.reaches_tree or change.alliance_ids:
        found += [Shortcut(_("Record an activity"), reverse("activities:activity_add"), "calendar-plus"),
                  Shortcut(_("Invite an organization"), reverse("alliances:alliance_list"), "people")]
    if change.reaches_tree:
        found += [Shortcut(_("Offer a resource"), reverse("demands:resource_add"), "box-seam"),
                  Shortcut(_("Organization-life ledger"), reverse("activities:ledger"), "journal-check")]
    if can_manage_accounts(user):
        found.append(Shortcut(_("Accounts"), reverse("accounts:user_list"), "person-gear"))
    found += [Shortcut(_("Resource catalogue"), reverse("demands:resource_list"), "grid"),
              Shortcut(_("Activity calendar"), reverse("activities:calendar"), "calendar3")]
    return found
