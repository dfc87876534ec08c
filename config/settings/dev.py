"""Local development and the demo (`make demo`)."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("DEMO_MODE", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-insecure-key-change-me-in-production-0123456789abcdef"
