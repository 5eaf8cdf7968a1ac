#!/usr/bin/env bash
# Counts the instructions of `check DIR -q --format json --jobs 1` under callgrind (valgrind),
# split into the libraries the benchmark's floor also runs (calamine, quick-xml, zip, zlib-rs)
# and the rest (our own code, with the standard library and allocator it calls). For comparing
# two builds: the count moves by about 0.01% between runs of one build, where the time moved by
# a third on a busy machine. Two things move in it that the code does not: zlib-rs picks its
# inflate routine at run time, and inlining moves the libraries' generic code (compiled in our
# crate) between builds: compare the "ours" column.
#
#     scripts/instructions.sh DIR [JIXIAO...]    (default: target/release/jixiao)
#
# A few hundred files are enough (valgrind runs about 50 times slower than the program).
set -euo pipefail
dir=${1:?usage: scripts/instructions.sh DIR [JIXIAO...]}
shift
[ $# -gt 0 ] || set -- target/release/jixiao
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-40s %15s %15s %15s\n' build total libraries ours
for bin in "$@"; do
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" check "$dir" -q \
    --format json --jobs 1 >"$out/report.json" 2>"$out/log" || true  # check exits 1 on errors
  callgrind_annotate --inclusive=no --threshold=100 "$out/cg" 2>/dev/null | python3 -c '
import re, sys
total = libraries = 0
for line in sys.stdin.read().split("Auto-annotated source")[0].splitlines():
    m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)", line)
    if not m:
        continue
    n = int(m.group(1).replace(",", ""))
    if "PROGRAM TOTALS" in line:
        total = n
    elif re.search(r"zlib_rs|calamine::|quick_xml::|\bzip::|XmlSource", m.group(2)):
        libraries += n
print(f"{sys.argv[1]:<40} {total:>15,} {libraries:>15,} {total - libraries:>15,}")
' "$bin"
done
