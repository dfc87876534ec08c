#!/usr/bin/env bash
# Set up, migrate an SQLite database, load the demo data and serve on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ensure_system_packages.sh --runtime
export DJANGO_SETTINGS_MODULE=config.settings.dev
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
echo "==> serving on http://127.0.0.1:8000 (Ctrl-C to stop; background tasks: .venv/bin/python manage.py db_worker)"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
