#!/usr/bin/env bash
# Installs the Debian 12 packages Lux builds against (C libraries) and uses in tests and benchmarks
# (ImageMagick, ffmpeg, vips). Skips apt entirely when every package is already installed.
set -euo pipefail

PACKAGES=(
  # C libraries wrapped by Sources/C*
  libturbojpeg0-dev libpng-dev libtiff-dev libraw-dev liblcms2-dev libopenexr-dev libdnnl-dev libopenblas-dev
  # tools used by tests and lux-bench
  imagemagick ffmpeg libvips-tools
  # headless browser for the `lux serve` page test (Tests/LuxServerTests/BrowserTests.swift)
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
