#!/usr/bin/env bash
# Installs everything the tests need into a virtual environment, .venv (CPU torch, the
# package with its test extras), Debian's Chromium for the browser tests, and runs the whole
# suite: pytest, which also runs node --test. A venv, because Debian's and Ubuntu's Python
# refuse a bare `pip install` (PEP 668, "externally-managed-environment").
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -c "import ensurepip" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -q && apt-get install -y -q python3-venv
    else
      echo "Python's venv module is missing: on Debian or Ubuntu run  sudo apt-get install python3-venv" >&2
      exit 1
    fi
  fi
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q torch==2.13.0 -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -q && apt-get install -y -q chromium
fi
.venv/bin/python -m pytest "$@"
