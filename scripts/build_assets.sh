#!/usr/bin/env bash
# Copy the pinned npm packages' built files into static/vendor (served locally: no CDN, no remote fonts).
set -euo pipefail
cd "$(dirname "$0")/.."
v=static/vendor
rm -rf "$v" && mkdir -p "$v/bootstrap" "$v/bootstrap-icons" "$v/htmx" "$v/chartjs"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$v/bootstrap/"
cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts "$v/bootstrap-icons/"
cp node_modules/htmx.org/dist/htmx.min.js "$v/htmx/"
cp node_modules/chart.js/dist/chart.umd.min.js "$v/chartjs/"
