#!/usr/bin/env bash
# Writes the JSON report of `jixiao check` for samples/ and for every fixture file into OUTDIR, one
# file per input (and one for samples/ as a whole), so that two builds can be compared byte for
# byte with `diff -r`:
#
#     bash scripts/json_snapshot.sh /tmp/before      # on the old build
#     bash scripts/json_snapshot.sh /tmp/after       # on the new build
#     diff -r /tmp/before /tmp/after && echo identical
#
# JIXIAO names the binary (default: target/release/jixiao, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: json_snapshot.sh OUTDIR}
bin=${JIXIAO:-target/release/jixiao}
[ -x "$bin" ] || cargo build --release --quiet
mkdir -p "$out"
"$bin" check samples --format json -q > "$out/samples.json" || [ $? -eq 1 ]
for r in tests/fixtures/roster/*; do
  "$bin" check samples --roster "$r" --format json -q > "$out/samples_roster_$(basename "$r").json" || [ $? -eq 1 ]
done
"$bin" check tests/fixtures/forms/with_fund.csv --form tests/fixtures/forms/with_fund.toml \
  --format json -q > "$out/with_fund_form.json" || [ $? -eq 1 ]
find samples tests/fixtures -type f ! -name '*.md' ! -name '*.toml' ! -name '*.json' ! -name '*.py' \
  | LC_ALL=C sort | while read -r f; do
  name=$(printf '%s' "$f" | tr '/' '_')
  rc=0
  timeout 60 "$bin" check "$f" --format json -q > "$out/$name.json" 2> "$out/$name.stderr" || rc=$?
  echo "$rc" > "$out/$name.rc"
done
echo "$(find "$out" -name '*.json' | wc -l) reports in $out"
