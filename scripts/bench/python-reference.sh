#!/usr/bin/env bash
# The Python reference of `trove bench ingest`: creates (once) a venv with the
# libraries Aleph's ingest-file relies on, then runs aleph_reference.py.
#
#   python-reference.sh --setup-only            create or update the venv, run nothing
#   python-reference.sh LEAK_DIR --workers N    extract every file under LEAK_DIR; prints one JSON line
#
# The venv lives in ${TROVE_BENCH_VENV:-$HOME/.cache/trove-bench-venv}. Package
# output goes to stderr so that stdout carries only the JSON report.
set -euo pipefail

venv="${TROVE_BENCH_VENV:-$HOME/.cache/trove-bench-venv}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Pinned so that reruns compare like with like; all verified to install with Python 3.11.
packages=(
  openpyxl==3.1.5
  python-docx==1.2.0
  python-pptx==1.0.2
  pdfminer.six==20260107
  Pillow==13.0.0
  py7zr==1.1.4
)
# The venv records what was installed, so changing a pin reinstalls.
stamp="$venv/trove-bench-packages.txt"

if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${packages[*]}" ]]; then
  echo "python reference: installing ${packages[*]} into $venv" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "${packages[@]}" >&2
  printf '%s' "${packages[*]}" >"$stamp"
fi

if [[ "${1:-}" == "--setup-only" ]]; then
  exit 0
fi
exec "$venv/bin/python" "$here/aleph_reference.py" "$@"
