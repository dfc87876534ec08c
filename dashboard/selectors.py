"""Read-only figures for the dashboard; every count goes through the user's scope.

Organization and member counts come from the pre-aggregated figures (``organizations.selectors.scope_totals``).
"""

from __future__ import annotations

from typing import Any

from organizations.choices import TWO_NEW_SECTORS, Sector
from organizations.models import Unit
from organizations.selectors import scope_totals


def dashboard_counts(user: Any) -> dict[str, Any]:
    by_sector, members = scope_totals(user)
    labels = dict(Sector.choices)
    return {
        "organizations": sum(by_sector.values()),
        "by_sector": [{"sector": str(labels[s]), "count": n} for s, n in sorted(by_sector.items())],
        "two_new": sum(n for s, n in by_sector.items() if s in TWO_NEW_SECTORS),
        "members": members,
        "units": Unit.objects.restrict(user).count(),
    }
