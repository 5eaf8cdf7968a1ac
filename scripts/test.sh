#!/usr/bin/env bash
# The project's tests, from a fresh machine: installs what the tests need that cargo does not
# bring (LibreOffice and openpyxl, the two readers the output is checked with), then checks
# formatting and lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v soffice >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi
if ! python3 -c 'import openpyxl' >/dev/null 2>&1; then
  python3 -m pip install --quiet openpyxl
fi

cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --all-targets --quiet
