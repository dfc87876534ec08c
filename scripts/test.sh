#!/usr/bin/env bash
# The whole suite: static checks, then unit + API + browser tests on SQLite (local-memory cache, as the embedded
# default), then again on PostgreSQL with Redis (as in production) whenever they are reachable (DATABASE_URL, else
# 127.0.0.1:5432; REDIS_URL, else 127.0.0.1:6379). With CI=true both are required. Each run is spread over the
# machine's cores (pytest-xdist, a test database per worker); TEST_WORKERS overrides the number.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ensure_system_packages.sh
py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.test

echo "==> ruff, mypy, migrations check"
.venv/bin/ruff check .
.venv/bin/mypy
DATABASE_URL=sqlite:///var/check.sqlite3 $py manage.py makemigrations --check --dry-run >/dev/null

workers=${TEST_WORKERS:-$(nproc)}
echo "==> tests on SQLite ($workers workers)"
DATABASE_URL=sqlite:///var/test.sqlite3 $py -m pytest -n "$workers" "$@"

pg_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lianmeng}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379/0}
if ! $py -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()" "$redis_url" 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "Redis is not reachable at $redis_url and CI=true: Redis is required in CI." >&2
    exit 1
  fi
  echo "==> Redis not reachable at $redis_url: the PostgreSQL run uses the local-memory cache."
  redis_url=""
fi
if $py scripts/db_reachable.py "$pg_url"; then
  echo "==> tests on PostgreSQL ($pg_url${redis_url:+, Redis $redis_url}, $workers workers)"
  DATABASE_URL=$pg_url REDIS_URL=$redis_url $py -m pytest -n "$workers" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $pg_url and CI=true: PostgreSQL is required in CI." >&2
  exit 1
else
  echo "==> PostgreSQL not reachable at $pg_url: PostgreSQL run skipped (set DATABASE_URL to point at one)."
fi
