#!/usr/bin/env bash
# Set up, migrate an SQLite database, load the demo data and serve on http://127.0.0.1:8000, with a background
# worker for the tasks (large imports and exports run as background jobs); the worker stops with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ensure_system_packages.sh --runtime
export DJANGO_SETTINGS_MODULE=config.settings.dev
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
mkdir -p var
# No supervisor here: the worker itself keeps retrying after database errors (SQLite is often busy).
.venv/bin/python manage.py run_worker --max-failures 100 >var/demo-worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
echo "==> background worker running (pid $worker, log var/demo-worker.log)"
echo "==> serving on http://127.0.0.1:8000 (Ctrl-C to stop the server and the worker)"
.venv/bin/python manage.py runserver 127.0.0.1:8000
