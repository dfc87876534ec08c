#!/usr/bin/env bash
# Debian packages Lianmeng needs.
#   runtime (`ensure_system_packages.sh --runtime`, called by `make demo`): the CJK fonts the plaque and agreement
#     PDFs embed. Without root it only warns: the platform runs, and the PDF pages say what to install.
#   tests (no argument, called by `make test`): also chromium (driven by Playwright through executable_path;
#     Playwright's own browser download is never used), gettext so the translation test can re-extract the
#     source strings, and poppler-utils for the PDF checks.
set -euo pipefail
mode=${1:-tests}
need=()
# (grep reads all of fc-list's output: with -q it would exit early and pipefail would see SIGPIPE.)
fc-list 2>/dev/null | grep -i "noto serif cjk" >/dev/null || need+=(fonts-noto-cjk)
if [ "$mode" != "--runtime" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v xgettext >/dev/null 2>&1 || need+=(gettext)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "==> installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
elif [ "$mode" = "--runtime" ]; then
  echo "Note: install ${need[*]} for the PDF documents:  sudo apt-get install -y ${need[*]}" >&2
else
  echo "The test suite needs Debian packages: ${need[*]}." >&2
  echo "Install them as root:  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
