"""``run_worker`` survives database errors or exits for its supervisor (issue 24 §2)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from core.management.commands import run_worker

ARGS = ("--batch", "--no-startup-delay", "--max-failures", "3")


@pytest.fixture
def loop(monkeypatch: Any) -> list[Any]:
    """Each call of the library's worker loop takes the next outcome: an exception to raise, or None (it ends)."""
    outcomes: list[Any] = []
    calls: list[Any] = []

    def run(self: Any) -> None:
        calls.append(self)
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)
    monkeypatch.setattr(run_worker.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(db_worker, "run_with_reloader", lambda *a, **k: pytest.fail("never under the reloader"))
    outcomes.append(calls)
    return outcomes


def test_a_database_error_restarts_the_worker(db: Any, loop: list[Any]) -> None:
    calls = loop.pop()
    loop.extend([OperationalError("database is locked"), OperationalError("database is locked"), None])
    call_command("run_worker", *ARGS, "--reload", stdout=StringIO(), stderr=StringIO())
    assert len(calls) == 3


def test_too_many_database_errors_in_a_row_exit_with_an_error(db: Any, loop: list[Any]) -> None:
    calls = loop.pop()
    loop.extend([OperationalError("database is locked")] * 5)
    with pytest.raises(CommandError):  # manage.py exits with status 1: systemd restarts the process
        call_command("run_worker", *ARGS, stdout=StringIO(), stderr=StringIO())
    assert len(calls) == 3


def test_other_errors_are_not_swallowed(db: Any, loop: list[Any]) -> None:
    loop.pop()
    loop.append(RuntimeError("a bug"))
    with pytest.raises(RuntimeError):
        call_command("run_worker", *ARGS, stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db(transaction=True)  # the worker closes its connections (on PostgreSQL, the test's own)
def test_runs_the_queued_tasks(monkeypatch: Any) -> None:
    from core.tasks import sweep_jobs_task

    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)
    result = sweep_jobs_task.enqueue()
    call_command("run_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    result.refresh()
    assert result.status == "SUCCESSFUL"
