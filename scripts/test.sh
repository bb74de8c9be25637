#!/usr/bin/env bash
# Installs missing Debian packages, then runs the whole test suite (Swift Testing).
# Extra arguments go to `swift test`, e.g. scripts/test.sh --filter LuxCLITests
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift test "$@"
