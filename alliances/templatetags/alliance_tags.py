"""The alliances panel on an organization's page (kept here so organizations does not import alliances)."""

from typing import Any

from django import template

from alliances import selectors
from core.permissions import Action, can

register = template.Library()


@register.inclusion_tag("alliances/_organization_alliances.html", takes_context=True)
def organization_alliances(context: dict[str, Any], organization: Any) -> dict[str, Any]:
    user = context["request"].user
    can_act = can(user, Action.CHANGE, organization)
    return {
        "organization": organization,
        "memberships": selectors.organization_alliances(user, organization).select_related("alliance"),
        "joinable": selectors.joinable_alliances(organization) if can_act else [],
        "can_act": can_act,
        "csrf_token": context.get("csrf_token"),
    }
