"""Load before the workers fork what Django otherwise loads on a worker's first request.

With ``preload_app`` gunicorn imports the WSGI application in its master process and forks the workers from it,
but Django imports the URLconf (and with it every view, the PDF library, the matching engine), reads the
translation catalogs and imports the cache client only when the first request needs them. Each worker then paid
for that on its first request: 0.9-1.2 s at 100k organizations (measured with the benchmark's list endpoints),
which showed up as the p99 of any load that met a fresh worker (after a start or a ``max_requests`` recycle).
Loaded in the master, the workers share those pages and their first request costs what the others do.
"""

from __future__ import annotations

import time
from typing import Any


def load_lazy_parts() -> float:
    """Import every view, the template libraries and loaders, read every language's catalog, build the cache
    client; the seconds it took. Opens no connection (the workers open their own)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    started = time.perf_counter()
    get_resolver().reverse_dict  # noqa: B018 - imports the URLconf and every view, and fills the reverse table
    for backend in engines.all():  # template tag libraries, loaders and context processors
        engine: Any = getattr(backend, "engine", backend)
        engine.template_loaders  # noqa: B018
        engine.template_context_processors  # noqa: B018
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Organizations")
    for alias in settings.CACHES:
        getattr(caches[alias], "_cache", None)  # the Redis client class (imports redis; connects on first use)
    return time.perf_counter() - started
