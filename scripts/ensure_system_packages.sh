#!/usr/bin/env bash
# Debian packages the test suite needs: chromium (driven by Playwright through executable_path; Playwright's own
# browser download is never used), CJK fonts so Chinese renders in screenshots, gettext so the translation test
# can re-extract the source strings, poppler-utils for PDF checks.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "==> installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "The test suite needs Debian packages: ${need[*]}." >&2
  echo "Install them as root:  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
