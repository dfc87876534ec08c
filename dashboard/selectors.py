"""Read-only figures for the dashboard; every count goes through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from organizations.choices import TWO_NEW_SECTORS, Sector
from organizations.models import Organization, Person, Unit


def dashboard_counts(user: Any) -> dict[str, Any]:
    orgs = Organization.objects.restrict(user)
    by_sector = dict(orgs.order_by().values_list("sector").annotate(n=Count("id")).values_list("sector", "n"))
    labels = dict(Sector.choices)
    return {
        "organizations": sum(by_sector.values()),
        "by_sector": [{"sector": str(labels[s]), "count": n} for s, n in sorted(by_sector.items())],
        "two_new": sum(n for s, n in by_sector.items() if s in TWO_NEW_SECTORS),
        "members": Person.objects.restrict(user).members().count(),
        "units": Unit.objects.restrict(user).count(),
    }
