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

# The RAR reader builds the UnRAR C++ source: a C++ compiler is needed.
if ! command -v c++ >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing Debian's g++ (the RAR reader is C++)…" >&2
    $sudo apt-get install -y -qq --no-install-recommends g++ >&2 \
        || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq --no-install-recommends g++ >&2; }
fi

if [ ! -d ../shared/corpus ]; then
    echo "note: ../shared/corpus not found: the corpus tests will skip (they say so)"
fi

if [ -z "${TROVE_SKIP_BROWSER_TESTS:-}" ]; then
    TROVE_E2E_DIR="$(scripts/e2e/install.sh)"
    export TROVE_E2E_DIR
fi

cargo test --workspace --locked "$@"
