#!/usr/bin/env bash
# Installs the Debian packages the test suite drives as references or tools:
#   poppler-utils  pdftotext, the reference for PDF extraction tests and the benchmark
#   chromium       the browser for the report.html test (driven by playwright-core)
#   jupyter-nbconvert python3-nbclient python3-ipykernel  to execute the notebooks headless
#   fonts-liberation   Liberation Sans, the font the chart PNGs (resvg) are drawn with
#   libxml2-utils      xmllint, validates project.qde against the REFI-QDA schema
#   python3-openpyxl   reads inspection-themes.xlsx back as Excel users' tools would
# Runs apt-get only when something is missing. Needs root (as CI is) or sudo.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need+=(fonts-liberation)
command -v jupyter-nbconvert >/dev/null 2>&1 || need+=(jupyter-nbconvert)
/usr/bin/python3 -c 'import nbclient' >/dev/null 2>&1 || need+=(python3-nbclient)
/usr/bin/python3 -c 'import ipykernel' >/dev/null 2>&1 || need+=(python3-ipykernel)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || need+=(python3-openpyxl)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
