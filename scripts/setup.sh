#!/usr/bin/env bash
# One-time (and idempotent) set-up: virtual environment, Python packages, pinned front-end assets,
# compiled translation catalogs. Called by `make demo` and `make test`; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating virtual environment (.venv) with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the pinned requirements changed.
req_sum=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
if [ ! -f ".stamp-pip-$req_sum" ]; then
  echo "==> installing Python packages"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
  rm -f .stamp-pip-* && touch ".stamp-pip-$req_sum"
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is required to install the pinned front-end assets (Debian: apt-get install nodejs npm)." >&2
  exit 1
fi
lock_sum=$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f ".stamp-npm-$lock_sum" ] || [ ! -d node_modules ]; then
  echo "==> installing front-end assets from the npm registry (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  rm -f .stamp-npm-* && touch ".stamp-npm-$lock_sum"
fi
scripts/build_assets.sh

echo "==> compiling translation catalogs"
.venv/bin/python manage.py compilemessages_py
mkdir -p var/staticfiles var/media
