"""Background work runs through the configured Django tasks backend (database backend by default)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from organizations.models import Organization
from organizations.tasks import recount_members_task


@pytest.mark.django_db(transaction=True)
def test_recount_task_runs_in_the_database_worker(world: Any) -> None:
    Organization.objects.filter(code="fz-e1").update(member_count=42)
    result = recount_members_task.enqueue(None)
    assert DBTaskResult.objects.filter(id=result.id, status="READY").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO(), stderr=StringIO())
    task = DBTaskResult.objects.get(id=result.id)
    assert task.status == "SUCCESSFUL", task.exception_class_path
    assert Organization.objects.get(code="fz-e1").member_count == 2
    # Safe to run twice: a second run finds nothing to repair.
    second = recount_members_task.enqueue(None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO(), stderr=StringIO())
    assert DBTaskResult.objects.get(id=second.id).return_value == 0
