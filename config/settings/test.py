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
