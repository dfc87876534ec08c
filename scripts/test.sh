#!/usr/bin/env bash
# The whole suite: static checks, then unit + API + browser tests on SQLite, then again on PostgreSQL
# whenever one is reachable (DATABASE_URL, else 127.0.0.1:5432). With CI=true PostgreSQL is required.
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

echo "==> tests on SQLite"
DATABASE_URL=sqlite:///var/test.sqlite3 $py -m pytest "$@"

pg_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lianmeng}
if $py scripts/db_reachable.py "$pg_url"; then
  echo "==> tests on PostgreSQL ($pg_url)"
  DATABASE_URL=$pg_url $py -m pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $pg_url and CI=true: PostgreSQL is required in CI." >&2
  exit 1
else
  echo "==> PostgreSQL not reachable at $pg_url: PostgreSQL run skipped (set DATABASE_URL to point at one)."
fi
