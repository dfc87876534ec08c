"""Benchmark settings (`bench/`): production settings as they are, plus a bare JSON reference endpoint.

Only the benchmark harness uses this module. Secrets default to fixed, public benchmark values so that the data
generator and the server encrypt and read the synthetic data with the same keys; never deploy with them.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-deploy-0123456789abcdefghijklmnop")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2gtb25seS1maWVsZC1rZXktbmV2ZXItZGVwbG8=")

from .prod import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"
# The harness talks plain HTTP on 127.0.0.1, as a TLS-terminating proxy would; it sends X-Forwarded-Proto: https,
# so the production redirect and secure cookies stay on.
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
