#!/usr/bin/env bash
# Runs every test of trove on a fresh Debian machine with only the Rust
# toolchain. Installs whatever the tests need first: Debian's Chromium and
# playwright-core for the browser test (scripts/e2e/install.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# Build outside the clone so repeated runs on one machine reuse the build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/trove-target}"
# Two cores: one test binary at a time keeps peak memory and disk I/O sane.
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"

if [ ! -d ../shared/corpus ]; then
    echo "note: ../shared/corpus not found: the corpus tests will skip (they say so)"
fi

if [ -z "${TROVE_SKIP_BROWSER_TESTS:-}" ]; then
    TROVE_E2E_DIR="$(scripts/e2e/install.sh)"
    export TROVE_E2E_DIR
fi

cargo test --workspace --locked "$@"
