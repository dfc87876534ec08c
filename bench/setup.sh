#!/usr/bin/env bash
# What the benchmark needs beyond the project's own set-up: wrk (Debian) and matplotlib (PyPI, pinned).
# Not on the test path: `make bench` runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || scripts/setup.sh
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q wrk; else sudo apt-get install -y -q wrk; fi
fi
.venv/bin/pip install -q -r bench/requirements.txt
command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -p 5432 -q || {
  echo "PostgreSQL must listen on 127.0.0.1:5432 (the benchmark loads its data there)" >&2; exit 1; }
