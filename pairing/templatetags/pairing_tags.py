"""The pairs panel on an organization's page (kept here so organizations does not import pairing)."""

from typing import Any

from django import template

from pairing import selectors

register = template.Library()


@register.inclusion_tag("pairing/_organization_pairs.html", takes_context=True)
def organization_pairs(context: dict[str, Any], organization: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"pairs": selectors.organization_pairs(user, organization), "organization": organization}
