"""Gunicorn settings for production (and the benchmark, which runs the app as production does).

    DJANGO_SETTINGS_MODULE=config.settings.prod .venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi

Every value can be overridden from the environment (GUNICORN_*), or on the command line.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: requests are short and database-bound; 2 x cores + 1 keeps the cores busy while others wait on
# PostgreSQL. Database connections persist across requests (CONN_MAX_AGE, in the settings).
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so that no slow leak can grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Load the application before forking: workers share its memory and a broken deployment fails at start.
preload_app = True


def when_ready(server: Any) -> None:
    """Load what Django would load on each worker's first request (``core.warmup``), then freeze what the
    preloaded application allocated before the workers fork: the collector no longer scans those objects in every
    full collection of every worker (shorter pauses), and workers do not copy the pages the collector would
    otherwise touch (Python's documentation of ``gc.freeze``)."""
    from core.warmup import load_lazy_parts

    server.log.info("views, catalogs and cache client loaded in %.2f s", load_lazy_parts())
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """Connections are per process: never share the master's database connections with a worker."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()


def post_worker_init(worker: Any) -> None:
    """Build the matching indexes in the background, so that the first recommendation a worker serves does not
    pay for tokenising every resource and open case (about 10 s at 100k resources). Requests are served
    meanwhile; one that needs the index waits for it. LIANMENG_WARM_MATCHING=0 turns this off."""
    if os.environ.get("LIANMENG_WARM_MATCHING", "1") == "0":
        return

    def warm() -> None:
        from django.db import connection

        from demands.recommend import warm_up

        try:
            seconds = warm_up()
            worker.log.info("matching indexes ready in %.1f s", seconds)
        except Exception:  # a failed warm-up only means the first recommendation builds the index itself
            worker.log.exception("matching warm-up failed")
        finally:
            connection.close()

    threading.Thread(target=warm, name="matching-warm-up", daemon=True).start()
