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
# Last, the benchmark's floor read of the same folder on one thread (`examples/bare_read.rs`,
# built if needed) is counted the same way, and each build's total is printed against it.
set -euo pipefail
dir=${1:?usage: scripts/instructions.sh DIR [JIXIAO...]}
shift
[ $# -gt 0 ] || set -- target/release/jixiao
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-40s %15s %15s %15s %9s\n' build total libraries ours '/ floor'
floor_bin=target/release/examples/bare_read
[ -x "$floor_bin" ] || cargo build --release --example bare_read >/dev/null 2>&1 || true
floor=0
if [ -x "$floor_bin" ]; then
  valgrind --tool=callgrind --callgrind-out-file="$out/floor" "$floor_bin" "$dir" >/dev/null 2>"$out/floor.log" || true
  floor=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/floor.log" | tail -1)
fi
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
floor = int(sys.argv[2] or 0)
ratio = f"{total / floor:.3f}×" if floor else "-"
print(f"{sys.argv[1]:<40} {total:>15,} {libraries:>15,} {total - libraries:>15,} {ratio:>9}")
' "$bin" "$floor"
done
if [ "${floor:-0}" -gt 0 ]; then
  python3 -c 'import sys; print("%-40s %15s" % ("floor (bare read, one thread)", f"{int(sys.argv[1]):,}"))' "$floor"
fi
exit 0
