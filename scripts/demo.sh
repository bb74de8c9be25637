#!/usr/bin/env bash
# Builds Lux (release) and runs it on Samples/: prints what Lux sees in the photo, lets the agent
# enhance it (the edit as a recipe, XMP sidecar, .cube LUT and a steps strip), re-applies the recipe.
# Output: out/demo/ (override with LUX_DEMO_OUT=...). LUX_MODEL=m.safetensors uses that agent model
# instead of the embedded one.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build -c release --product lux
scripts/check-avx512-isolation.sh
LUX="$(swift build -c release --show-bin-path)/lux"
OUT="${LUX_DEMO_OUT:-out/demo}"
MODEL=()
if [ -n "${LUX_MODEL:-}" ]; then MODEL=(--model "$LUX_MODEL"); fi

run() { echo "== lux $*"; "$LUX" "$@"; }
run info Samples/kodim23.jpg
run enhance Samples/kodim23.jpg -o "$OUT" "${MODEL[@]}" --force \
    --recipe-out "$OUT/kodim23.recipe.json" --xmp "$OUT/kodim23.xmp" --cube "$OUT/kodim23.cube" \
    --steps-image "$OUT/kodim23.steps.png"
run apply --recipe "$OUT/kodim23.recipe.json" Samples/kodim23.png "$OUT/kodim23-reapplied.png" --force
run info "$OUT"
echo
echo "Done. Results are in $(cd "$OUT" && pwd):"
echo "  kodim23.lux.jpg         the enhanced photo"
echo "  kodim23.recipe.json     the edit (re-apply: lux apply --recipe ...), also as kodim23.xmp and kodim23.cube"
echo "  kodim23.steps.png       the agent's thumbnails after each step, labelled"
echo "  kodim23-reapplied.png   the recipe applied again to the lossless original"
ls -l "$OUT"
