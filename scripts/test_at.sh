#!/usr/bin/env bash
# The suite under a shifted system clock (Debian's faketime): every test must pass on any date and at any time of
# day. Usage: scripts/test_at.sh "2027-03-01 07:55:00" [pytest arguments]. SQLite only: PostgreSQL's server keeps
# the real time, and the tests that compare the two clocks would test the shift, not the code.
set -euo pipefail
cd "$(dirname "$0")/.."
when=${1:?usage: scripts/test_at.sh "YYYY-MM-DD hh:mm:ss" [pytest arguments]}
shift
command -v faketime >/dev/null || { echo "faketime is needed: apt-get install faketime" >&2; exit 1; }
scripts/setup.sh >/dev/null
echo "==> tests on SQLite with the clock at $when (Asia/Shanghai)"
# An offset, not a start time ("@…"), so that every process (xdist workers, subprocesses) agrees on the time. The
# monotonic clock is shifted by the same constant (FAKETIME_DONT_FAKE_MONOTONIC makes Python's short sleeps fail
# with EINVAL). The browser keeps the real clock (e2e/conftest.py).
offset=$(( $(TZ=Asia/Shanghai date -d "$when" +%s) - $(date +%s) ))
TZ=Asia/Shanghai DJANGO_SETTINGS_MODULE=config.settings.test \
  DATABASE_URL=sqlite:///var/test-at.sqlite3 faketime -f "$(printf "%+d" "$offset")s" \
  .venv/bin/python -m pytest -n "${TEST_WORKERS:-$(nproc)}" "$@"
