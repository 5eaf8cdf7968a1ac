#!/usr/bin/env bash
# The project's tests, from a fresh machine: installs what the tests need that cargo does not
# bring (openpyxl and LibreOffice, the two readers the output is checked with, what printing
# to PDF needs, and Chromium with its WebDriver for the web page), then checks formatting and
# lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# LibreOffice recalculates and prints our workbooks; poppler-utils reads the PDFs; a CJK font
# makes the printed Chinese legible.
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "wenquanyi" || missing+=(fonts-wqy-zenhei)
# The web page is tested in headless Chromium, driven through WebDriver (chromedriver).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  printf '==> apt-get install %s\n' "${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! python3 -c 'import openpyxl' >/dev/null 2>&1; then
  printf '==> pip install openpyxl\n'
  python3 -m pip install --quiet openpyxl
fi

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check
step "cargo clippy --all-targets (compiles everything, progress below)"
cargo clippy --all-targets -- -D warnings
step "cargo build --tests (the test binaries)"
cargo build --tests
# Not --all-targets: that would run the benchmark (benches/pipeline.rs), which belongs to
# `cargo bench` alone. clippy above still compiles it.
step "cargo test"
cargo test --quiet
