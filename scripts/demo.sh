#!/usr/bin/env bash
# Builds Lux (release) and runs it on Samples/: prints what Lux sees in each photo and converts them.
# Output: out/demo/ (override with LUX_DEMO_OUT=...).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build -c release --product lux
LUX="$(swift build -c release --show-bin-path)/lux"
OUT="${LUX_DEMO_OUT:-out/demo}"

echo "== lux info Samples/"
"$LUX" info Samples/
echo "== lux convert Samples/ -o $OUT --format png --force"
"$LUX" convert Samples/ -o "$OUT" --format png --force
echo "== lux convert Samples/kodim23.png $OUT/kodim23-q85.jpg --quality 85 --force"
"$LUX" convert Samples/kodim23.png "$OUT/kodim23-q85.jpg" --quality 85 --force

echo
echo "Done. Results are in $(cd "$OUT" && pwd):"
ls -l "$OUT"
