"""Background work for organizations. Tasks take ids, call a service, and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def recount_members_task(organization_ids: list[int] | None = None) -> int:
    """Repair the denormalized member counts (after bulk imports, or as a periodic check)."""
    return services.recount_members(organization_ids)
