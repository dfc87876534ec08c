"""What gunicorn's master loads before forking (``core.warmup``): afterwards a first request imports nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: count the modules a first request imports, with and without the warm-up before it.
PROBE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django
django.setup()
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
get_wsgi_application()  # as gunicorn's master does with preload_app: settings, apps, middleware
if sys.argv[1] == "warm":
    from core.warmup import load_lazy_parts
    load_lazy_parts()
before = set(sys.modules)
Client().get("/accounts/login/")
print(len(set(sys.modules) - before))
"""


def imported_by_first_request(mode: str) -> int:
    result = subprocess.run([sys.executable, "-c", PROBE, mode], cwd=ROOT, capture_output=True, text=True,
                            check=True, timeout=120)
    return int(result.stdout.strip().splitlines()[-1])


def test_after_the_warm_up_a_first_request_imports_next_to_nothing() -> None:
    cold, warm = imported_by_first_request("cold"), imported_by_first_request("warm")
    assert cold > 200, cold  # the URLconf, every view and what they import
    assert warm < 15, warm
