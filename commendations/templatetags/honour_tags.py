"""``{% honour_roll person_or_organization %}``: the honours on a person's or an organization's record, as the
viewer sees them (the honours' own visibility), for their pages."""

from __future__ import annotations

from typing import Any

from django import template

from commendations.models import Honour
from organizations.models import Organization, Person

register = template.Library()


@register.inclusion_tag("commendations/_honour_roll.html", takes_context=True)
def honour_roll(context: dict[str, Any], holder: Person | Organization) -> dict[str, Any]:
    request = context.get("request")
    holder_field = "person" if isinstance(holder, Person) else "organization"
    honours = Honour.objects.restrict(getattr(request, "user", None)).filter(**{holder_field: holder}).select_related(
        "decision")
    return {"honours": list(honours), "list_url": f"?{holder_field}={holder.pk}"}
