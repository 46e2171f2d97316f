#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test (unit, redis, e2e).
#   tests/run.sh               all tests
#   tests/run.sh -L redis      one label (unit, redis, e2e); other arguments go to ctest
# WAHANA_TEST_BUILD_DIR (default build-test/) keeps the test build apart from the runner's build/.
# WAHANA_SANITIZE=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${WAHANA_TEST_BUILD_DIR:-$root/build-test}
jobs=$(nproc 2>/dev/null || echo 2)

"$root/deploy/install-deps.sh"

sanitize=OFF
[ "${WAHANA_SANITIZE:-0}" = "1" ] && sanitize=ON
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWAHANA_SANITIZE="$sanitize" >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure --timeout 600 -j "$jobs" "$@"
