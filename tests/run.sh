#!/usr/bin/env bash
# Installs everything the tests need (CPU torch, the package with its test extras, Debian's
# Chromium for the browser tests) and runs the whole suite: pytest, which also runs node --test.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q torch==2.13.0 -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -q && apt-get install -y -q chromium
fi
python -m pytest "$@"
