"""``manage.py run_worker``: django_tasks_db's ``db_worker`` that survives database errors, or exits for its
supervisor to restart it.

During a long SQLite import the worker's loop met "database is locked" while recording a task's outcome; the loop
raised, and under the autoreloader (on by default when DEBUG) only the thread running it died: the process stayed
up and worked nothing. Here the worker never runs under the reloader; after a database error it closes its
connections, waits and starts again, and after ``--max-failures`` failures in a row it exits with status 1, so that
systemd (``Restart=always``, docs/operations.md) starts a fresh process.
"""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)

# A worker that ran this long before failing was healthy: its failure starts a new count.
HEALTHY_SECONDS = 300
MAX_BACKOFF_SECONDS = 60


class Command(db_worker.Command):
    help = ("Run the background task worker (db_worker) that restarts itself after a database error, and exits "
            "with status 1 after --max-failures errors in a row.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--max-failures", type=int, default=5,
                            help="Database errors in a row before the worker exits (default: %(default)r)")

    # The library's handle() names every option; this one passes them on as they come.
    def handle(self, *args: Any, max_failures: int, **options: Any) -> None:  # type: ignore[override]
        options["reload"] = False  # see the module's docstring: a worker thread may die, the process must not idle
        failures = 0
        while True:
            started = time.monotonic()
            try:
                super().handle(*args, **options)
            except DatabaseError as exc:
                failures = 1 if time.monotonic() - started > HEALTHY_SECONDS else failures + 1
                logger.exception("task worker: database error (%d of %d in a row)", failures, max_failures)
                connections.close_all()  # a broken connection would fail again at once
                if failures >= max_failures:
                    raise CommandError(f"Stopped after {failures} database errors in a row.") from exc
                time.sleep(min(2**failures, MAX_BACKOFF_SECONDS))
            else:
                return  # --batch or --max-tasks: the worker finished its work
