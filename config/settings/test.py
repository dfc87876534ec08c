"""Test settings: the database comes from DATABASE_URL (scripts/test.sh runs SQLite and PostgreSQL)."""

import copy
import os

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
DEMO_MODE = True
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; Argon2 is tested explicitly
DATABASES = copy.deepcopy(DATABASES)
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One process serves each test run, so its own cache is shared by everything it runs: the whole suite runs with
# the authorization cache on (conftest clears it before each test).
AUTHZ_CACHE = True

# With REDIS_URL (scripts/test.sh sets it for the PostgreSQL run, as in production) the cache is the real Redis.
# Each xdist worker takes a database of its own, because conftest clears the cache before every test.
if os.environ.get("REDIS_URL"):
    from urllib.parse import urlsplit, urlunsplit

    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    _url = urlsplit(os.environ["REDIS_URL"])
    CACHES = {"default": {"BACKEND": "core.cache.ReusingRedisCache",
                          "LOCATION": urlunsplit(_url._replace(path=f"/{1 + int(_worker or 0)}"))}}
