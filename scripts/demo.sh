#!/usr/bin/env bash
# Builds Lux (release) and runs it on Samples/: prints what Lux sees in each photo and converts them.
# Output: out/demo/ (override with LUX_DEMO_OUT=...).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build -c release --product lux
LUX="$(swift build -c release --show-bin-path)/lux"
OUT="${LUX_DEMO_OUT:-out/demo}"

run() { echo "== lux $*"; "$LUX" "$@"; }
run info Samples/
run convert Samples/kodim23.png "$OUT/kodim23-q85.jpg" --quality 85 --force
run convert Samples/kodim23.jpg "$OUT/kodim23-linear.exr" --force
run convert "$OUT/kodim23-linear.exr" "$OUT/kodim23-from-exr.png" --force
run info "$OUT"
echo
echo "Done. Results are in $(cd "$OUT" && pwd):"
ls -l "$OUT"
